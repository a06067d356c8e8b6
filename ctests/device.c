/* nn_device over inproc, ipc and tcp: a REQ/REP broker made of two raw
   sockets, a one-socket BUS broker and a one-socket PAIR echo, all stopped
   by nn_term; and the sockets nn_device refuses. */
#include "testutil.h"
#include <pthread.h>
#include <unistd.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/bus.h>
#include <nanomsg/pair.h>

struct device {
    int s1, s2, rc, err;
    pthread_t thread;
};

static void *run_device (void *arg)
{
    struct device *d = arg;
    d->rc = nn_device (d->s1, d->s2);
    d->err = errno;
    return NULL;
}

static void start (struct device *d, int s1, int s2)
{
    d->s1 = s1;
    d->s2 = s2;
    REQUIRE (pthread_create (&d->thread, NULL, run_device, d) == 0);
}

static int raw_socket (int protocol)
{
    int s = nn_socket (AF_SP_RAW, protocol);
    REQUIRE (s >= 0);
    return s;
}

static int recv_is (int s, const char *want)
{
    char buf [64];
    int n = nn_recv (s, buf, sizeof buf, 0);
    return n == (int) strlen (want) && memcmp (buf, want, n) == 0;
}

/* Nothing (more) arrives: a short receive timeout runs out. */
static void nothing_more (int s)
{
    char buf [64];
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, 100) == 0);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
}

/* What nn_device refuses at once (it returns instead of forwarding). */
static void refused (void)
{
    int req = test_socket (NN_REQ, 1000), rep = test_socket (NN_REP, 1000);
    int raw_req = raw_socket (NN_REQ), raw_rep = raw_socket (NN_REP);
    int raw_pub = raw_socket (NN_PUB);

    CHECK_FAILS (nn_device (-1, -1), EBADF);
    /* Both sockets must be raw, */
    CHECK_FAILS (nn_device (req, rep), EINVAL);
    CHECK_FAILS (nn_device (raw_rep, req), EINVAL);
    /* of one protocol family, */
    CHECK_FAILS (nn_device (raw_req, raw_pub), EINVAL);
    /* and the one-socket form takes a raw socket too. */
    CHECK_FAILS (nn_device (req, -1), EINVAL);
    CHECK_FAILS (nn_device (-1, rep), EINVAL);
    CHECK (nn_close (req) == 0 && nn_close (rep) == 0 && nn_close (raw_req) == 0);
    CHECK (nn_close (raw_rep) == 0 && nn_close (raw_pub) == 0);
}

/* A REQ connected to the broker's front talks to a REP connected to its
   back: requests and replies both pass the device. */
static void through_broker (int back, const char *front_url, const char *back_url)
{
    int req = test_socket (NN_REQ, 5000), rep = test_socket (NN_REP, 5000), i;
    char buf [16];

    CHECK (nn_connect (req, front_url) >= 0);
    CHECK (nn_connect (rep, back_url) >= 0);
    wait_connections (req, 1);
    wait_connections (back, 1);
    for (i = 0; i < 3; i++) {
        CHECK (nn_send (req, "ask", 3, 0) == 3);
        CHECK (recv_is (rep, "ask"));
        buf [0] = (char) ('0' + i);
        CHECK (nn_send (rep, buf, 1, 0) == 1);
        CHECK (nn_recv (req, buf, sizeof buf, 0) == 1 && buf [0] == '0' + i);
    }
    CHECK (nn_close (req) == 0 && nn_close (rep) == 0);
    /* The next case must find no stale REP to send to. */
    wait_connections (back, 0);
}

/* A raw BUS looped onto itself relays each message to all its other
   peers, not back to the sender. */
static void bus_broker (int broker, const char *url)
{
    int a = test_socket (NN_BUS, 5000), b = test_socket (NN_BUS, 5000);
    int c = test_socket (NN_BUS, 5000);

    CHECK (nn_connect (a, url) >= 0);
    CHECK (nn_connect (b, url) >= 0);
    CHECK (nn_connect (c, url) >= 0);
    wait_connections (broker, 3);
    CHECK (nn_send (a, "hi all", 6, 0) == 6);
    CHECK (recv_is (b, "hi all"));
    CHECK (recv_is (c, "hi all"));
    nothing_more (a);
    CHECK (nn_close (a) == 0 && nn_close (b) == 0 && nn_close (c) == 0);
    wait_connections (broker, 0);
}

/* A raw PAIR looped onto itself sends everything back to its peer. */
static void pair_echo (int echo, const char *url)
{
    int p = test_socket (NN_PAIR, 5000);

    CHECK (nn_connect (p, url) >= 0);
    wait_connections (echo, 1);
    CHECK (nn_send (p, "echo", 4, 0) == 4);
    CHECK (recv_is (p, "echo"));
    CHECK (nn_close (p) == 0);
    /* A raw PAIR takes one peer at a time: let this one go first. */
    wait_connections (echo, 0);
}

int main (void)
{
    static const char *kinds [3] = { "front", "back", "bus" };
    char urls [3] [4] [64];
    int port = test_port_base (), pid = (int) getpid (), i, k;
    int front, back, bus, pair;
    struct device broker, bus_loop, pair_loop;

    refused ();

    /* urls [transport] [front, back, bus, pair] */
    for (k = 0; k < 4; k++) {
        const char *kind = k < 3 ? kinds [k] : "pair";
        sprintf (urls [0] [k], "inproc://device-%s", kind);
        sprintf (urls [1] [k], "ipc:///tmp/nnrs-device-%s-%d.ipc", kind, pid);
        sprintf (urls [2] [k], "tcp://127.0.0.1:%d", port + k);
    }
    front = raw_socket (NN_REP);
    back = raw_socket (NN_REQ);
    bus = raw_socket (NN_BUS);
    pair = raw_socket (NN_PAIR);
    for (i = 0; i < 3; i++) {
        CHECK (nn_bind (front, urls [i] [0]) >= 0);
        CHECK (nn_bind (back, urls [i] [1]) >= 0);
        CHECK (nn_bind (bus, urls [i] [2]) >= 0);
        CHECK (nn_bind (pair, urls [i] [3]) >= 0);
    }
    start (&broker, front, back);
    /* The one-socket form: either argument may be the -1. */
    start (&bus_loop, bus, -1);
    start (&pair_loop, -1, pair);

    for (i = 0; i < 3; i++) {
        through_broker (back, urls [i] [0], urls [i] [1]);
        bus_broker (bus, urls [i] [2]);
        pair_echo (pair, urls [i] [3]);
    }

    /* nn_term is the way to stop a device: it returns -1. nanomsg documents
       ETERM (as term.c expects of every blocked call); the real 1.1.5 gives
       EBADF here, the socket being gone by the time the device looks at
       it, so either is taken. */
    nn_term ();
    REQUIRE (pthread_join (broker.thread, NULL) == 0);
    REQUIRE (pthread_join (bus_loop.thread, NULL) == 0);
    REQUIRE (pthread_join (pair_loop.thread, NULL) == 0);
    CHECK (broker.rc == -1 && (broker.err == ETERM || broker.err == EBADF));
    CHECK (bus_loop.rc == -1 && (bus_loop.err == ETERM || bus_loop.err == EBADF));
    CHECK (pair_loop.rc == -1 && (pair_loop.err == ETERM || pair_loop.err == EBADF));
    return test_result ("device");
}
