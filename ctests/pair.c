/* PAIR over inproc, ipc and tcp: both directions, truncation, zero-copy
   chunks, scatter/gather, readiness fds (also for messages that came
   before the fd was asked for), nn_poll, statistics, endpoints shut down,
   connect before bind, a peer that goes away and returns, and a stream
   with pauses. */
#include "testutil.h"
#include <poll.h>
#include <pthread.h>
#include <unistd.h>
#include <nanomsg/pair.h>
#include <nanomsg/tcp.h>

static int pair_socket (void)
{
    return test_socket (NN_PAIR, 5000);
}

static int fd_ready (int s, int option)
{
    int fd;
    struct pollfd p;
    REQUIRE (get_int (s, NN_SOL_SOCKET, option, &fd) == 0);
    p.fd = fd;
    p.events = POLLIN;
    return poll (&p, 1, 0) == 1;
}

static void exchange (const char *url)
{
    int a, b, c, rc;
    char buf [64];
    void *chunk;
    struct nn_iovec iov [3];
    struct nn_msghdr hdr;
    struct nn_pollfd pfd [2];

    a = pair_socket ();
    b = pair_socket ();
    CHECK (nn_bind (a, url) == 1);
    CHECK (nn_connect (b, url) == 1);

    /* Both ways. */
    CHECK (nn_send (b, "ping", 4, 0) == 4);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 4 && memcmp (buf, "ping", 4) == 0);
    CHECK (nn_send (a, "pong!", 5, 0) == 5);
    CHECK (nn_recv (b, buf, sizeof buf, 0) == 5 && memcmp (buf, "pong!", 5) == 0);
    CHECK (nn_send (a, "", 0, 0) == 0);
    CHECK (nn_recv (b, buf, sizeof buf, 0) == 0);

    /* A short buffer: truncated, the full length returned. */
    CHECK (nn_send (a, "0123456789", 10, 0) == 10);
    memset (buf, 0, sizeof buf);
    CHECK (nn_recv (b, buf, 4, 0) == 10);
    CHECK (memcmp (buf, "0123", 4) == 0 && buf [4] == 0);

    /* Zero-copy both ways. */
    chunk = nn_allocmsg (6, 0);
    REQUIRE (chunk != NULL);
    memcpy (chunk, "chunky", 6);
    CHECK (nn_send (b, &chunk, NN_MSG, 0) == 6);
    chunk = NULL;
    CHECK (nn_recv (a, &chunk, NN_MSG, 0) == 6);
    REQUIRE (chunk != NULL);
    CHECK (memcmp (chunk, "chunky", 6) == 0);
    /* A received chunk can be sent on as it is. */
    CHECK (nn_send (a, &chunk, NN_MSG, 0) == 6);
    chunk = NULL;
    CHECK (nn_recv (b, &chunk, NN_MSG, 0) == 6);
    CHECK (chunk != NULL && memcmp (chunk, "chunky", 6) == 0);
    CHECK (nn_freemsg (chunk) == 0);

    /* Scatter/gather. */
    iov [0].iov_base = "abc";
    iov [0].iov_len = 3;
    iov [1].iov_base = "";
    iov [1].iov_len = 0;
    iov [2].iov_base = "defgh";
    iov [2].iov_len = 5;
    memset (&hdr, 0, sizeof hdr);
    hdr.msg_iov = iov;
    hdr.msg_iovlen = 3;
    CHECK (nn_sendmsg (a, &hdr, 0) == 8);
    iov [0].iov_base = buf;
    iov [0].iov_len = 2;
    iov [1].iov_base = buf + 10;
    iov [1].iov_len = 4;
    iov [2].iov_base = buf + 20;
    iov [2].iov_len = 10;
    memset (buf, '.', sizeof buf);
    hdr.msg_iovlen = 3;
    CHECK (nn_recvmsg (b, &hdr, 0) == 8);
    CHECK (memcmp (buf, "ab", 2) == 0 && memcmp (buf + 10, "cdef", 4) == 0);
    CHECK (memcmp (buf + 20, "gh", 2) == 0 && buf [22] == '.');
    /* nn_recvmsg into one NN_MSG chunk. */
    CHECK (nn_send (b, "xyz", 3, 0) == 3);
    chunk = NULL;
    iov [0].iov_base = &chunk;
    iov [0].iov_len = NN_MSG;
    hdr.msg_iovlen = 1;
    CHECK (nn_recvmsg (a, &hdr, 0) == 3);
    CHECK (chunk != NULL && memcmp (chunk, "xyz", 3) == 0);
    CHECK (nn_freemsg (chunk) == 0);

    /* Readiness: RCVFD readable exactly while a message waits. */
    CHECK (fd_ready (b, NN_SNDFD));
    CHECK (!fd_ready (b, NN_RCVFD));
    CHECK (nn_send (a, "r", 1, 0) == 1);
    pfd [0].fd = b;
    pfd [0].events = NN_POLLIN;
    pfd [1].fd = a;
    pfd [1].events = NN_POLLIN;
    CHECK (nn_poll (pfd, 2, 2000) == 1);
    CHECK (pfd [0].revents == NN_POLLIN && pfd [1].revents == 0);
    CHECK (fd_ready (b, NN_RCVFD));
    CHECK (nn_recv (b, buf, sizeof buf, 0) == 1);
    CHECK (!fd_ready (b, NN_RCVFD));
    pfd [0].events = NN_POLLIN | NN_POLLOUT;
    CHECK (nn_poll (pfd, 1, 0) == 1 && pfd [0].revents == NN_POLLOUT);

    /* Statistics moved. */
    CHECK (nn_get_statistic (a, NN_STAT_MESSAGES_SENT) >= 4);
    CHECK (nn_get_statistic (b, NN_STAT_MESSAGES_RECEIVED) >= 4);
    CHECK (nn_get_statistic (a, NN_STAT_BYTES_SENT) >= 20);
    CHECK (nn_get_statistic (a, NN_STAT_CURRENT_CONNECTIONS) == 1);

    /* A second peer is refused while the first lives: what it manages to
       send before the refusal reaches it goes nowhere. */
    c = pair_socket ();
    CHECK (nn_connect (c, url) >= 0);
    usleep (100000);
    CHECK (set_int (c, NN_SOL_SOCKET, NN_SNDTIMEO, 200) == 0);
    nn_send (c, "intruder", 8, 0);
    usleep (100000);
    CHECK_FAILS (nn_recv (a, buf, sizeof buf, NN_DONTWAIT), EAGAIN);
    CHECK (nn_send (b, "still", 5, 0) == 5);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 5 && memcmp (buf, "still", 5) == 0);
    CHECK (nn_get_statistic (a, NN_STAT_CURRENT_CONNECTIONS) == 1);
    CHECK (nn_close (c) == 0);

    /* Shutting the connecting endpoint down ends the connection. */
    CHECK (nn_shutdown (b, 1) == 0);
    CHECK_FAILS (nn_shutdown (b, 1), EINVAL);
    CHECK (set_int (a, NN_SOL_SOCKET, NN_SNDTIMEO, 200) == 0);
    usleep (100000);
    rc = nn_send (a, "gone", 4, 0);
    CHECK (rc == -1 && nn_errno () == ETIMEDOUT);
    CHECK (nn_close (a) == 0 && nn_close (b) == 0);
}

/* Connect first; bind later; then the bound side goes away and a new
   socket binds the same address: the connecting side reconnects. */
static void reconnect (const char *url)
{
    int a, b;
    char buf [16];

    b = pair_socket ();
    CHECK (set_int (b, NN_SOL_SOCKET, NN_RECONNECT_IVL, 20) == 0);
    CHECK (nn_connect (b, url) >= 0);
    usleep (50000);
    a = pair_socket ();
    CHECK (nn_bind (a, url) >= 0);
    CHECK (nn_send (b, "first", 5, 0) == 5);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 5);
    CHECK (nn_close (a) == 0);
    /* What b sent before it saw the peer go would be lost in flight (no
       library can help that): wait until it has seen it. */
    wait_connections (b, 0);
    a = pair_socket ();
    CHECK (nn_bind (a, url) >= 0);
    CHECK (nn_send (b, "again", 5, 0) == 5);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 5 && memcmp (buf, "again", 5) == 0);
    CHECK (nn_close (a) == 0 && nn_close (b) == 0);
}

/* Messages that arrived while nobody was receiving show on a readiness fd
   asked for only after they came, and on nn_poll: a receiver that waits
   on the fd must not wait for a message already there. */
static void arrived_before_the_fd (const char *url, int use_poll)
{
    int a, b, fd, i;
    char buf [8];
    struct pollfd p;
    struct nn_pollfd np;
    a = pair_socket ();
    b = pair_socket ();
    REQUIRE (nn_bind (b, url) >= 0);
    REQUIRE (nn_connect (a, url) >= 0);
    wait_connections (b, 1);
    /* Received from once: later messages are read as the receiver asks. */
    CHECK (nn_send (a, "0", 1, 0) == 1);
    CHECK (nn_recv (b, buf, sizeof buf, 0) == 1);
    CHECK (nn_send (a, "1", 1, 0) == 1 && nn_send (a, "2", 1, 0) == 1 && nn_send (a, "3", 1, 0) == 1);
    usleep (50000);
    if (use_poll) {
        np.fd = b;
        np.events = NN_POLLIN;
        CHECK (nn_poll (&np, 1, 1000) == 1 && np.revents == NN_POLLIN);
    } else {
        REQUIRE (get_int (b, NN_SOL_SOCKET, NN_RCVFD, &fd) == 0);
        p.fd = fd;
        p.events = POLLIN;
        CHECK (poll (&p, 1, 1000) == 1);
    }
    for (i = 1; i <= 3; i++)
        CHECK (nn_recv (b, buf, sizeof buf, NN_DONTWAIT) == 1 && buf [0] == '0' + i);
    CHECK (nn_close (a) == 0);
    CHECK (nn_close (b) == 0);
}

/* The sending side of stream_with_pauses: groups of messages numbered
   in order, with pauses of every length between them, so that messages
   come while the receiver naps, spins and sleeps. */
static const int group_sizes [] = {300, 1, 2, 64, 65, 1, 7, 500, 1};
static const int pause_us [] = {0, 5, 12, 30, 200, 2000, 20000, 1, 0};
#define GROUPS ((int) (sizeof group_sizes / sizeof group_sizes [0]))

static void *stream_sender (void *arg)
{
    int s = *(int *) arg, g, i, n = 0;
    for (g = 0; g != GROUPS; g++) {
        for (i = 0; i != group_sizes [g]; i++, n++)
            CHECK (nn_send (s, &n, sizeof n, 0) == (int) sizeof n);
        if (pause_us [g])
            usleep ((useconds_t) pause_us [g]);
    }
    return NULL;
}

/* A receiver that only receives (a stream, which may nap between
   batches) gets every message in order, also a lone one that comes after
   a pause of any length; a lost wake-up would end in ETIMEDOUT. */
static void stream_with_pauses (const char *url)
{
    int a, b, g, i, n = 0, got;
    pthread_t sender;
    a = pair_socket ();
    b = pair_socket ();
    REQUIRE (nn_bind (b, url) >= 0);
    REQUIRE (nn_connect (a, url) >= 0);
    wait_connections (b, 1);
    REQUIRE (pthread_create (&sender, NULL, stream_sender, &a) == 0);
    for (g = 0; g != GROUPS; g++)
        for (i = 0; i != group_sizes [g]; i++, n++)
            CHECK (nn_recv (b, &got, sizeof got, 0) == (int) sizeof got && got == n);
    pthread_join (sender, NULL);
    CHECK (nn_close (a) == 0);
    CHECK (nn_close (b) == 0);
}

int main (void)
{
    char ipc [64], tcp [64];
    sprintf (ipc, "ipc:///tmp/nnrs-pair-%d.ipc", (int) getpid ());
    /* Below the ephemeral range, so no connect can meet itself. */
    sprintf (tcp, "tcp://127.0.0.1:%d", test_port_base ());
    exchange ("inproc://pair-test");
    exchange (ipc);
    exchange (tcp);
    reconnect ("inproc://pair-again");
    reconnect (ipc);
    reconnect (tcp);
    arrived_before_the_fd ("inproc://pair-fd", 0);
    arrived_before_the_fd ("inproc://pair-poll", 1);
    arrived_before_the_fd (ipc, 0);
    arrived_before_the_fd (tcp, 1);
    stream_with_pauses ("inproc://pair-stream");
    stream_with_pauses (ipc);
    return test_result ("pair");
}
