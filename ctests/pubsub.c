/* PUB/SUB over inproc, ipc and tcp: a SUB hears only what it subscribed to
   (by prefix), subscriptions are counted, every subscriber hears every
   message, and a publisher never waits for anybody. */
#include "testutil.h"
#include <unistd.h>
#include <nanomsg/pubsub.h>

static int subscribe (int s, const char *topic)
{
    return nn_setsockopt (s, NN_SUB, NN_SUB_SUBSCRIBE, topic, strlen (topic));
}

static int unsubscribe (int s, const char *topic)
{
    return nn_setsockopt (s, NN_SUB, NN_SUB_UNSUBSCRIBE, topic, strlen (topic));
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

static void publish (int pub, const char *msg)
{
    CHECK (nn_send (pub, msg, strlen (msg), 0) == (int) strlen (msg));
}

/* A PUB bound at `url` and a SUB connected to it, the connection up. */
static void pair_up (const char *url, int *pub, int *sub)
{
    *pub = test_socket (NN_PUB, 5000);
    *sub = test_socket (NN_SUB, 5000);
    CHECK (nn_bind (*pub, url) >= 0);
    CHECK (nn_connect (*sub, url) >= 0);
    wait_connections (*pub, 1);
}

/* Without a subscription a SUB receives nothing; each side has only one
   direction. */
static void unsubscribed (const char *url)
{
    int pub, sub;
    char buf [16];

    pair_up (url, &pub, &sub);
    publish (pub, "hello");
    nothing_more (sub);
    CHECK_FAILS (nn_recv (pub, buf, sizeof buf, 0), ENOTSUP);
    CHECK_FAILS (nn_send (sub, "x", 1, 0), ENOTSUP);
    CHECK (nn_close (pub) == 0 && nn_close (sub) == 0);
}

/* The empty prefix matches every message, the empty one included. */
static void everything (const char *url)
{
    int pub, sub;
    char buf [16];

    pair_up (url, &pub, &sub);
    CHECK (subscribe (sub, "") == 0);
    publish (pub, "one");
    publish (pub, "");
    publish (pub, "three");
    CHECK (recv_is (sub, "one"));
    CHECK (nn_recv (sub, buf, sizeof buf, 0) == 0);
    CHECK (recv_is (sub, "three"));
    CHECK (nn_close (pub) == 0 && nn_close (sub) == 0);
}

/* A message is delivered when some subscription is a prefix of it. */
static void prefixes (const char *url)
{
    int pub, sub;

    pair_up (url, &pub, &sub);
    CHECK (subscribe (sub, "ab") == 0);
    CHECK (subscribe (sub, "xyz") == 0);
    publish (pub, "a");
    publish (pub, "abc");
    publish (pub, "b");
    publish (pub, "xab");
    publish (pub, "ab");
    publish (pub, "xy");
    publish (pub, "xyz!");
    CHECK (recv_is (sub, "abc"));
    CHECK (recv_is (sub, "ab"));
    CHECK (recv_is (sub, "xyz!"));
    nothing_more (sub);
    CHECK (nn_close (pub) == 0 && nn_close (sub) == 0);
}

/* Subscribing twice takes two unsubscribes to undo. Unsubscribing a prefix
   that was never subscribed succeeds and changes nothing. (The real
   nanomsg 1.1.5 crashes when that happens on a SUB with no subscription
   at all, so this only does it while another subscription exists.) */
static void counted (const char *url)
{
    int pub, sub;

    pair_up (url, &pub, &sub);
    CHECK (subscribe (sub, "a") == 0);
    CHECK (subscribe (sub, "a") == 0);
    CHECK (unsubscribe (sub, "zz") == 0);
    CHECK (unsubscribe (sub, "ab") == 0);
    publish (pub, "a1");
    CHECK (recv_is (sub, "a1"));
    CHECK (unsubscribe (sub, "a") == 0);
    publish (pub, "a2");
    CHECK (recv_is (sub, "a2"));
    CHECK (subscribe (sub, "keep") == 0);
    CHECK (unsubscribe (sub, "a") == 0);
    publish (pub, "a3");
    publish (pub, "keep");
    CHECK (recv_is (sub, "keep"));
    nothing_more (sub);
    CHECK (nn_close (pub) == 0 && nn_close (sub) == 0);
}

/* Nobody listening: a PUB still sends at once, and the message is gone. */
static void no_subscribers (const char *url)
{
    int pub = test_socket (NN_PUB, 5000), i;

    CHECK (nn_send (pub, "void", 4, NN_DONTWAIT) == 4);
    CHECK (nn_bind (pub, url) >= 0);
    for (i = 0; i < 100; i++)
        CHECK (nn_send (pub, "void", 4, 0) == 4);
    CHECK (nn_close (pub) == 0);
}

/* Every subscriber gets every message, in order. */
static void fan_out (const char *url)
{
    int pub = test_socket (NN_PUB, 5000), sub [3], i, j;
    char buf [16];

    CHECK (nn_bind (pub, url) >= 0);
    for (i = 0; i < 3; i++) {
        sub [i] = test_socket (NN_SUB, 5000);
        CHECK (subscribe (sub [i], "") == 0);
        CHECK (nn_connect (sub [i], url) >= 0);
    }
    wait_connections (pub, 3);
    for (j = 0; j < 10; j++) {
        buf [0] = (char) ('0' + j);
        CHECK (nn_send (pub, buf, 1, 0) == 1);
    }
    for (i = 0; i < 3; i++) {
        for (j = 0; j < 10; j++)
            CHECK (nn_recv (sub [i], buf, sizeof buf, 0) == 1 && buf [0] == '0' + j);
        nothing_more (sub [i]);
        CHECK (nn_close (sub [i]) == 0);
    }
    CHECK (nn_close (pub) == 0);
}

/* A subscriber that never reads, with a small receive buffer, does not hold
   the publisher up: its messages are dropped instead, and the others still
   get theirs. */
static void slow_subscriber (const char *url)
{
    int pub = test_socket (NN_PUB, 5000), slow = test_socket (NN_SUB, 5000), i, ok = 0;
    int fast = test_socket (NN_SUB, 5000);
    char msg [100];

    memset (msg, 'm', sizeof msg);
    CHECK (set_int (slow, NN_SOL_SOCKET, NN_RCVBUF, 1024) == 0);
    CHECK (subscribe (slow, "") == 0);
    CHECK (subscribe (fast, "") == 0);
    CHECK (nn_bind (pub, url) >= 0);
    CHECK (nn_connect (slow, url) >= 0);
    CHECK (nn_connect (fast, url) >= 0);
    wait_connections (pub, 2);
    for (i = 0; i < 10000; i++)
        ok += nn_send (pub, msg, sizeof msg, NN_DONTWAIT) == (int) sizeof msg;
    CHECK (ok == 10000);
    /* The publisher is still there for the other subscriber: once that one
       has read all that reached it (nothing comes for 200 ms), the next
       message arrives. */
    CHECK (set_int (fast, NN_SOL_SOCKET, NN_RCVTIMEO, 200) == 0);
    while (nn_recv (fast, msg, sizeof msg, 0) >= 0)
        ;
    CHECK (nn_errno () == ETIMEDOUT);
    CHECK (set_int (fast, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
    publish (pub, "last");
    CHECK (recv_is (fast, "last"));
    CHECK (nn_close (pub) == 0 && nn_close (slow) == 0 && nn_close (fast) == 0);
}

int main (void)
{
    char url [64];
    int port = test_port_base (), pid = (int) getpid (), i;
    void (*cases []) (const char *) = { unsubscribed, everything, prefixes,
        counted, no_subscribers, fan_out, slow_subscriber };
    int ncases = (int) (sizeof cases / sizeof cases [0]);

    for (i = 0; i < ncases; i++) {
        sprintf (url, "inproc://pubsub-%d", i);
        cases [i] (url);
        sprintf (url, "ipc:///tmp/nnrs-pubsub-%d-%d.ipc", pid, i);
        cases [i] (url);
        /* A port per case, so no case meets the last one's leftovers. */
        sprintf (url, "tcp://127.0.0.1:%d", port + i);
        cases [i] (url);
    }
    return test_result ("pubsub");
}
