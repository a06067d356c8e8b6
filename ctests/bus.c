/* BUS over inproc, ipc and tcp: a message goes to every directly connected
   peer, never back to its sender, and is not passed on by the peers. */
#include "testutil.h"
#include <unistd.h>
#include <nanomsg/bus.h>

/* Nothing (more) arrives: a short receive timeout runs out. */
static void nothing_more (int s)
{
    char buf [64];
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, 100) == 0);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
}

/* Three sockets, each connected to both others (a binds `a`, b binds `b`,
   b connects to a, c connects to both): every message reaches the two
   others exactly once and never comes back. */
static void mesh (const char *url_a, const char *url_b)
{
    int s [3], i, j;
    char buf [16];

    for (i = 0; i < 3; i++)
        s [i] = test_socket (NN_BUS, 5000);
    CHECK (nn_bind (s [0], url_a) >= 0);
    CHECK (nn_bind (s [1], url_b) >= 0);
    CHECK (nn_connect (s [1], url_a) >= 0);
    CHECK (nn_connect (s [2], url_a) >= 0);
    CHECK (nn_connect (s [2], url_b) >= 0);
    for (i = 0; i < 3; i++)
        wait_connections (s [i], 2);

    for (i = 0; i < 3; i++) {
        buf [0] = (char) ('A' + i);
        CHECK (nn_send (s [i], buf, 1, 0) == 1);
        for (j = 0; j < 3; j++) {
            if (j == i)
                continue;
            CHECK (nn_recv (s [j], buf, sizeof buf, 0) == 1 && buf [0] == 'A' + i);
        }
        for (j = 0; j < 3; j++)
            nothing_more (s [j]);
    }
    for (i = 0; i < 3; i++)
        CHECK (nn_close (s [i]) == 0);
}

/* A line a - hub - c (the hub binds, the others connect): what a says
   reaches the hub only, and what the hub says reaches both. */
static void line (const char *url)
{
    int hub = test_socket (NN_BUS, 5000), a = test_socket (NN_BUS, 5000);
    int c = test_socket (NN_BUS, 5000);
    char buf [16];

    CHECK (nn_bind (hub, url) >= 0);
    CHECK (nn_connect (a, url) >= 0);
    CHECK (nn_connect (c, url) >= 0);
    wait_connections (hub, 2);
    CHECK (nn_send (a, "from-a", 6, 0) == 6);
    CHECK (nn_recv (hub, buf, sizeof buf, 0) == 6 && memcmp (buf, "from-a", 6) == 0);
    nothing_more (c);
    nothing_more (a);
    CHECK (nn_send (hub, "all", 3, 0) == 3);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 3 && memcmp (buf, "all", 3) == 0);
    CHECK (nn_recv (c, buf, sizeof buf, 0) == 3 && memcmp (buf, "all", 3) == 0);
    nothing_more (hub);
    CHECK (nn_close (hub) == 0 && nn_close (a) == 0 && nn_close (c) == 0);
}

/* Alone on the bus: sending succeeds, and nothing comes back. */
static void alone (const char *url)
{
    int s = test_socket (NN_BUS, 5000);

    CHECK (nn_bind (s, url) >= 0);
    CHECK (nn_send (s, "echo?", 5, 0) == 5);
    nothing_more (s);
    CHECK (nn_close (s) == 0);
}

int main (void)
{
    char a [64], b [64];
    int port = test_port_base (), pid = (int) getpid ();

    mesh ("inproc://bus-a", "inproc://bus-b");
    line ("inproc://bus-line");
    alone ("inproc://bus-alone");

    sprintf (a, "ipc:///tmp/nnrs-bus-a-%d.ipc", pid);
    sprintf (b, "ipc:///tmp/nnrs-bus-b-%d.ipc", pid);
    mesh (a, b);
    line (a);
    alone (b);

    /* A port per case, so no case meets the last one's leftovers. */
    sprintf (a, "tcp://127.0.0.1:%d", port);
    sprintf (b, "tcp://127.0.0.1:%d", port + 1);
    mesh (a, b);
    sprintf (a, "tcp://127.0.0.1:%d", port + 2);
    line (a);
    sprintf (a, "tcp://127.0.0.1:%d", port + 3);
    alone (a);
    return test_result ("bus");
}
