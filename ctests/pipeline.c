/* PUSH/PULL over inproc, ipc and tcp: messages are spread over the PULL
   peers in turn, the best NN_SNDPRIO first; a PULL hears every PUSH, and
   what waits from the best NN_RCVPRIO is received first. */
#include "testutil.h"
#include <string.h>
#include <unistd.h>
#include <nanomsg/pipeline.h>

/* How many of the messages waiting on `s` there are. */
static int drain (int s)
{
    char buf [16];
    int n = 0;
    while (nn_recv (s, buf, sizeof buf, NN_DONTWAIT) >= 0)
        n++;
    CHECK (nn_errno () == EAGAIN);
    return n;
}

static void spread (const char *url_a, const char *url_b)
{
    int push = test_socket (NN_PUSH, 5000), a = test_socket (NN_PULL, 5000), b = test_socket (NN_PULL, 5000), i;
    char buf [16];

    CHECK_FAILS (nn_send (push, "x", 1, NN_DONTWAIT), EAGAIN);   /* no peer */
    CHECK_FAILS (nn_recv (push, buf, sizeof buf, NN_DONTWAIT), ENOTSUP);
    CHECK_FAILS (nn_send (a, "x", 1, NN_DONTWAIT), ENOTSUP);
    CHECK (nn_bind (a, url_a) >= 0);
    CHECK (nn_bind (b, url_b) >= 0);
    CHECK (nn_connect (push, url_a) >= 0);
    CHECK (nn_connect (push, url_b) >= 0);
    wait_connections (push, 2);

    /* In turn: five each. */
    for (i = 0; i < 10; i++)
        CHECK (nn_send (push, "job", 3, 0) == 3);
    usleep (100000);
    CHECK (drain (a) == 5);
    CHECK (drain (b) == 5);
    CHECK (nn_close (push) == 0);

    /* The better priority takes everything while it can. */
    push = test_socket (NN_PUSH, 5000);
    CHECK (set_int (push, NN_SOL_SOCKET, NN_SNDPRIO, 2) == 0);
    CHECK (nn_connect (push, url_b) >= 0);
    CHECK (set_int (push, NN_SOL_SOCKET, NN_SNDPRIO, 1) == 0);
    CHECK (nn_connect (push, url_a) >= 0);
    wait_connections (push, 2);
    for (i = 0; i < 10; i++)
        CHECK (nn_send (push, "job", 3, 0) == 3);
    usleep (100000);
    CHECK (drain (a) == 10);
    CHECK (drain (b) == 0);
    CHECK (nn_close (push) == 0 && nn_close (b) == 0);

    /* One PULL hears two PUSH sockets. */
    {
        int p1 = test_socket (NN_PUSH, 5000), p2 = test_socket (NN_PUSH, 5000);
        CHECK (nn_connect (p1, url_a) >= 0);
        CHECK (nn_connect (p2, url_a) >= 0);
        CHECK (nn_send (p1, "one", 3, 0) == 3);
        CHECK (nn_send (p2, "two", 3, 0) == 3);
        CHECK (nn_recv (a, buf, sizeof buf, 0) == 3);
        CHECK (nn_recv (a, buf, sizeof buf, 0) == 3);
        CHECK (nn_close (p1) == 0 && nn_close (p2) == 0);
    }
    CHECK (nn_close (a) == 0);
}

/* A PULL with a low-priority endpoint (NN_RCVPRIO 2) and a high one (1):
   messages waiting from both come out the high ones first, each side in
   the order it sent. */
static void receive_priority (const char *url_low, const char *url_high)
{
    int pull = test_socket (NN_PULL, 5000), low = test_socket (NN_PUSH, 5000), high = test_socket (NN_PUSH, 5000), i;
    char buf [16];

    CHECK (set_int (pull, NN_SOL_SOCKET, NN_RCVPRIO, 2) == 0);
    CHECK (nn_bind (pull, url_low) >= 0);
    CHECK (set_int (pull, NN_SOL_SOCKET, NN_RCVPRIO, 1) == 0);
    CHECK (nn_bind (pull, url_high) >= 0);
    CHECK (nn_connect (low, url_low) >= 0);
    CHECK (nn_connect (high, url_high) >= 0);
    wait_connections (pull, 2);
    for (i = 0; i < 3; i++) {
        sprintf (buf, "low%d", i);
        CHECK (nn_send (low, buf, 4, 0) == 4);
    }
    usleep (100000);
    for (i = 0; i < 3; i++) {
        sprintf (buf, "high%d", i);
        CHECK (nn_send (high, buf, 5, 0) == 5);
    }
    usleep (100000);
    for (i = 0; i < 6; i++) {
        char want [16];
        int n;
        sprintf (want, i < 3 ? "high%d" : "low%d", i % 3);
        n = nn_recv (pull, buf, sizeof buf, 0);
        CHECK (n == (int) strlen (want) && memcmp (buf, want, n) == 0);
    }
    CHECK (nn_close (low) == 0 && nn_close (high) == 0 && nn_close (pull) == 0);
}

int main (void)
{
    char a [64], b [64];
    int port = test_port_base ();

    spread ("inproc://pipeline-a", "inproc://pipeline-b");
    receive_priority ("inproc://pipeline-a", "inproc://pipeline-b");
    sprintf (a, "ipc:///tmp/nnrs-pipeline-a-%d.ipc", (int) getpid ());
    sprintf (b, "ipc:///tmp/nnrs-pipeline-b-%d.ipc", (int) getpid ());
    spread (a, b);
    receive_priority (a, b);
    sprintf (a, "tcp://127.0.0.1:%d", port);
    sprintf (b, "tcp://127.0.0.1:%d", port + 1);
    spread (a, b);
    receive_priority (a, b);
    return test_result ("pipeline");
}
