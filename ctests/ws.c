/* The ws:// transport: every protocol pair over WebSocket, several paths on
   one port served by different sockets (an unknown path refused, a taken
   path EADDRINUSE, a path freed by nn_shutdown and bound again), 1 MiB
   messages both ways, NN_RCVMAXSIZE exceeded (the connection is dropped and
   comes back), and NN_WS_MSG_TYPE as an option and as a control message.
   Hostile peers are in ws_hostile.py. */
#include "testutil.h"
#include <signal.h>
#include <nanomsg/bus.h>
#include <nanomsg/pair.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/survey.h>
#include <nanomsg/ws.h>

static int port_base;

static void url_of (char *url, int offset, const char *path)
{
    sprintf (url, "ws://127.0.0.1:%d%s", port_base + offset, path);
}

/* Waits up to 5 s for statistic `stat` of `s` to reach at least `n`. */
static int wait_stat (int s, int stat, uint64_t n)
{
    int i;
    for (i = 0; i < 500 && nn_get_statistic (s, stat) < n; i++)
        usleep (10000);
    return nn_get_statistic (s, stat) >= n;
}

static int recv_is (int s, const char *want)
{
    char buf [64];
    int n = nn_recv (s, buf, sizeof buf, 0);
    if (n != (int) strlen (want) || memcmp (buf, want, (size_t) n) != 0) {
        fprintf (stderr, "received %d bytes (%s), want \"%s\"\n", n,
            n < 0 ? nn_strerror (nn_errno ()) : "other bytes", want);
        return 0;
    }
    return 1;
}

/* One round trip between a and b (connected), a being the side of the
   pattern that speaks first; one way only for PUSH and PUB. */
static void round_trip (int proto_a, int a, int b)
{
    switch (proto_a) {
    case NN_PAIR:
    case NN_BUS:
        CHECK (nn_send (a, "there", 5, 0) == 5);
        CHECK (recv_is (b, "there"));
        CHECK (nn_send (b, "back", 4, 0) == 4);
        CHECK (recv_is (a, "back"));
        break;
    case NN_PUSH:
    case NN_PUB:
        CHECK (nn_send (a, "one way", 7, 0) == 7);
        CHECK (recv_is (b, "one way"));
        break;
    case NN_REQ:
    case NN_SURVEYOR:
        CHECK (nn_send (a, "question", 8, 0) == 8);
        CHECK (recv_is (b, "question"));
        CHECK (nn_send (b, "answer", 6, 0) == 6);
        CHECK (recv_is (a, "answer"));
        break;
    default:
        REQUIRE (0);
    }
}

struct pattern { const char *name; int a; int b; };

static const struct pattern patterns [] = {
    { "pair", NN_PAIR, NN_PAIR },
    { "pipeline", NN_PUSH, NN_PULL },
    { "pubsub", NN_PUB, NN_SUB },
    { "reqrep", NN_REQ, NN_REP },
    { "survey", NN_SURVEYOR, NN_RESPONDENT },
    { "bus", NN_BUS, NN_BUS },
};

/* Every pattern, each side binding in turn; all on one port, one path each. */
static void protocols (void)
{
    size_t i;
    int a_binds;
    char url [128], path [32];
    for (i = 0; i < sizeof patterns / sizeof patterns [0]; i++) {
        for (a_binds = 0; a_binds <= 1; a_binds++) {
            const struct pattern *p = &patterns [i];
            int a = test_socket (p->a, 5000);
            int b = test_socket (p->b, 5000);
            int before = test_failures;
            sprintf (path, "/%s/%d", p->name, a_binds);
            url_of (url, 0, path);
            if (p->b == NN_SUB)
                CHECK (nn_setsockopt (b, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) == 0);
            if (p->a == NN_SURVEYOR)
                CHECK (set_int (a, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, 5000) == 0);
            CHECK (nn_bind (a_binds ? a : b, url) >= 0);
            CHECK (nn_connect (a_binds ? b : a, url) >= 0);
            wait_connections (a, 1);
            wait_connections (b, 1);
            round_trip (p->a, a, b);
            if (test_failures != before)
                fprintf (stderr, "  in %s, %s binds %s\n", p->name, a_binds ? "first" : "second", url);
            CHECK (nn_close (a) == 0);
            CHECK (nn_close (b) == 0);
        }
    }
}

/* /a and /b on one port, served by two sockets. */
static void paths (void)
{
    char url_a [128], url_b [128], url_c [128];
    int sa, sb, ca, cb, cc, sa2, ea, late;
    url_of (url_a, 1, "/a");
    url_of (url_b, 1, "/b");
    url_of (url_c, 1, "/c");

    sa = test_socket (NN_PAIR, 5000);
    sb = test_socket (NN_PAIR, 5000);
    ca = test_socket (NN_PAIR, 5000);
    cb = test_socket (NN_PAIR, 5000);
    cc = test_socket (NN_PAIR, 5000);
    CHECK_OK (ea, nn_bind (sa, url_a));
    CHECK (nn_bind (sb, url_b) >= 0);
    CHECK (nn_connect (ca, url_a) >= 0);
    CHECK (nn_connect (cb, url_b) >= 0);
    CHECK (nn_connect (cc, url_c) >= 0);
    wait_connections (sa, 1);
    wait_connections (sb, 1);

    /* Each path reaches its own socket. */
    CHECK (nn_send (ca, "for a", 5, 0) == 5);
    CHECK (nn_send (cb, "for b", 5, 0) == 5);
    CHECK (recv_is (sa, "for a"));
    CHECK (recv_is (sb, "for b"));
    CHECK (nn_send (sa, "from a", 6, 0) == 6);
    CHECK (recv_is (ca, "from a"));

    /* A taken path, by another socket or the same one. */
    CHECK_FAILS (nn_bind (sb, url_a), EADDRINUSE);
    CHECK_FAILS (nn_bind (sa, url_a), EADDRINUSE);

    /* /c is nobody's: the client never gets a peer, nobody gets it. */
    usleep (500000);
    CHECK (nn_get_statistic (cc, NN_STAT_CURRENT_CONNECTIONS) == 0);
    /* It did reach the port, and was refused (each try counts). */
    CHECK (nn_get_statistic (cc, NN_STAT_CONNECT_ERRORS) >= 1);
    CHECK_FAILS (nn_send (cc, "lost", 4, NN_DONTWAIT), EAGAIN);
    CHECK (nn_get_statistic (sa, NN_STAT_ACCEPTED_CONNECTIONS) == 1);
    CHECK (nn_get_statistic (sb, NN_STAT_ACCEPTED_CONNECTIONS) == 1);

    /* /a unbound: /b still served, also for a new client. */
    CHECK (nn_shutdown (sa, ea) == 0);
    wait_connections (sa, 0);
    CHECK (nn_send (cb, "still", 5, 0) == 5);
    CHECK (recv_is (sb, "still"));
    late = test_socket (NN_PAIR, 5000);
    CHECK (nn_connect (late, url_b) >= 0);
    CHECK (nn_close (cb) == 0);
    CHECK (nn_send (late, "late", 4, 0) == 4);
    CHECK (recv_is (sb, "late"));
    CHECK (nn_close (late) == 0);

    /* /a is free again: a new socket binds it and the old client, which
       has been reconnecting, reaches it. */
    sa2 = test_socket (NN_PAIR, 5000);
    CHECK (nn_bind (sa2, url_a) >= 0);
    wait_connections (sa2, 1);
    CHECK (nn_send (ca, "again", 5, 0) == 5);
    CHECK (recv_is (sa2, "again"));
    CHECK (nn_send (sa2, "hello", 5, 0) == 5);
    CHECK (recv_is (ca, "hello"));

    /* Still nobody at /c. */
    CHECK (nn_get_statistic (cc, NN_STAT_CURRENT_CONNECTIONS) == 0);
    CHECK_FAILS (nn_send (cc, "lost", 4, NN_DONTWAIT), EAGAIN);

    CHECK (nn_close (cc) == 0);
    CHECK (nn_close (ca) == 0);
    CHECK (nn_close (sa) == 0);
    CHECK (nn_close (sa2) == 0);
    CHECK (nn_close (sb) == 0);

    /* Every path gone: the port itself is free for a new bind. */
    sa = test_socket (NN_PAIR, 5000);
    CHECK (nn_bind (sa, url_c) >= 0);
    CHECK (nn_close (sa) == 0);
}

static void fill (unsigned char *p, size_t n, unsigned seed)
{
    size_t i;
    for (i = 0; i < n; i++)
        p [i] = (unsigned char) ((i * 31 + seed) ^ (i >> 11));
}

/* 1 MiB each way, with no receive limit. */
static void large (void)
{
    const size_t size = 1 << 20;
    char url [128];
    unsigned char *out = malloc (size), *want = malloc (size);
    void *in = NULL;
    int s, c, dir;
    REQUIRE (out != NULL && want != NULL);
    url_of (url, 2, "/large");
    s = test_socket (NN_PAIR, 10000);
    c = test_socket (NN_PAIR, 10000);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVMAXSIZE, -1) == 0);
    CHECK (set_int (c, NN_SOL_SOCKET, NN_RCVMAXSIZE, -1) == 0);
    CHECK (nn_bind (s, url) >= 0);
    CHECK (nn_connect (c, url) >= 0);
    wait_connections (s, 1);
    for (dir = 0; dir <= 1; dir++) {
        int from = dir ? s : c, to = dir ? c : s;
        fill (out, size, (unsigned) dir + 1);
        memcpy (want, out, size);
        CHECK (nn_send (from, out, size, 0) == (int) size);
        CHECK (nn_recv (to, &in, NN_MSG, 0) == (int) size);
        if (in != NULL) {
            if (memcmp (in, want, size) != 0)
                fprintf (stderr, "large message %s: bytes differ\n", dir ? "server to client" : "client to server");
            CHECK (memcmp (in, want, size) == 0);
            nn_freemsg (in);
            in = NULL;
        }
    }
    /* And several back to back, both ways at once. */
    for (dir = 0; dir < 3; dir++) {
        CHECK (nn_send (c, out, size, 0) == (int) size);
        CHECK (nn_send (s, out, size, 0) == (int) size);
    }
    for (dir = 0; dir < 6; dir++) {
        int n = nn_recv (dir % 2 ? c : s, &in, NN_MSG, 0);
        CHECK (n == (int) size);
        if (n >= 0) {
            CHECK (memcmp (in, want, size) == 0);
            nn_freemsg (in);
        }
    }
    CHECK (nn_close (c) == 0);
    CHECK (nn_close (s) == 0);
    free (out);
    free (want);
}

/* Connections of `s` that ended, one way or the other. */
static uint64_t ended (int s)
{
    return nn_get_statistic (s, NN_STAT_DROPPED_CONNECTIONS)
        + nn_get_statistic (s, NN_STAT_BROKEN_CONNECTIONS);
}

/* Waits up to 5 s for `n` connections of `s` to have ended. */
static int wait_ended (int s, uint64_t n)
{
    int i;
    for (i = 0; i < 500 && ended (s) < n; i++)
        usleep (10000);
    return ended (s) == n;
}

/* A message over NN_RCVMAXSIZE costs its connection, which comes back;
   the message is lost, the next one arrives. Either side may be the one
   with the limit; it happens several times in a row, with messages just
   over the limit and far over it (most of which the limited side never
   reads before it hangs up). */
static void rcvmaxsize (void)
{
    char url [128];
    static char big [65536];
    int limited_is_server, round, failed_round;
    memset (big, 'x', sizeof big);
    for (limited_is_server = 1; limited_is_server >= 0; limited_is_server--) {
        int s = test_socket (NN_PAIR, 5000);
        int c = test_socket (NN_PAIR, 5000);
        int limited = limited_is_server ? s : c, sender = limited_is_server ? c : s;
        int before = test_failures;
        failed_round = 0;
        url_of (url, 3 + limited_is_server, "/max");
        CHECK (set_int (limited, NN_SOL_SOCKET, NN_RCVMAXSIZE, 1024) == 0);
        CHECK (nn_bind (s, url) >= 0);
        CHECK (nn_connect (c, url) >= 0);
        wait_connections (s, 1);
        wait_connections (c, 1);
        /* At the limit: fine. */
        CHECK (nn_send (sender, big, 1024, 0) == 1024);
        CHECK (nn_recv (limited, big, sizeof big, 0) == 1024);
        for (round = 0; round < 4 && test_failures == before; round++) {
            int size = round % 2 ? (int) sizeof big : 1025;
            char word [16];
            failed_round = round;
            CHECK (nn_send (sender, big, (size_t) size, 0) == size);
            /* The limited side drops it, the other side sees it end, the
               client connects again. */
            CHECK (wait_stat (limited, NN_STAT_DROPPED_CONNECTIONS, (uint64_t) round + 1));
            CHECK (wait_ended (sender, (uint64_t) round + 1));
            CHECK (wait_stat (c, NN_STAT_ESTABLISHED_CONNECTIONS, (uint64_t) round + 2));
            wait_connections (s, 1);
            wait_connections (c, 1);
            sprintf (word, "small %d", round);
            CHECK (nn_send (sender, word, strlen (word), 0) == (int) strlen (word));
            CHECK (recv_is (limited, word));
        }
        CHECK (nn_get_statistic (c, NN_STAT_ESTABLISHED_CONNECTIONS) == 5);
        CHECK (nn_get_statistic (limited, NN_STAT_DROPPED_CONNECTIONS) == 4);
        CHECK (nn_get_statistic (limited, NN_STAT_MESSAGES_RECEIVED) == 5);
        if (test_failures != before)
            fprintf (stderr, "  with NN_RCVMAXSIZE on the %s, round %d\n",
                limited_is_server ? "server" : "client", failed_round);
        CHECK (nn_close (c) == 0);
        CHECK (nn_close (s) == 0);
    }
}

/* NN_WS_MSG_TYPE as a socket option and per message. */
static void msg_type (void)
{
    char url [128];
    int s, c, v, rc;
    size_t len;
    struct nn_iovec iov;
    struct nn_msghdr hdr;
    struct nn_cmsghdr *cmsg;
    union { unsigned char bytes [NN_CMSG_SPACE (sizeof (int))]; size_t align; } control;

    s = test_socket (NN_PAIR, 5000);
    c = test_socket (NN_PAIR, 5000);
    CHECK (get_int (s, NN_WS, NN_WS_MSG_TYPE, &v) == 0 && v == NN_WS_MSG_TYPE_BINARY);
    CHECK (v == 2);
    CHECK (set_int (s, NN_WS, NN_WS_MSG_TYPE, NN_WS_MSG_TYPE_TEXT) == 0);
    CHECK (get_int (s, NN_WS, NN_WS_MSG_TYPE, &v) == 0 && v == NN_WS_MSG_TYPE_TEXT);
    CHECK_FAILS (set_int (s, NN_WS, NN_WS_MSG_TYPE, 3), EINVAL);
    CHECK_FAILS (set_int (s, NN_WS, NN_WS_MSG_TYPE, 0), EINVAL);
    CHECK_FAILS (nn_setsockopt (s, NN_WS, NN_WS_MSG_TYPE, "\1", 1), EINVAL);
    CHECK (get_int (s, NN_WS, NN_WS_MSG_TYPE, &v) == 0 && v == NN_WS_MSG_TYPE_TEXT);
    CHECK (set_int (s, NN_WS, NN_WS_MSG_TYPE, NN_WS_MSG_TYPE_BINARY) == 0);
    len = sizeof v;
    CHECK (nn_getsockopt (s, NN_WS, NN_WS_MSG_TYPE, &v, &len) == 0 && len == sizeof (int) && v == 2);

    /* Text frames by option (set before the endpoint is made), then
       per message both ways. */
    CHECK (set_int (c, NN_WS, NN_WS_MSG_TYPE, NN_WS_MSG_TYPE_TEXT) == 0);
    url_of (url, 5, "/type");
    CHECK (nn_bind (s, url) >= 0);
    CHECK (nn_connect (c, url) >= 0);
    wait_connections (s, 1);
    CHECK (nn_send (c, "as text", 7, 0) == 7);
    CHECK (recv_is (s, "as text"));

    memset (&hdr, 0, sizeof hdr);
    memset (&control, 0, sizeof control);
    iov.iov_base = "per message";
    iov.iov_len = 11;
    hdr.msg_iov = &iov;
    hdr.msg_iovlen = 1;
    hdr.msg_control = control.bytes;
    hdr.msg_controllen = sizeof control.bytes;
    cmsg = NN_CMSG_FIRSTHDR (&hdr);
    REQUIRE (cmsg != NULL);
    cmsg->cmsg_len = NN_CMSG_LEN (sizeof (int));
    cmsg->cmsg_level = NN_WS;
    cmsg->cmsg_type = NN_WS_MSG_TYPE;
    v = NN_WS_MSG_TYPE_TEXT;
    memcpy (NN_CMSG_DATA (cmsg), &v, sizeof v);
    CHECK_OK (rc, nn_sendmsg (s, &hdr, 0));
    CHECK (rc == 11);
    CHECK (recv_is (c, "per message"));
    v = NN_WS_MSG_TYPE_BINARY;
    memcpy (NN_CMSG_DATA (cmsg), &v, sizeof v);
    CHECK_OK (rc, nn_sendmsg (c, &hdr, 0));
    CHECK (rc == 11);
    CHECK (recv_is (s, "per message"));

    /* A value that is no frame type is refused. */
    v = 3;
    memcpy (NN_CMSG_DATA (cmsg), &v, sizeof v);
    CHECK_FAILS (nn_sendmsg (s, &hdr, 0), EINVAL);

    /* The option applies to endpoints made after it: the socket is
       still usable and binary again. */
    CHECK (nn_send (s, "after", 5, 0) == 5);
    CHECK (recv_is (c, "after"));
    CHECK (nn_close (c) == 0);
    CHECK (nn_close (s) == 0);
}

static void too_long (int sig)
{
    static const char msg [] = "ws: timed out (the library stopped serving?)\n";
    (void) sig;
    (void) write (2, msg, sizeof msg - 1);
    _exit (1);
}

int main (void)
{
    signal (SIGALRM, too_long);
    alarm (50);
    port_base = test_port_base ();
    protocols ();
    paths ();
    large ();
    msg_type ();
    /* Last: a failure here can leave the library unable to serve. */
    rcvmaxsize ();
    return test_result ("ws");
}
