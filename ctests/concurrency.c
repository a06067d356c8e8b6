/* Many threads on one socket, and sockets closed or the library terminated
   under threads blocked in it.

   - traffic: over inproc, ipc and tcp, 8 threads send on one PUSH socket
     while 8 receive on its PULL peer; then on a PAIR pair, 8 threads send
     and 8 receive on each end at once (16 threads on one socket). Every
     message arrives exactly once, and each receiving thread sees every
     sender's messages in order. Once more on each transport with
     receive queues of 256 bytes, so that senders are refused and resumed
     all the time (a lost resume shows as a sender timing out).
   - close: threads blocked in nn_recv (a tcp connection, so the receiver
     waits on its descriptor itself), nn_send (back-pressured by a peer that
     does not read, and with no peer at all), nn_poll and nn_device; the
     main thread closes the sockets after a random delay (sometimes before
     the threads are in their calls). Each call ends with EBADF. Repeated.
   - term: the same, ended by nn_term in a fresh process each time (nn_term
     is once per process): every call ends with ETERM (EBADF if it began
     after nn_term). Repeated.
   A call that does not return within 5 s is a hang: the test fails. */
#define _GNU_SOURCE
#include "testutil.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <nanomsg/pair.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/bus.h>

#define SENDERS 8
#define RECEIVERS 8
#define PER_SENDER 2000

/* ------------------------------------------------------------- traffic */

static unsigned char seen [2 * SENDERS][PER_SENDER];
static int arrived [2];            /* per direction */
static int traffic_errors;

struct sender { int s; int id; };
struct receiver { int s; int dir; };

static void *send_body (void *arg)
{
    struct sender *a = arg;
    uint32_t msg [4];
    int i;
    for (i = 0; i < PER_SENDER; i++) {
        msg [0] = (uint32_t) a->id;
        msg [1] = (uint32_t) i;
        msg [2] = msg [3] = 0x5a5a5a5a;
        if (nn_send (a->s, msg, sizeof msg, 0) != (int) sizeof msg) {
            fprintf (stderr, "sender %d: message %d: %s\n", a->id, i, nn_strerror (nn_errno ()));
            __atomic_add_fetch (&traffic_errors, 1, __ATOMIC_SEQ_CST);
            return NULL;
        }
    }
    return NULL;
}

static void *recv_body (void *arg)
{
    struct receiver *a = arg;
    int last [2 * SENDERS];
    uint32_t msg [8];
    int i, rc;
    for (i = 0; i < 2 * SENDERS; i++)
        last [i] = -1;
    for (;;) {
        rc = nn_recv (a->s, msg, sizeof msg, 0);
        if (rc < 0) {
            if (nn_errno () != EBADF) {   /* EBADF: closed when all had arrived */
                fprintf (stderr, "receiver: %s\n", nn_strerror (nn_errno ()));
                __atomic_add_fetch (&traffic_errors, 1, __ATOMIC_SEQ_CST);
            }
            return NULL;
        }
        if (rc != 16 || msg [0] >= 2 * SENDERS || msg [1] >= PER_SENDER
                || (int) (msg [0] / SENDERS) != a->dir || msg [2] != 0x5a5a5a5a) {
            fprintf (stderr, "receiver: bad message (%d bytes, %u/%u)\n", rc, msg [0], msg [1]);
            __atomic_add_fetch (&traffic_errors, 1, __ATOMIC_SEQ_CST);
            continue;
        }
        if ((int) msg [1] <= last [msg [0]]) {
            fprintf (stderr, "receiver: sender %u's #%u after #%d\n", msg [0], msg [1], last [msg [0]]);
            __atomic_add_fetch (&traffic_errors, 1, __ATOMIC_SEQ_CST);
        }
        last [msg [0]] = (int) msg [1];
        __atomic_add_fetch (&seen [msg [0]][msg [1]], 1, __ATOMIC_SEQ_CST);
        __atomic_add_fetch (&arrived [a->dir], 1, __ATOMIC_SEQ_CST);
    }
}

/* Senders on `a` (and on `b` when both ways), receivers on `b` (and `a`). */
static void traffic (const char *what, int a, int b, int both_ways)
{
    pthread_t st [2 * SENDERS], rt [2 * RECEIVERS];
    struct sender sa [2 * SENDERS];
    struct receiver ra [2 * RECEIVERS];
    int dirs = both_ways ? 2 : 1, i, j, d, lost = 0, dup = 0;
    int want = SENDERS * PER_SENDER;

    memset (seen, 0, sizeof seen);
    arrived [0] = arrived [1] = 0;
    traffic_errors = 0;
    for (d = 0; d < dirs; d++)
        for (i = 0; i < RECEIVERS; i++) {
            ra [d * RECEIVERS + i].s = d == 0 ? b : a;
            ra [d * RECEIVERS + i].dir = d;
            REQUIRE (pthread_create (&rt [d * RECEIVERS + i], NULL, recv_body, &ra [d * RECEIVERS + i]) == 0);
        }
    for (d = 0; d < dirs; d++)
        for (i = 0; i < SENDERS; i++) {
            sa [d * SENDERS + i].s = d == 0 ? a : b;
            sa [d * SENDERS + i].id = d * SENDERS + i;
            REQUIRE (pthread_create (&st [d * SENDERS + i], NULL, send_body, &sa [d * SENDERS + i]) == 0);
        }
    for (i = 0; i < dirs * SENDERS; i++)
        REQUIRE (pthread_join (st [i], NULL) == 0);
    for (i = 0; i < 1000; i++) {
        if (__atomic_load_n (&arrived [0], __ATOMIC_SEQ_CST) >= want
                && (!both_ways || __atomic_load_n (&arrived [1], __ATOMIC_SEQ_CST) >= want))
            break;
        usleep (10000);
    }
    usleep (50000);   /* a duplicate would come now */
    CHECK (nn_close (a) == 0);
    CHECK (nn_close (b) == 0);
    for (i = 0; i < dirs * RECEIVERS; i++)
        REQUIRE (pthread_join (rt [i], NULL) == 0);
    for (i = 0; i < dirs * SENDERS; i++)
        for (j = 0; j < PER_SENDER; j++) {
            lost += seen [i][j] == 0;
            dup += seen [i][j] > 1;
        }
    printf ("traffic %-14s %d threads on each socket, %d messages: %d lost, %d duplicated, %d errors\n",
        what, both_ways ? SENDERS + RECEIVERS : SENDERS, dirs * want, lost, dup, traffic_errors);
    CHECK (lost == 0);
    CHECK (dup == 0);
    CHECK (traffic_errors == 0);
}

/* `rcvbuf` > 0: the receiving sockets' NN_RCVBUF, small enough that
   senders are refused and resumed all the time. */
static void traffic_on (const char *transport, const char *url, int rcvbuf)
{
    char what [64];
    int p = test_socket (NN_PUSH, 10000), q = test_socket (NN_PULL, -1);
    int a = test_socket (NN_PAIR, 10000), b = test_socket (NN_PAIR, -1);
    if (rcvbuf > 0) {
        CHECK (set_int (q, NN_SOL_SOCKET, NN_RCVBUF, rcvbuf) == 0);
        CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVBUF, rcvbuf) == 0);
        CHECK (set_int (b, NN_SOL_SOCKET, NN_RCVBUF, rcvbuf) == 0);
    }
    CHECK (nn_bind (q, url) >= 0);
    CHECK (nn_connect (p, url) >= 0);
    wait_connections (p, 1);
    snprintf (what, sizeof what, "push/pull %s", transport);
    traffic (what, p, q, 0);
    CHECK (set_int (b, NN_SOL_SOCKET, NN_RCVTIMEO, -1) == 0);
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVTIMEO, -1) == 0);
    CHECK (nn_bind (a, url) >= 0);
    CHECK (nn_connect (b, url) >= 0);
    wait_connections (a, 1);
    snprintf (what, sizeof what, "pair %s", transport);
    traffic (what, a, b, 1);
}

/* ------------------------------------------------- blocked, then closed */

enum { RECV_TCP, SEND_FULL, SEND_NOPEER, POLL, DEVICE, CALLS };
static const char *call_names [CALLS] = { "nn_recv", "nn_send (full)", "nn_send (no peer)", "nn_poll", "nn_device" };
static int sock [CALLS], dev_b;

static void *blocked (void *arg)
{
    long which = (long) arg;
    char buf [65536];
    struct nn_pollfd pfd;
    int rc;
    memset (buf, 'b', sizeof buf);
    for (;;) {
        switch (which) {
        case RECV_TCP:
            rc = nn_recv (sock [which], buf, sizeof buf, 0);
            break;
        case SEND_FULL:
        case SEND_NOPEER:
            rc = nn_send (sock [which], buf, sizeof buf, 0);
            break;
        case POLL:
            pfd.fd = sock [which];
            pfd.events = NN_POLLIN;
            pfd.revents = 0;
            rc = nn_poll (&pfd, 1, -1);
            if (rc >= 0)   /* nothing can be ready: it must not return a count */
                return (void *) (long) -(1000 + rc * 10 + pfd.revents);
            break;
        default:
            rc = nn_device (sock [which], dev_b);
            break;
        }
        if (rc < 0)
            return (void *) (long) nn_errno ();
    }
}

/* How a blocked call ended: an errno, or what nn_poll returned. */
static const char *outcome (long result)
{
    static char text [96];
    if (result > 0)
        snprintf (text, sizeof text, "%s", nn_strerror ((int) result));
    else
        snprintf (text, sizeof text, "returned %ld with revents %ld",
            (-result - 1000) / 10, (-result - 1000) % 10);
    return text;
}

/* Joins within 5 s or reports a hang and ends the process. */
static long join_or_die (pthread_t t, const char *what, int round)
{
    struct timespec deadline;
    void *result;
    clock_gettime (CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    if (pthread_timedjoin_np (t, &result, &deadline) != 0) {
        fprintf (stderr, "round %d: %s still blocked 5 s after it should have ended: hang\n", round, what);
        fflush (stderr);
        _exit (2);
    }
    return (long) result;
}

/* Sockets with a thread blocked in each call; `url` is a tcp address. */
static void make_blocked (const char *url, const char *url2, pthread_t *threads, int *extra)
{
    char buf [65536];
    long i;
    int peer, reader, n;

    sock [RECV_TCP] = nn_socket (AF_SP, NN_PAIR);
    peer = nn_socket (AF_SP, NN_PAIR);
    REQUIRE (sock [RECV_TCP] >= 0 && peer >= 0);
    REQUIRE (nn_bind (sock [RECV_TCP], url) >= 0);
    REQUIRE (nn_connect (peer, url) >= 0);

    sock [SEND_FULL] = nn_socket (AF_SP, NN_PUSH);
    reader = nn_socket (AF_SP, NN_PULL);
    REQUIRE (sock [SEND_FULL] >= 0 && reader >= 0);
    CHECK (set_int (reader, NN_SOL_SOCKET, NN_RCVBUF, 1024) == 0);
    CHECK (set_int (sock [SEND_FULL], NN_SOL_SOCKET, NN_SNDBUF, 1024) == 0);
    REQUIRE (nn_bind (reader, url2) >= 0);
    REQUIRE (nn_connect (sock [SEND_FULL], url2) >= 0);
    wait_connections (sock [SEND_FULL], 1);
    wait_connections (sock [RECV_TCP], 1);
    /* Fill the kernel's buffers and the queues; the thread blocks in the next. */
    memset (buf, 'f', sizeof buf);
    for (n = 0; n < 2000 && nn_send (sock [SEND_FULL], buf, sizeof buf, NN_DONTWAIT) >= 0; n++)
        ;

    sock [SEND_NOPEER] = nn_socket (AF_SP, NN_PAIR);
    sock [POLL] = nn_socket (AF_SP, NN_PAIR);
    sock [DEVICE] = nn_socket (AF_SP_RAW, NN_BUS);
    dev_b = nn_socket (AF_SP_RAW, NN_BUS);
    REQUIRE (sock [SEND_NOPEER] >= 0 && sock [POLL] >= 0 && sock [DEVICE] >= 0 && dev_b >= 0);
    for (i = 0; i < CALLS; i++)
        REQUIRE (pthread_create (&threads [i], NULL, blocked, (void *) i) == 0);
    extra [0] = peer;
    extra [1] = reader;
}

static unsigned rnd_state = 12345;
static unsigned rnd (void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static void close_under_calls (int rounds)
{
    char url [64], url2 [64];
    pthread_t threads [CALLS];
    int extra [2], r, i, order [CALLS], t, wrong = 0;
    long result;

    for (r = 0; r < rounds; r++) {
        snprintf (url, sizeof url, "tcp://127.0.0.1:%d", test_port_base () + 1 + r % 8);
        snprintf (url2, sizeof url2, "tcp://127.0.0.1:%d", test_port_base () + 10 + r % 8);
        make_blocked (url, url2, threads, extra);
        /* 0 to 3 ms: sometimes before the calls have begun. */
        usleep (rnd () % 3000);
        for (i = 0; i < CALLS; i++)
            order [i] = i;
        for (i = CALLS - 1; i > 0; i--) {
            int j = (int) (rnd () % (unsigned) (i + 1));
            t = order [i]; order [i] = order [j]; order [j] = t;
        }
        for (i = 0; i < CALLS; i++)
            CHECK (nn_close (sock [order [i]]) == 0);
        for (i = 0; i < CALLS; i++) {
            result = join_or_die (threads [i], call_names [i], r);
            if (result != EBADF) {
                fprintf (stderr, "close round %d: blocked %s ended: %s, not EBADF\n", r,
                    call_names [i], outcome (result));
                wrong++;
            }
        }
        CHECK (nn_close (dev_b) == 0);
        CHECK (nn_close (extra [0]) == 0);
        CHECK (nn_close (extra [1]) == 0);
    }
    printf ("close under blocked calls: %d rounds x %d calls, %d wrong results\n", rounds, CALLS, wrong);
    CHECK (wrong == 0);
}

/* One round in a fresh process: calls blocked, then nn_term. */
static int term_round (int round)
{
    char url [64], url2 [64];
    pthread_t threads [CALLS];
    int extra [2], i, wrong = 0;
    long result;

    rnd_state = (unsigned) round * 7919u + 1;
    snprintf (url, sizeof url, "tcp://127.0.0.1:%d", test_port_base () + 1);
    snprintf (url2, sizeof url2, "tcp://127.0.0.1:%d", test_port_base () + 2);
    make_blocked (url, url2, threads, extra);
    usleep (rnd () % 3000);
    nn_term ();
    for (i = 0; i < CALLS; i++) {
        result = join_or_die (threads [i], call_names [i], round);
        if (result != ETERM && result != EBADF) {
            fprintf (stderr, "term round %d: blocked %s ended: %s, not ETERM\n", round,
                call_names [i], outcome (result));
            wrong++;
        }
    }
    CHECK_FAILS (nn_socket (AF_SP, NN_PAIR), ETERM);
    return wrong || test_failures ? 1 : 0;
}

static void term_under_calls (const char *self, int rounds)
{
    int r, status, failed = 0, hung = 0, t;
    char arg [16];
    pid_t pid;

    for (r = 0; r < rounds; r++) {
        snprintf (arg, sizeof arg, "%d", r);
        pid = fork ();
        REQUIRE (pid >= 0);
        if (pid == 0) {
            execl (self, self, "term-round", arg, (char *) NULL);
            _exit (127);
        }
        for (t = 0; t < 1000 && waitpid (pid, &status, WNOHANG) == 0; t++)
            usleep (10000);
        if (t == 1000) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            fprintf (stderr, "term round %d: the process did not end in 10 s\n", r);
            hung++;
        } else if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
            fprintf (stderr, "term round %d: the process ended with status %d\n", r, status);
            failed++;
        }
    }
    printf ("nn_term under blocked calls: %d rounds (one process each), %d failed, %d hung\n",
        rounds, failed, hung);
    CHECK (failed == 0 && hung == 0);
}

int main (int argc, char **argv)
{
    char url [64];

    if (argc == 3 && strcmp (argv [1], "term-round") == 0)
        return term_round (atoi (argv [2]));
    signal (SIGPIPE, SIG_IGN);

    traffic_on ("inproc", "inproc://concurrency", 0);
    traffic_on ("inproc 256 B", "inproc://concurrency-small", 256);
    snprintf (url, sizeof url, "ipc:///tmp/nnrs-concurrency-%d.ipc", (int) getpid ());
    traffic_on ("ipc", url, 0);
    snprintf (url, sizeof url, "ipc:///tmp/nnrs-concurrency-s%d.ipc", (int) getpid ());
    traffic_on ("ipc 256 B", url, 256);
    snprintf (url, sizeof url, "tcp://127.0.0.1:%d", test_port_base ());
    traffic_on ("tcp", url, 0);
    snprintf (url, sizeof url, "tcp://127.0.0.1:%d", test_port_base () + 1);
    traffic_on ("tcp 256 B", url, 256);

    close_under_calls (300);
    term_under_calls ("/proc/self/exe", 100);
    return test_result ("concurrency");
}
