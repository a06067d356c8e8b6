/* Small helpers for the C tests: each check prints where it failed and the
   test exits non-zero at the end (or at once for REQUIRE). */
#ifndef NNRS_TESTUTIL_H
#define NNRS_TESTUTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>

static int test_failures = 0;

#define CHECK(cond) \
    do { if (!(cond)) { \
        fprintf (stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        test_failures++; } } while (0)

#define REQUIRE(cond) \
    do { if (!(cond)) { \
        fprintf (stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond); \
        exit (1); } } while (0)

/* The call must fail with -1 (or the given failure value) and this errno. */
#define CHECK_FAILS(call, err) \
    do { errno = 0; long long rc_ = (long long) (call); int e_ = errno; \
        if (rc_ != -1 || e_ != (err)) { \
            fprintf (stderr, "%s:%d: %s: want -1/%s, got %lld/%d (%s)\n", __FILE__, \
                __LINE__, #call, #err, rc_, e_, nn_strerror (e_)); \
            test_failures++; } \
        else CHECK (nn_errno () == (err)); } while (0)

/* The call must succeed (not -1); its value is kept in `var`. */
#define CHECK_OK(var, call) \
    do { errno = 0; (var) = (call); if ((var) == -1) { \
        fprintf (stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call, \
            nn_strerror (nn_errno ())); test_failures++; } } while (0)

/* Reads an int option. */
static inline int get_int (int s, int level, int option, int *value)
{
    size_t len = sizeof (*value);
    int rc = nn_getsockopt (s, level, option, value, &len);
    if (rc == 0 && len != sizeof (*value))
        return -2;
    return rc;
}

static inline int set_int (int s, int level, int option, int value)
{
    return nn_setsockopt (s, level, option, &value, sizeof (value));
}

/* A socket of `protocol` whose sends and receives give up after
   `timeout_ms`, so that a failing test ends instead of hanging. */
static inline int test_socket (int protocol, int timeout_ms)
{
    int s = nn_socket (AF_SP, protocol);
    REQUIRE (s >= 0);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, timeout_ms) == 0);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_SNDTIMEO, timeout_ms) == 0);
    return s;
}

/* The first of 20 tcp ports this test program may use (below the
   ephemeral range). Programs that run at once have different pids, and
   so, unless their pids are 500 apart, different ranges. */
static inline int test_port_base (void)
{
    return 20000 + (int) (getpid () % 500) * 20;
}

/* Waits up to 5 s for `s` to have `n` live connections, and checks it. */
static inline void wait_connections (int s, int n)
{
    int i;
    for (i = 0; i < 500 && nn_get_statistic (s, NN_STAT_CURRENT_CONNECTIONS) != (uint64_t) n; i++)
        usleep (10000);
    CHECK (nn_get_statistic (s, NN_STAT_CURRENT_CONNECTIONS) == (uint64_t) n);
}

static inline int test_result (const char *name)
{
    if (test_failures) {
        fprintf (stderr, "%s: %d check(s) failed\n", name, test_failures);
        return 1;
    }
    printf ("%s: ok\n", name);
    return 0;
}

#endif
