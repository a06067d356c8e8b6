/*  REQ sends its request again, at once and on another connection, when
    the connection that carried it dies (nanomsg waits out the whole
    NN_REQ_RESEND_IVL, 60 s by default). Over ipc and tcp: a REQ connected
    to two REPs; the REP that got the request closes without answering; the
    other one receives the request within a few seconds and answers. */

#include "testutil.h"
#include <string.h>
#include <unistd.h>
#include <nanomsg/reqrep.h>

#define TIMEOUT 3000

static void resend_when_the_pipe_dies (const char *url_a, const char *url_b)
{
    char buf [64];
    int req = test_socket (NN_REQ, TIMEOUT);
    int rep [2];
    int got, other, n;

    rep [0] = test_socket (NN_REP, 200);
    rep [1] = test_socket (NN_REP, 200);
    CHECK (nn_bind (rep [0], url_a) > 0);
    CHECK (nn_bind (rep [1], url_b) > 0);
    CHECK (nn_connect (req, url_a) > 0);
    CHECK (nn_connect (req, url_b) > 0);
    wait_connections (req, 2);

    CHECK (nn_send (req, "job", 3, 0) == 3);
    /* Find the REP the load balancer chose. */
    for (got = -1, n = 0; got < 0 && n < 10; n++) {
        if (nn_recv (rep [n % 2], buf, sizeof buf, 0) == 3)
            got = n % 2;
    }
    REQUIRE (got >= 0);
    other = 1 - got;
    CHECK (nn_close (rep [got]) == 0);

    CHECK (set_int (rep [other], NN_SOL_SOCKET, NN_RCVTIMEO, TIMEOUT) == 0);
    CHECK (nn_recv (rep [other], buf, sizeof buf, 0) == 3 && memcmp (buf, "job", 3) == 0);
    CHECK (nn_send (rep [other], "done", 4, 0) == 4);
    CHECK (nn_recv (req, buf, sizeof buf, 0) == 4 && memcmp (buf, "done", 4) == 0);
    CHECK (nn_close (rep [other]) == 0);
    CHECK (nn_close (req) == 0);
}

int main (void)
{
    char a [64], b [64];
    int port = test_port_base ();

    snprintf (a, sizeof a, "ipc:///tmp/nnrs-reqresend-a-%d.ipc", (int) getpid ());
    snprintf (b, sizeof b, "ipc:///tmp/nnrs-reqresend-b-%d.ipc", (int) getpid ());
    resend_when_the_pipe_dies (a, b);
    snprintf (a, sizeof a, "tcp://127.0.0.1:%d", port);
    snprintf (b, sizeof b, "tcp://127.0.0.1:%d", port + 1);
    resend_when_the_pipe_dies (a, b);
    return test_result ("reqresend");
}
