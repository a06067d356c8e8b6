/* Small helpers for the C tests: each check prints where it failed and the
   test exits non-zero at the end (or at once for REQUIRE). */
#ifndef NNRS_TESTUTIL_H
#define NNRS_TESTUTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
