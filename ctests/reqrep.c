/* REQ/REP over inproc, ipc and tcp: round trips and the state machine
   (EFSM), requests sent before the REP exists, a new request cancelling the
   old one, resending after NN_REQ_RESEND_IVL, replies routed back to their
   requester, load balancing over REPs, and the SP header seen by raw
   sockets. */
#include "testutil.h"
#include <unistd.h>
#include <nanomsg/reqrep.h>

static int recv_is (int s, const char *want)
{
    char buf [64];
    int n = nn_recv (s, buf, sizeof buf, 0);
    return n == (int) strlen (want) && memcmp (buf, want, n) == 0;
}

static void round_trips (const char *url)
{
    int req = test_socket (NN_REQ, 5000), rep = test_socket (NN_REP, 5000), i;
    char buf [64];

    /* Nothing asked yet: neither side may speak out of turn. */
    CHECK_FAILS (nn_recv (req, buf, sizeof buf, 0), EFSM);
    CHECK_FAILS (nn_send (rep, "x", 1, 0), EFSM);

    CHECK (nn_bind (rep, url) >= 0);
    CHECK (nn_connect (req, url) >= 0);
    for (i = 0; i < 5; i++) {
        CHECK (nn_send (req, "ping", 4, 0) == 4);
        CHECK (recv_is (rep, "ping"));
        CHECK (nn_send (rep, "pong", 4, 0) == 4);
        CHECK (recv_is (req, "pong"));
    }
    /* A request answered: both sides are back where they started. */
    CHECK_FAILS (nn_recv (req, buf, sizeof buf, 0), EFSM);
    CHECK_FAILS (nn_send (rep, "again", 5, 0), EFSM);
    /* Empty bodies travel as well. */
    CHECK (nn_send (req, "", 0, 0) == 0);
    CHECK (nn_recv (rep, buf, sizeof buf, 0) == 0);
    CHECK (nn_send (rep, "", 0, 0) == 0);
    CHECK (nn_recv (req, buf, sizeof buf, 0) == 0);
    CHECK (nn_close (req) == 0 && nn_close (rep) == 0);
}

/* The request is queued while there is no REP and goes out when one binds. */
static void connect_before_bind (const char *url)
{
    int req = test_socket (NN_REQ, 5000), rep;

    CHECK (set_int (req, NN_SOL_SOCKET, NN_RECONNECT_IVL, 20) == 0);
    CHECK (nn_connect (req, url) >= 0);
    CHECK (nn_send (req, "early", 5, 0) == 5);
    usleep (50000);
    rep = test_socket (NN_REP, 5000);
    CHECK (nn_bind (rep, url) >= 0);
    CHECK (recv_is (rep, "early"));
    CHECK (nn_send (rep, "late", 4, 0) == 4);
    CHECK (recv_is (req, "late"));
    CHECK (nn_close (req) == 0 && nn_close (rep) == 0);
}

/* A second request replaces the first: the first one's reply is dropped. */
static void cancel (const char *url)
{
    int req = test_socket (NN_REQ, 5000), rep = test_socket (NN_REP, 5000);
    char buf [64];

    CHECK (nn_bind (rep, url) >= 0);
    CHECK (nn_connect (req, url) >= 0);
    CHECK (nn_send (req, "old", 3, 0) == 3);
    CHECK (recv_is (rep, "old"));
    CHECK (nn_send (req, "new", 3, 0) == 3);
    /* The REP still owes the old reply; it goes out and is thrown away. */
    CHECK (nn_send (rep, "old-reply", 9, 0) == 9);
    CHECK (recv_is (rep, "new"));
    CHECK (nn_send (rep, "new-reply", 9, 0) == 9);
    CHECK (recv_is (req, "new-reply"));
    CHECK_FAILS (nn_recv (req, buf, sizeof buf, 0), EFSM);
    CHECK (nn_close (req) == 0 && nn_close (rep) == 0);
}

/* An unanswered request comes again after NN_REQ_RESEND_IVL. */
static void resend (const char *url)
{
    int req = test_socket (NN_REQ, 5000), rep = test_socket (NN_REP, 5000), ivl;

    CHECK (get_int (req, NN_REQ, NN_REQ_RESEND_IVL, &ivl) == 0 && ivl == 60000);
    CHECK (set_int (req, NN_REQ, NN_REQ_RESEND_IVL, 100) == 0);
    CHECK (get_int (req, NN_REQ, NN_REQ_RESEND_IVL, &ivl) == 0 && ivl == 100);
    CHECK (nn_bind (rep, url) >= 0);
    CHECK (nn_connect (req, url) >= 0);
    CHECK (nn_send (req, "lost?", 5, 0) == 5);
    CHECK (recv_is (rep, "lost?"));
    /* No answer: the same request arrives once more. */
    CHECK (recv_is (rep, "lost?"));
    CHECK (nn_send (rep, "found", 5, 0) == 5);
    CHECK (recv_is (req, "found"));
    CHECK (nn_close (req) == 0 && nn_close (rep) == 0);
}

/* Three REQ sockets on one REP: each reply goes to whoever asked, even when
   the REP answers in another order than it was asked. */
static void routing (const char *url)
{
    int rep = test_socket (NN_REP, 5000), req [3], i;
    char buf [64];

    CHECK (nn_bind (rep, url) >= 0);
    for (i = 0; i < 3; i++) {
        req [i] = test_socket (NN_REQ, 5000);
        CHECK (nn_connect (req [i], url) >= 0);
    }
    wait_connections (rep, 3);
    for (i = 0; i < 3; i++) {
        buf [0] = (char) ('a' + i);
        CHECK (nn_send (req [i], buf, 1, 0) == 1);
    }
    /* The REP answers one request at a time, echoing what it was asked. */
    for (i = 0; i < 3; i++) {
        char reply [2];
        CHECK (nn_recv (rep, buf, sizeof buf, 0) == 1);
        reply [0] = buf [0];
        reply [1] = '!';
        CHECK (nn_send (rep, reply, 2, 0) == 2);
    }
    for (i = 0; i < 3; i++) {
        CHECK (nn_recv (req [i], buf, sizeof buf, 0) == 2);
        CHECK (buf [0] == 'a' + i && buf [1] == '!');
        CHECK (nn_close (req [i]) == 0);
    }
    CHECK (nn_close (rep) == 0);
}

/* One REQ over two REPs: requests go to them in turn. */
static void load_balance (const char *url_a, const char *url_b)
{
    int req = test_socket (NN_REQ, 5000), rep [2], count [2] = { 0, 0 }, i, j;
    struct nn_pollfd pfd [2];

    rep [0] = test_socket (NN_REP, 5000);
    rep [1] = test_socket (NN_REP, 5000);
    CHECK (nn_bind (rep [0], url_a) >= 0);
    CHECK (nn_bind (rep [1], url_b) >= 0);
    CHECK (nn_connect (req, url_a) >= 0);
    CHECK (nn_connect (req, url_b) >= 0);
    wait_connections (req, 2);
    for (i = 0; i < 6; i++) {
        CHECK (nn_send (req, "job", 3, 0) == 3);
        pfd [0].fd = rep [0];
        pfd [1].fd = rep [1];
        pfd [0].events = pfd [1].events = NN_POLLIN;
        CHECK (nn_poll (pfd, 2, 5000) == 1);
        for (j = 0; j < 2; j++)
            if (pfd [j].revents & NN_POLLIN) {
                count [j]++;
                CHECK (recv_is (rep [j], "job"));
                CHECK (nn_send (rep [j], "done", 4, 0) == 4);
            }
        CHECK (recv_is (req, "done"));
    }
    CHECK (count [0] == 3 && count [1] == 3);
    CHECK (nn_close (req) == 0 && nn_close (rep [0]) == 0 && nn_close (rep [1]) == 0);
}

/* A raw socket's SP header travels as a control message of level PROTO_SP
   and type SP_HDR whose data is the header's length as a size_t, then the
   header itself (nanomsg 1.x's layout; the real library sets cmsg_len to
   NN_CMSG_SPACE of that data). */

/* Receives into `body`; returns the body length and copies the SP header
   into `hdr` (its length in `*hdrlen`, 0 when there is none). The control
   buffer is taken as an NN_MSG chunk: the real library does not shorten
   msg_controllen to what it wrote, so only a chunk has a known end. */
static int recv_with_header (int s, char *body, size_t bodylen,
    unsigned char *hdr, size_t hdrmax, size_t *hdrlen)
{
    struct nn_iovec iov;
    struct nn_msghdr mh;
    struct nn_cmsghdr *cmsg;
    void *ctl = NULL;
    size_t len;
    int n;

    iov.iov_base = body;
    iov.iov_len = bodylen;
    memset (&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = &ctl;
    mh.msg_controllen = NN_MSG;
    n = nn_recvmsg (s, &mh, 0);
    *hdrlen = 0;
    if (n < 0)
        return n;
    for (cmsg = NN_CMSG_FIRSTHDR (&mh); cmsg; cmsg = NN_CMSG_NXTHDR (&mh, cmsg))
        if (cmsg->cmsg_level == PROTO_SP && cmsg->cmsg_type == SP_HDR) {
            memcpy (&len, NN_CMSG_DATA (cmsg), sizeof len);
            CHECK (len <= hdrmax && cmsg->cmsg_len >= NN_CMSG_LEN (sizeof len + len));
            if (len <= hdrmax && cmsg->cmsg_len >= NN_CMSG_LEN (sizeof len + len)) {
                memcpy (hdr, NN_CMSG_DATA (cmsg) + sizeof len, len);
                *hdrlen = len;
            }
        }
    CHECK (ctl != NULL && nn_freemsg (ctl) == 0);
    return n;
}

/* Sends `body` with `hdr` as its SP header. */
static int send_with_header (int s, const char *body, size_t bodylen,
    const unsigned char *hdr, size_t hdrlen)
{
    size_t ctl [NN_CMSG_SPACE (64) / sizeof (size_t)];
    struct nn_cmsghdr *cmsg = (struct nn_cmsghdr *) ctl;
    struct nn_iovec iov;
    struct nn_msghdr mh;

    REQUIRE (hdrlen <= 32);
    memset (ctl, 0, sizeof ctl);
    cmsg->cmsg_len = NN_CMSG_LEN (sizeof hdrlen + hdrlen);
    cmsg->cmsg_level = PROTO_SP;
    cmsg->cmsg_type = SP_HDR;
    memcpy (NN_CMSG_DATA (cmsg), &hdrlen, sizeof hdrlen);
    memcpy (NN_CMSG_DATA (cmsg) + sizeof hdrlen, hdr, hdrlen);
    iov.iov_base = (void *) body;
    iov.iov_len = bodylen;
    memset (&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = ctl;
    mh.msg_controllen = NN_CMSG_SPACE (sizeof hdrlen + hdrlen);
    return nn_sendmsg (s, &mh, 0);
}

/* A raw REP sees the backtrace: the pipe id the request came in on (top bit
   clear), then the request id (top bit set). It keeps no state: it may take
   several requests before answering any, and sending a request's header
   back with the reply routes it to that request's asker. */
static void raw_rep (const char *url)
{
    int req [2], rep = nn_socket (AF_SP_RAW, NN_REP), i;
    char body [64];
    unsigned char hdr [2] [64];
    size_t hdrlen;

    REQUIRE (rep >= 0);
    CHECK (set_int (rep, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
    CHECK (nn_bind (rep, url) >= 0);
    for (i = 0; i < 2; i++) {
        req [i] = test_socket (NN_REQ, 5000);
        CHECK (nn_connect (req [i], url) >= 0);
    }
    wait_connections (rep, 2);
    CHECK (nn_send (req [0], "0", 1, 0) == 1);
    CHECK (nn_send (req [1], "1", 1, 0) == 1);
    for (i = 0; i < 2; i++) {
        unsigned char h [64];
        memset (h, 0, sizeof h);
        CHECK (recv_with_header (rep, body, sizeof body, h, sizeof h, &hdrlen) == 1);
        CHECK (hdrlen == 8);
        CHECK ((h [0] & 0x80) == 0);
        CHECK ((h [4] & 0x80) != 0);
        if (body [0] == '0' || body [0] == '1')
            memcpy (hdr [body [0] - '0'], h, 8);
    }
    /* Two askers, two connections: two pipe ids. */
    CHECK (memcmp (hdr [0], hdr [1], 4) != 0);
    /* Answered in the other order, each reply still finds its asker. */
    CHECK (send_with_header (rep, "to-1", 4, hdr [1], 8) == 4);
    CHECK (send_with_header (rep, "to-0", 4, hdr [0], 8) == 4);
    CHECK (recv_is (req [0], "to-0"));
    CHECK (recv_is (req [1], "to-1"));
    CHECK (nn_close (req [0]) == 0 && nn_close (req [1]) == 0 && nn_close (rep) == 0);
}

/* A raw REQ chooses its own request id, carried in the SP header, and
   gets it back with the reply. */
static void raw_req (const char *url)
{
    int req = nn_socket (AF_SP_RAW, NN_REQ), rep = test_socket (NN_REP, 5000);
    const unsigned char id [4] = { 0x80, 0x00, 0x12, 0x34 };
    char body [64];
    unsigned char hdr [64];
    size_t hdrlen;

    REQUIRE (req >= 0);
    CHECK (set_int (req, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
    CHECK (nn_bind (rep, url) >= 0);
    CHECK (nn_connect (req, url) >= 0);
    wait_connections (req, 1);
    CHECK (send_with_header (req, "q", 1, id, 4) == 1);
    CHECK (recv_is (rep, "q"));
    CHECK (nn_send (rep, "a", 1, 0) == 1);
    CHECK (recv_with_header (req, body, sizeof body, hdr, sizeof hdr, &hdrlen) == 1);
    CHECK (body [0] == 'a');
    CHECK (hdrlen == 4 && memcmp (hdr, id, 4) == 0);
    CHECK (nn_close (req) == 0 && nn_close (rep) == 0);
}

int main (void)
{
    char a [64], b [64];
    int port = test_port_base (), pid = (int) getpid ();

    round_trips ("inproc://reqrep");
    connect_before_bind ("inproc://reqrep-early");
    cancel ("inproc://reqrep-cancel");
    resend ("inproc://reqrep-resend");
    routing ("inproc://reqrep-route");
    load_balance ("inproc://reqrep-a", "inproc://reqrep-b");
    raw_rep ("inproc://reqrep-rawrep");
    raw_req ("inproc://reqrep-rawreq");

    sprintf (a, "ipc:///tmp/nnrs-reqrep-a-%d.ipc", pid);
    sprintf (b, "ipc:///tmp/nnrs-reqrep-b-%d.ipc", pid);
    round_trips (a);
    connect_before_bind (a);
    cancel (a);
    resend (a);
    routing (a);
    load_balance (a, b);
    raw_rep (a);
    raw_req (a);

    /* Each case has its own port, so no case meets the last one's leftovers. */
    sprintf (a, "tcp://127.0.0.1:%d", port);
    round_trips (a);
    sprintf (a, "tcp://127.0.0.1:%d", port + 1);
    connect_before_bind (a);
    sprintf (a, "tcp://127.0.0.1:%d", port + 2);
    cancel (a);
    sprintf (a, "tcp://127.0.0.1:%d", port + 3);
    resend (a);
    sprintf (a, "tcp://127.0.0.1:%d", port + 4);
    routing (a);
    sprintf (a, "tcp://127.0.0.1:%d", port + 5);
    sprintf (b, "tcp://127.0.0.1:%d", port + 6);
    load_balance (a, b);
    sprintf (a, "tcp://127.0.0.1:%d", port + 7);
    raw_rep (a);
    sprintf (a, "tcp://127.0.0.1:%d", port + 8);
    raw_req (a);
    return test_result ("reqrep");
}
