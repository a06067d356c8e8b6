/* Every socket type over inproc, ipc and tcp: with its right peer, on
   either end of the connection, one message (and its answer, where the
   protocol has one) goes through; with a wrong peer nothing ever does. */
#include "testutil.h"
#include <unistd.h>
#include <nanomsg/pair.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/survey.h>
#include <nanomsg/bus.h>

struct peers {
    int bound, connected;
    int first;          /* which one speaks first: 0 bound, 1 connected */
    int answer;         /* whether the other one answers */
};

static const struct peers right [] = {
    { NN_PAIR, NN_PAIR, 1, 1 },
    { NN_PUSH, NN_PULL, 0, 0 },
    { NN_PULL, NN_PUSH, 1, 0 },
    { NN_REQ, NN_REP, 0, 1 },
    { NN_REP, NN_REQ, 1, 1 },
    { NN_PUB, NN_SUB, 0, 0 },
    { NN_SUB, NN_PUB, 1, 0 },
    { NN_SURVEYOR, NN_RESPONDENT, 0, 1 },
    { NN_RESPONDENT, NN_SURVEYOR, 1, 1 },
    { NN_BUS, NN_BUS, 1, 1 },
};

static const struct peers wrong [] = {
    { NN_REQ, NN_PUB, 0, 0 },
    { NN_PUB, NN_REQ, 0, 0 },
    { NN_PAIR, NN_BUS, 0, 0 },
    { NN_PUSH, NN_SUB, 0, 0 },
    { NN_SURVEYOR, NN_REP, 0, 0 },
    { NN_REQ, NN_REQ, 0, 0 },
    { NN_PULL, NN_PULL, 0, 0 },
};

#define COUNT(a) ((int) (sizeof (a) / sizeof ((a) [0])))

static int peer_socket (int protocol)
{
    int s = test_socket (protocol, 5000);
    if (protocol == NN_SUB)
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) == 0);
    if (protocol == NN_SURVEYOR)
        CHECK (set_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, 5000) == 0);
    return s;
}

static void exchange (const struct peers *p, const char *url)
{
    int s [2], from, to, before = test_failures;
    char buf [16];

    s [0] = peer_socket (p->bound);
    s [1] = peer_socket (p->connected);
    CHECK (nn_bind (s [0], url) >= 0);
    CHECK (nn_connect (s [1], url) >= 0);
    /* PUB, SURVEYOR and BUS drop what they send while nobody is there. */
    wait_connections (s [0], 1);
    wait_connections (s [1], 1);
    from = s [p->first];
    to = s [1 - p->first];
    CHECK (nn_send (from, "hello", 5, 0) == 5);
    CHECK (nn_recv (to, buf, sizeof buf, 0) == 5 && memcmp (buf, "hello", 5) == 0);
    if (p->answer) {
        CHECK (nn_send (to, "back", 4, 0) == 4);
        CHECK (nn_recv (from, buf, sizeof buf, 0) == 4 && memcmp (buf, "back", 4) == 0);
    }
    if (test_failures != before)
        fprintf (stderr, "  (protocols %d and %d over %s)\n", p->bound, p->connected, url);
    CHECK (nn_close (s [0]) == 0 && nn_close (s [1]) == 0);
}

/* Both try to send (which may fail, time out or go nowhere) and to
   receive: neither gets anything. */
static void mismatch (const struct peers *p, const char *url)
{
    int s [2], i, before = test_failures;
    char buf [16];

    s [0] = peer_socket (p->bound);
    s [1] = peer_socket (p->connected);
    CHECK (nn_bind (s [0], url) >= 0);
    CHECK (nn_connect (s [1], url) >= 0);
    usleep (100000);
    for (i = 0; i < 2; i++)
        nn_send (s [i], "stray", 5, NN_DONTWAIT);
    for (i = 0; i < 2; i++) {
        CHECK (set_int (s [i], NN_SOL_SOCKET, NN_RCVTIMEO, 100) == 0);
        CHECK (nn_recv (s [i], buf, sizeof buf, 0) == -1);
    }
    if (test_failures != before)
        fprintf (stderr, "  (protocols %d and %d over %s)\n", p->bound, p->connected, url);
    CHECK (nn_close (s [0]) == 0 && nn_close (s [1]) == 0);
}

int main (void)
{
    char url [64];
    int port = test_port_base (), pid = (int) getpid (), i;

    /* An address per case, so no case meets the last one's leftovers. */
    for (i = 0; i < COUNT (right); i++) {
        sprintf (url, "inproc://protocols-%d", i);
        exchange (&right [i], url);
        sprintf (url, "ipc:///tmp/nnrs-protocols-%d-%d.ipc", pid, i);
        exchange (&right [i], url);
        sprintf (url, "tcp://127.0.0.1:%d", port + i);
        exchange (&right [i], url);
    }
    for (i = 0; i < COUNT (wrong); i++) {
        sprintf (url, "inproc://protocols-wrong-%d", i);
        mismatch (&wrong [i], url);
        sprintf (url, "ipc:///tmp/nnrs-protocols-wrong-%d-%d.ipc", pid, i);
        mismatch (&wrong [i], url);
        sprintf (url, "tcp://127.0.0.1:%d", port + COUNT (right) + i);
        mismatch (&wrong [i], url);
    }
    return test_result ("protocols");
}
