/* Limits and lifecycle over ipc and tcp: NN_RCVMAXSIZE drops an oversize
   frame's connection (counted) and -1 lifts the limit (100 MiB); a full
   receiver pushes back without losing anything; NN_LINGER lets queued
   messages reach a reading peer before nn_close returns. */
#include "testutil.h"
#include <pthread.h>
#include <unistd.h>
#include <nanomsg/pair.h>
#include <nanomsg/pipeline.h>

static int pair_socket (void)
{
    int s = test_socket (NN_PAIR, 10000);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RECONNECT_IVL, 20) == 0);
    return s;
}

static void max_size (const char *url)
{
    int a = pair_socket (), b = pair_socket ();
    char big [200], buf [200];
    void *chunk = NULL;
    size_t huge = 100u << 20;
    char *payload;

    memset (big, 'x', sizeof big);
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVMAXSIZE, 100) == 0);
    CHECK (nn_bind (a, url) >= 0);
    CHECK (nn_connect (b, url) >= 0);
    CHECK (nn_send (b, big, 100, 0) == 100);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 100);
    /* Over the limit: the connection is dropped and counted ... */
    CHECK (nn_send (b, big, 101, 0) == 101);
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVTIMEO, 300) == 0);
    CHECK_FAILS (nn_recv (a, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK (nn_get_statistic (a, NN_STAT_DROPPED_CONNECTIONS) == 1);
    /* ... and the peer reconnects and is served again. */
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVTIMEO, 10000) == 0);
    CHECK (nn_send (b, "ok", 2, 0) == 2);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 2);
    CHECK (nn_close (a) == 0);

    /* -1: no limit. 100 MiB goes through, zero-copy on both ends. */
    a = pair_socket ();
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVMAXSIZE, -1) == 0);
    CHECK (nn_bind (a, url) >= 0);
    payload = nn_allocmsg (huge, 0);
    REQUIRE (payload != NULL);
    memset (payload, 'h', huge);
    payload [0] = 'A';
    payload [huge - 1] = 'Z';
    CHECK (nn_send (b, &payload, NN_MSG, 0) == (int) huge);
    CHECK (nn_recv (a, &chunk, NN_MSG, 0) == (int) huge);
    REQUIRE (chunk != NULL);
    CHECK (((char *) chunk) [0] == 'A' && ((char *) chunk) [huge / 2] == 'h' && ((char *) chunk) [huge - 1] == 'Z');
    CHECK (nn_freemsg (chunk) == 0);
    CHECK (nn_close (a) == 0 && nn_close (b) == 0);
}

/* The sender fills everything between it and a receiver that does not
   read, gets EAGAIN, and every accepted message arrives once read. */
static void backpressure (const char *url)
{
    int a = pair_socket (), b = pair_socket ();
    char msg [1024], buf [1024];
    int accepted = 0, received = 0, i;

    memset (msg, 'm', sizeof msg);
    CHECK (nn_bind (a, url) >= 0);
    CHECK (nn_connect (b, url) >= 0);
    CHECK (nn_send (b, "hello", 5, 0) == 5);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 5);
    for (i = 0; i < 100000; i++) {
        memcpy (msg, &i, sizeof i);
        if (nn_send (b, msg, sizeof msg, NN_DONTWAIT) < 0) {
            CHECK (nn_errno () == EAGAIN);
            break;
        }
        accepted++;
    }
    CHECK (accepted > 100 && accepted < 100000);
    for (i = 0; i < accepted; i++) {
        if (nn_recv (a, buf, sizeof buf, 0) != (int) sizeof buf)
            break;
        if (memcmp (buf, &i, sizeof i) != 0)
            break;
        received++;
    }
    CHECK (received == accepted);
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVTIMEO, 200) == 0);
    CHECK_FAILS (nn_recv (a, buf, sizeof buf, 0), ETIMEDOUT);
    /* Sending works again. */
    CHECK (nn_send (b, "more", 4, 0) == 4);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 4);
    CHECK (nn_close (a) == 0 && nn_close (b) == 0);
}

#define LINGER_COUNT 2000
#define LINGER_SIZE 10000

static void *drain (void *arg)
{
    int s = *(int *) arg, n = 0;
    char buf [LINGER_SIZE];
    while (n < LINGER_COUNT && nn_recv (s, buf, sizeof buf, 0) == LINGER_SIZE)
        n++;
    return (void *) (long) n;
}

/* 20 MB queued behind a slow start, then nn_close: with NN_LINGER every
   message still reaches the reading peer (PAIR to PAIR, PUSH to PULL). */
static void linger (const char *url, int sender, int receiver)
{
    int a = test_socket (receiver, 10000), b = test_socket (sender, 10000), i;
    char msg [LINGER_SIZE];
    pthread_t reader;
    void *got;

    /* Buffer sizes apply to endpoints made after they are set. */
    CHECK (set_int (b, NN_SOL_SOCKET, NN_SNDBUF, 64 << 20) == 0);
    CHECK (set_int (b, NN_SOL_SOCKET, NN_LINGER, 10000) == 0);
    CHECK (nn_bind (a, url) >= 0);
    CHECK (nn_connect (b, url) >= 0);
    CHECK (nn_send (b, "start", 5, 0) == 5);
    CHECK (nn_recv (a, msg, sizeof msg, 0) == 5);
    memset (msg, 'l', sizeof msg);
    for (i = 0; i < LINGER_COUNT; i++)
        CHECK (nn_send (b, msg, sizeof msg, 0) == (int) sizeof msg);
    REQUIRE (pthread_create (&reader, NULL, drain, &a) == 0);
    CHECK (nn_close (b) == 0);
    REQUIRE (pthread_join (reader, &got) == 0);
    if ((long) got != LINGER_COUNT)
        fprintf (stderr, "%s: %ld of %d messages arrived\n", url, (long) got, LINGER_COUNT);
    CHECK ((long) got == LINGER_COUNT);
    CHECK (nn_close (a) == 0);
}

int main (void)
{
    char ipc [64], tcp [64];
    sprintf (ipc, "ipc:///tmp/nnrs-limits-%d.ipc", (int) getpid ());
    sprintf (tcp, "tcp://127.0.0.1:%d", test_port_base ());
    max_size (ipc);
    max_size (tcp);
    backpressure (ipc);
    backpressure (tcp);
    backpressure ("inproc://limits");
    linger (ipc, NN_PAIR, NN_PAIR);
    linger (tcp, NN_PAIR, NN_PAIR);
    linger (ipc, NN_PUSH, NN_PULL);
    linger (tcp, NN_PUSH, NN_PULL);
    return test_result ("limits");
}
