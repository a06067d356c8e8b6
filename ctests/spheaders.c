/*  Malformed and stale SP headers: a request without a request id, a
    backtrace deeper than NN_MAXTTL, a reply to no request, an answer to an
    unknown survey. Each is dropped and counted (NNRS_STAT_DROPPED_MESSAGES),
    never delivered, and the socket goes on serving the next good message.
    A raw socket on one side writes the bad headers; inproc, ipc and tcp. */

#include "testutil.h"
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/survey.h>

#define TIMEOUT 2000
#define QUIET 200

static char urls [3][64];

static int raw_socket (int protocol)
{
    int s = nn_socket (AF_SP_RAW, protocol);
    REQUIRE (s >= 0);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, TIMEOUT) == 0);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_SNDTIMEO, TIMEOUT) == 0);
    return s;
}

static void put_word (uint8_t *at, uint32_t word)
{
    at [0] = word >> 24; at [1] = word >> 16; at [2] = word >> 8; at [3] = word;
}

static uint64_t dropped (int s)
{
    return nn_get_statistic (s, NNRS_STAT_DROPPED_MESSAGES);
}

/* Nothing arrives within QUIET ms. */
static void check_silent (int s)
{
    char buf [64];
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, QUIET) == 0);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, TIMEOUT) == 0);
}

/* The data of an SP_HDR control message is laid out as nanomsg lays it
   out: the header's length as a size_t, then its bytes. */

/* Receives on raw `s` the SP header (into `header`, returning its length)
   and checks the body is `body`. */
static size_t recv_header (int s, uint8_t *header, size_t size, const char *body)
{
    char buf [64];
    char control [NN_CMSG_SPACE (64)];
    struct nn_iovec iov = { buf, sizeof buf };
    struct nn_msghdr hdr;
    struct nn_cmsghdr *cmsg;
    size_t len;
    int n;

    memset (&hdr, 0, sizeof hdr);
    hdr.msg_iov = &iov;
    hdr.msg_iovlen = 1;
    hdr.msg_control = control;
    hdr.msg_controllen = sizeof control;
    n = nn_recvmsg (s, &hdr, 0);
    CHECK (n == (int) strlen (body) && memcmp (buf, body, n) == 0);
    cmsg = NN_CMSG_FIRSTHDR (&hdr);
    REQUIRE (cmsg != NULL && cmsg->cmsg_level == PROTO_SP && cmsg->cmsg_type == SP_HDR);
    memcpy (&len, NN_CMSG_DATA (cmsg), sizeof len);
    REQUIRE (len <= size && NN_CMSG_LEN (sizeof len + len) <= cmsg->cmsg_len);
    memcpy (header, NN_CMSG_DATA (cmsg) + sizeof len, len);
    return len;
}

/* Sends `body` on raw `s` with this SP header. */
static void send_header (int s, const uint8_t *header, size_t len, const char *body)
{
    char control [NN_CMSG_SPACE (64)];
    struct nn_iovec iov = { (void *) body, strlen (body) };
    struct nn_msghdr hdr;
    struct nn_cmsghdr *cmsg;

    memset (&hdr, 0, sizeof hdr);
    memset (control, 0, sizeof control);
    hdr.msg_iov = &iov;
    hdr.msg_iovlen = 1;
    hdr.msg_control = control;
    hdr.msg_controllen = NN_CMSG_SPACE (sizeof len + len);
    cmsg = NN_CMSG_FIRSTHDR (&hdr);
    cmsg->cmsg_level = PROTO_SP;
    cmsg->cmsg_type = SP_HDR;
    cmsg->cmsg_len = NN_CMSG_LEN (sizeof len + len);
    memcpy (NN_CMSG_DATA (cmsg), &len, sizeof len);
    memcpy (NN_CMSG_DATA (cmsg) + sizeof len, header, len);
    CHECK (nn_sendmsg (s, &hdr, 0) == (int) strlen (body));
}

/* A raw REQ writes requests to a cooked REP: one with no word that has
   the top bit set, one 9 hops deep, then good ones. */
static void bad_requests (const char *url)
{
    uint8_t trace [9 * 4];
    char buf [64];
    int i;
    int rep = test_socket (NN_REP, TIMEOUT);
    int req = raw_socket (NN_REQ);

    CHECK (nn_bind (rep, url) > 0);
    CHECK (nn_connect (req, url) > 0);
    wait_connections (rep, 1);

    put_word (trace, 0x12345678);
    send_header (req, trace, 4, "no request id");
    send_header (req, trace, 0, "ab");
    for (i = 0; i < 8; i++)
        put_word (trace + 4 * i, i + 1);
    put_word (trace + 32, 0x80000001);
    send_header (req, trace, sizeof trace, "nine hops");
    check_silent (rep);
    CHECK (dropped (rep) == 3);

    /* One more hop allowed: the same request gets through. */
    CHECK (set_int (rep, NN_SOL_SOCKET, NN_MAXTTL, 9) == 0);
    send_header (req, trace, sizeof trace, "nine hops");
    CHECK (nn_recv (rep, buf, sizeof buf, 0) == 9);
    CHECK (nn_send (rep, "ok", 2, 0) == 2);
    CHECK (nn_close (req) == 0);
    CHECK (nn_close (rep) == 0);
}

/* A raw REP answers a cooked REQ with a wrong id, a too short reply and a
   second reply to the same request. */
static void bad_replies (const char *url)
{
    uint8_t header [16];
    uint8_t wrong [8];
    char buf [64];
    size_t len;
    int req = test_socket (NN_REQ, TIMEOUT);
    int rep = raw_socket (NN_REP);

    CHECK (nn_bind (rep, url) > 0);
    CHECK (nn_connect (req, url) > 0);
    CHECK (nn_send (req, "question", 8, 0) == 8);
    len = recv_header (rep, header, sizeof header, "question");
    REQUIRE (len == 8);

    memcpy (wrong, header, 8);
    wrong [7] ^= 1;
    send_header (rep, wrong, 8, "wrong id");
    send_header (rep, header, 4, "");
    check_silent (req);
    CHECK (dropped (req) == 2);

    send_header (rep, header, 8, "answer");
    CHECK (nn_recv (req, buf, sizeof buf, 0) == 6 && memcmp (buf, "answer", 6) == 0);
    send_header (rep, header, 8, "again");
    usleep (QUIET * 1000);
    CHECK_FAILS (nn_recv (req, buf, sizeof buf, 0), EFSM);
    CHECK (dropped (req) == 3);
    CHECK (nn_close (req) == 0);
    CHECK (nn_close (rep) == 0);
}

/* A raw RESPONDENT answers a cooked SURVEYOR with an unknown survey id,
   then with the right one. */
static void bad_answers (const char *url)
{
    uint8_t header [16];
    uint8_t wrong [8];
    char buf [64];
    int surveyor = test_socket (NN_SURVEYOR, TIMEOUT);
    int respondent = raw_socket (NN_RESPONDENT);

    CHECK (set_int (surveyor, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, TIMEOUT) == 0);
    CHECK (nn_bind (surveyor, url) > 0);
    CHECK (nn_connect (respondent, url) > 0);
    wait_connections (surveyor, 1);
    CHECK (nn_send (surveyor, "survey", 6, 0) == 6);
    REQUIRE (recv_header (respondent, header, sizeof header, "survey") == 8);

    memcpy (wrong, header, 8);
    wrong [4] ^= 0x40;
    send_header (respondent, wrong, 8, "stranger");
    send_header (respondent, header, 8, "answer");
    CHECK (nn_recv (surveyor, buf, sizeof buf, 0) == 6 && memcmp (buf, "answer", 6) == 0);
    CHECK (dropped (surveyor) == 1);
    CHECK (nn_close (surveyor) == 0);
    CHECK (nn_close (respondent) == 0);
}

int main (void)
{
    int i;
    int port = test_port_base ();

    snprintf (urls [0], sizeof urls [0], "inproc://spheaders");
    snprintf (urls [1], sizeof urls [1], "ipc:///tmp/nnrs-spheaders-%d.ipc", (int) getpid ());
    snprintf (urls [2], sizeof urls [2], "tcp://127.0.0.1:%d", port);
    for (i = 0; i < 3; i++) {
        bad_requests (urls [i]);
        bad_replies (urls [i]);
        bad_answers (urls [i]);
    }
    return test_result ("spheaders");
}
