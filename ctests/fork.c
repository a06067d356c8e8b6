/* fork() after sockets exist. The parent has PAIR sockets talking over
   inproc and tcp (so its I/O thread runs). It forks first while no other
   thread of its own is in the library ("quiet"), then while one thread
   passes messages back and forth and another opens and closes sockets
   ("busy"). Each child creates new sockets,
   exchanges messages over inproc and over tcp both ways, closes them and
   exits with status 0; a child that does not finish within 3 s (SIGALRM)
   is a hang. After each fork the parent's own sockets still work. A phase
   stops at its third hang, so that the test stays short. */
#include "testutil.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <nanomsg/pair.h>

#define QUIET_ROUNDS 10
#define BUSY_ROUNDS 30

static int busy_a, busy_b;
static volatile int stop_busy;

/* Keeps messages moving in the parent while it forks. */
static void *busy (void *arg)
{
    char buf [16];
    (void) arg;
    while (!stop_busy) {
        if (nn_send (busy_a, "busy", 4, 0) != 4 || nn_recv (busy_b, buf, sizeof buf, 0) != 4) {
            fprintf (stderr, "parent: busy traffic failed: %s\n", nn_strerror (nn_errno ()));
            return (void *) 1;
        }
    }
    return NULL;
}

/* Opens and closes sockets in the parent while it forks. */
static void *churn (void *arg)
{
    int s;
    (void) arg;
    while (!stop_busy) {
        s = nn_socket (AF_SP, NN_PAIR);
        if (s < 0 || nn_close (s) != 0) {
            fprintf (stderr, "parent: socket churn failed: %s\n", nn_strerror (nn_errno ()));
            return (void *) 1;
        }
    }
    return NULL;
}

/* a sends to b and b answers; 0 when both arrive. */
static int exchange (int a, int b, const char *who)
{
    char buf [32];
    int rc;
    if (nn_send (a, "ping", 4, 0) != 4) {
        fprintf (stderr, "%s: send: %s\n", who, nn_strerror (nn_errno ()));
        return 1;
    }
    rc = nn_recv (b, buf, sizeof buf, 0);
    if (rc != 4 || memcmp (buf, "ping", 4) != 0) {
        fprintf (stderr, "%s: recv: %d %s\n", who, rc, rc < 0 ? nn_strerror (nn_errno ()) : "");
        return 1;
    }
    if (nn_send (b, "pong", 4, 0) != 4) {
        fprintf (stderr, "%s: answer: %s\n", who, nn_strerror (nn_errno ()));
        return 1;
    }
    rc = nn_recv (a, buf, sizeof buf, 0);
    if (rc != 4 || memcmp (buf, "pong", 4) != 0) {
        fprintf (stderr, "%s: answer recv: %d %s\n", who, rc, rc < 0 ? nn_strerror (nn_errno ()) : "");
        return 1;
    }
    return 0;
}

/* The child's work; its exit status. */
static int child (int round)
{
    char url [64];
    int x, y, u, v, bad = 0;

    alarm (3);
    x = nn_socket (AF_SP, NN_PAIR);
    y = nn_socket (AF_SP, NN_PAIR);
    if (x < 0 || y < 0) {
        fprintf (stderr, "child %d: nn_socket: %s\n", round, nn_strerror (nn_errno ()));
        return 3;
    }
    set_int (x, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
    set_int (y, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
    set_int (x, NN_SOL_SOCKET, NN_SNDTIMEO, 5000);
    set_int (y, NN_SOL_SOCKET, NN_SNDTIMEO, 5000);
    if (nn_bind (x, "inproc://forked-child") < 0 || nn_connect (y, "inproc://forked-child") < 0) {
        fprintf (stderr, "child %d: inproc bind/connect: %s\n", round, nn_strerror (nn_errno ()));
        return 4;
    }
    bad |= exchange (y, x, "child inproc");
    u = nn_socket (AF_SP, NN_PAIR);
    v = nn_socket (AF_SP, NN_PAIR);
    if (u < 0 || v < 0)
        return 3;
    set_int (u, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
    set_int (v, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
    set_int (u, NN_SOL_SOCKET, NN_SNDTIMEO, 5000);
    set_int (v, NN_SOL_SOCKET, NN_SNDTIMEO, 5000);
    snprintf (url, sizeof url, "tcp://127.0.0.1:%d", test_port_base () + 1);
    if (nn_bind (u, url) < 0 || nn_connect (v, url) < 0) {
        fprintf (stderr, "child %d: tcp bind/connect: %s\n", round, nn_strerror (nn_errno ()));
        return 5;
    }
    bad |= exchange (v, u, "child tcp");
    if (nn_close (x) != 0 || nn_close (y) != 0 || nn_close (u) != 0 || nn_close (v) != 0)
        bad = 1;
    return bad ? 6 : 0;
}

static int a, b, c, d, parent_bad;

/* Forks `rounds` times; the number of children that were served. */
static int forks (const char *phase, int rounds)
{
    int r, t, status, ok = 0, hung = 0, failed = 0;
    pid_t pid;

    for (r = 0; r < rounds && hung < 3; r++) {
        fflush (stdout);
        fflush (stderr);
        pid = fork ();
        REQUIRE (pid >= 0);
        if (pid == 0)
            exit (child (r));
        for (t = 0; t < 1000 && waitpid (pid, &status, WNOHANG) == 0; t++)
            usleep (10000);
        if (t == 1000) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            fprintf (stderr, "%s round %d: the child did not end in 10 s\n", phase, r);
            hung++;
        } else if (WIFSIGNALED (status)) {
            fprintf (stderr, "%s round %d: the child died of signal %d%s\n", phase, r, WTERMSIG (status),
                WTERMSIG (status) == SIGALRM ? " (hung for 3 s)" : "");
            if (WTERMSIG (status) == SIGALRM)
                hung++;
            else
                failed++;
        } else if (WEXITSTATUS (status) != 0) {
            fprintf (stderr, "%s round %d: the child exited with %d\n", phase, r, WEXITSTATUS (status));
            failed++;
        } else
            ok++;
        /* The parent's sockets still work. */
        if (exchange (b, a, "parent tcp") || exchange (d, c, "parent inproc"))
            parent_bad++;
    }
    printf ("fork %s: %d rounds: %d children served, %d failed, %d hung\n", phase, r, ok, failed, hung);
    CHECK (ok == rounds);
    return ok;
}

int main (void)
{
    char url [64];
    pthread_t busy_thread, churn_thread;
    void *busy_result, *churn_result;

    snprintf (url, sizeof url, "tcp://127.0.0.1:%d", test_port_base ());
    a = test_socket (NN_PAIR, 5000);
    b = test_socket (NN_PAIR, 5000);
    c = test_socket (NN_PAIR, 5000);
    d = test_socket (NN_PAIR, 5000);
    busy_a = test_socket (NN_PAIR, 5000);
    busy_b = test_socket (NN_PAIR, 5000);
    REQUIRE (nn_bind (a, url) >= 0 && nn_connect (b, url) >= 0);
    REQUIRE (nn_bind (c, "inproc://forked-parent") >= 0 && nn_connect (d, "inproc://forked-parent") >= 0);
    REQUIRE (nn_bind (busy_a, "inproc://forked-busy") >= 0 && nn_connect (busy_b, "inproc://forked-busy") >= 0);
    CHECK (exchange (b, a, "parent tcp") == 0);
    CHECK (exchange (d, c, "parent inproc") == 0);

    forks ("quiet", QUIET_ROUNDS);
    REQUIRE (pthread_create (&busy_thread, NULL, busy, NULL) == 0);
    REQUIRE (pthread_create (&churn_thread, NULL, churn, NULL) == 0);
    forks ("busy", BUSY_ROUNDS);
    stop_busy = 1;
    REQUIRE (pthread_join (busy_thread, &busy_result) == 0);
    REQUIRE (pthread_join (churn_thread, &churn_result) == 0);
    CHECK (busy_result == NULL && churn_result == NULL);
    printf ("fork: parent failures %d\n", parent_bad);
    CHECK (parent_bad == 0);
    CHECK (nn_close (a) == 0 && nn_close (b) == 0 && nn_close (c) == 0 && nn_close (d) == 0);
    return test_result ("fork");
}
