/* Options at every level: defaults of a fresh socket, set and read back,
   and the errno of every kind of bad call. */
#include "testutil.h"
#include <poll.h>
#include <nanomsg/pair.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/survey.h>
#include <nanomsg/bus.h>
#include <nanomsg/inproc.h>
#include <nanomsg/ipc.h>
#include <nanomsg/tcp.h>
#include <nanomsg/ws.h>

struct int_option {
    int level, option, fresh, good, bad_low, bad_high;
};

/* Int options: default, a value to set, a value below and one above the
   range (NONE: no bound on that side; negative times mean "for ever"). */
#define NONE 0x7ffffff0
static const struct int_option socket_options [] = {
    { NN_SOL_SOCKET, NN_LINGER, 0, 500, NONE, NONE },
    { NN_SOL_SOCKET, NN_SNDBUF, 131072, 4096, 0, NONE },
    { NN_SOL_SOCKET, NN_RCVBUF, 131072, 65536, 0, NONE },
    { NN_SOL_SOCKET, NN_SNDTIMEO, -1, 250, NONE, NONE },
    { NN_SOL_SOCKET, NN_RCVTIMEO, -1, 0, NONE, NONE },
    { NN_SOL_SOCKET, NN_RECONNECT_IVL, 100, 10, -1, NONE },
    { NN_SOL_SOCKET, NN_RECONNECT_IVL_MAX, 0, 5000, -1, NONE },
    { NN_SOL_SOCKET, NN_SNDPRIO, 8, 1, 0, 17 },
    { NN_SOL_SOCKET, NN_RCVPRIO, 8, 16, 0, 17 },
    { NN_SOL_SOCKET, NN_IPV4ONLY, 1, 0, -1, 2 },
    { NN_SOL_SOCKET, NN_RCVMAXSIZE, 1048576, -1, -2, NONE },
    { NN_SOL_SOCKET, NN_MAXTTL, 8, 255, 0, 256 },
    { NN_TCP, NN_TCP_NODELAY, 0, 1, -1, 2 },
    { NN_WS, NN_WS_MSG_TYPE, NN_WS_MSG_TYPE_BINARY, NN_WS_MSG_TYPE_TEXT, 0, 3 },
    { NN_IPC, NN_IPC_SEC_ATTR, 0, 0600, -1, 010000 },
    { NN_IPC, NN_IPC_OUTBUFSZ, 4096, 8192, 0, NONE },
    { NN_IPC, NN_IPC_INBUFSZ, 4096, 1024, 0, NONE },
};
#define NSOCKET_OPTIONS ((int) (sizeof socket_options / sizeof socket_options [0]))

static const int protocols [] = {
    NN_PAIR, NN_PUB, NN_SUB, NN_REQ, NN_REP, NN_PUSH, NN_PULL,
    NN_SURVEYOR, NN_RESPONDENT, NN_BUS
};
#define NPROTOCOLS ((int) (sizeof protocols / sizeof protocols [0]))

static void check_int_options (int s)
{
    int i, value;
    for (i = 0; i < NSOCKET_OPTIONS; i++) {
        const struct int_option *o = &socket_options [i];
        value = 12345;
        CHECK (get_int (s, o->level, o->option, &value) == 0);
        if (value != o->fresh)
            fprintf (stderr, "option %d/%d reads %d, want %d\n", o->level, o->option, value, o->fresh);
        CHECK (value == o->fresh);
        CHECK (set_int (s, o->level, o->option, o->good) == 0);
        CHECK (get_int (s, o->level, o->option, &value) == 0 && value == o->good);
        if (o->bad_low != NONE)
            CHECK_FAILS (set_int (s, o->level, o->option, o->bad_low), EINVAL);
        if (o->bad_high != NONE)
            CHECK_FAILS (set_int (s, o->level, o->option, o->bad_high), EINVAL);
        /* The wrong length. */
        CHECK_FAILS (nn_setsockopt (s, o->level, o->option, &value, sizeof value - 1), EINVAL);
        CHECK_FAILS (nn_setsockopt (s, o->level, o->option, &value, 8), EINVAL);
        CHECK (get_int (s, o->level, o->option, &value) == 0 && value == o->good);
        CHECK (set_int (s, o->level, o->option, o->fresh) == 0);
    }
}

static void check_protocol_options (int s, int protocol, int raw)
{
    int value, i;
    /* Each protocol option exists only on its own (cooked) socket type. */
    const int req = protocol == NN_REQ && !raw;
    const int surveyor = protocol == NN_SURVEYOR && !raw;
    const int sub = protocol == NN_SUB;

    if (req) {
        CHECK (get_int (s, NN_REQ, NN_REQ_RESEND_IVL, &value) == 0 && value == 60000);
        CHECK (set_int (s, NN_REQ, NN_REQ_RESEND_IVL, 1500) == 0);
        CHECK (get_int (s, NN_REQ, NN_REQ_RESEND_IVL, &value) == 0 && value == 1500);
        CHECK_FAILS (set_int (s, NN_REQ, NN_REQ_RESEND_IVL, -1), EINVAL);
        CHECK_FAILS (nn_setsockopt (s, NN_REQ, NN_REQ_RESEND_IVL, "ab", 2), EINVAL);
    } else {
        CHECK_FAILS (get_int (s, NN_REQ, NN_REQ_RESEND_IVL, &value), ENOPROTOOPT);
        CHECK_FAILS (set_int (s, NN_REQ, NN_REQ_RESEND_IVL, 1500), ENOPROTOOPT);
    }
    if (surveyor) {
        CHECK (get_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, &value) == 0 && value == 1000);
        CHECK (set_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, 250) == 0);
        CHECK (get_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, &value) == 0 && value == 250);
        CHECK_FAILS (set_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, -5), EINVAL);
    } else {
        CHECK_FAILS (get_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, &value), ENOPROTOOPT);
    }
    if (sub) {
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) == 0);
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_SUBSCRIBE, "news", 4) == 0);
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_SUBSCRIBE, "news", 4) == 0);
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_UNSUBSCRIBE, "news", 4) == 0);
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_UNSUBSCRIBE, "news", 4) == 0);
        /* An unknown topic is no error (nanomsg returns 0 too, while
           another subscription exists; with none it crashes). */
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_UNSUBSCRIBE, "news", 4) == 0);
        CHECK (nn_setsockopt (s, NN_SUB, NN_SUB_UNSUBSCRIBE, "", 0) == 0);
        CHECK_FAILS (get_int (s, NN_SUB, NN_SUB_SUBSCRIBE, &value), ENOPROTOOPT);
    } else {
        CHECK_FAILS (nn_setsockopt (s, NN_SUB, NN_SUB_SUBSCRIBE, "", 0), ENOPROTOOPT);
    }
    /* Unknown options at the socket's own protocol level. */
    for (i = 3; i < 6; i++)
        CHECK_FAILS (set_int (s, protocol, i, 1), ENOPROTOOPT);
}

/* Whether a fresh socket with no peer can send without blocking (as the
   real library reports it): PUB, SURVEYOR and BUS drop what no peer takes,
   a cooked REQ keeps its request until a peer comes, and a raw REP or
   RESPONDENT drops replies it cannot route. */
static int sends_without_peer (int protocol, int raw)
{
    switch (protocol) {
    case NN_PUB: case NN_SURVEYOR: case NN_BUS: return 1;
    case NN_REQ: return !raw;
    case NN_REP: case NN_RESPONDENT: return raw;
    default: return 0;
    }
}

static void check_fds (int s, int protocol, int raw)
{
    int fd = -1;
    struct pollfd pfd;
    const int sends = protocol != NN_SUB && protocol != NN_PULL;
    const int recvs = protocol != NN_PUB && protocol != NN_PUSH;

    if (sends) {
        CHECK (get_int (s, NN_SOL_SOCKET, NN_SNDFD, &fd) == 0 && fd >= 0);
        pfd.fd = fd;
        pfd.events = POLLIN;
        CHECK (poll (&pfd, 1, 0) == sends_without_peer (protocol, raw));
    } else {
        CHECK_FAILS (get_int (s, NN_SOL_SOCKET, NN_SNDFD, &fd), ENOPROTOOPT);
    }
    if (recvs) {
        CHECK (get_int (s, NN_SOL_SOCKET, NN_RCVFD, &fd) == 0 && fd >= 0);
        pfd.fd = fd;
        pfd.events = POLLIN;
        CHECK (poll (&pfd, 1, 0) == 0);
    } else {
        CHECK_FAILS (get_int (s, NN_SOL_SOCKET, NN_RCVFD, &fd), ENOPROTOOPT);
    }
    CHECK_FAILS (set_int (s, NN_SOL_SOCKET, NN_SNDFD, 3), ENOPROTOOPT);
    CHECK_FAILS (set_int (s, NN_SOL_SOCKET, NN_RCVFD, 3), ENOPROTOOPT);
}

static void check_name (int s)
{
    char name [80];
    char want [16];
    size_t len = sizeof name;

    sprintf (want, "%d", s);
    CHECK (nn_getsockopt (s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, &len) == 0);
    CHECK (len == strlen (want) && memcmp (name, want, len) == 0);
    CHECK (nn_setsockopt (s, NN_SOL_SOCKET, NN_SOCKET_NAME, "frontend", 8) == 0);
    len = sizeof name;
    CHECK (nn_getsockopt (s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, &len) == 0);
    CHECK (len == 8 && memcmp (name, "frontend", 8) == 0);
    /* A short buffer gets what fits; the length says the whole. */
    len = 3;
    memset (name, 0, sizeof name);
    CHECK (nn_getsockopt (s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, &len) == 0);
    CHECK (len == 8 && memcmp (name, "fro", 4) == 0);
    memset (name, 'x', sizeof name);
    CHECK_FAILS (nn_setsockopt (s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, 64), EINVAL);
    CHECK (nn_setsockopt (s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, 63) == 0);
}

static void check_bad_calls (int s)
{
    int value = 1;
    size_t len = sizeof value;

    CHECK_FAILS (set_int (s, NN_SOL_SOCKET, NN_DOMAIN, AF_SP), ENOPROTOOPT);
    CHECK_FAILS (set_int (s, NN_SOL_SOCKET, NN_PROTOCOL, NN_PAIR), ENOPROTOOPT);
    CHECK_FAILS (set_int (s, NN_SOL_SOCKET, 999, 1), ENOPROTOOPT);
    CHECK_FAILS (get_int (s, NN_SOL_SOCKET, 0, &value), ENOPROTOOPT);
    CHECK_FAILS (set_int (s, 12345, NN_LINGER, 1), ENOPROTOOPT);
    CHECK_FAILS (get_int (s, -99, 1, &value), ENOPROTOOPT);
    CHECK_FAILS (set_int (s, NN_INPROC, 1, 1), ENOPROTOOPT);
    CHECK_FAILS (set_int (s, NN_TCP, 2, 1), ENOPROTOOPT);
    /* NULL pointers. */
    CHECK_FAILS (nn_setsockopt (s, NN_SOL_SOCKET, NN_LINGER, NULL, sizeof (int)), EFAULT);
    CHECK_FAILS (nn_getsockopt (s, NN_SOL_SOCKET, NN_LINGER, NULL, &len), EFAULT);
    CHECK_FAILS (nn_getsockopt (s, NN_SOL_SOCKET, NN_LINGER, &value, NULL), EFAULT);
    /* A zero-length read only reports the size. */
    len = 0;
    CHECK (nn_getsockopt (s, NN_SOL_SOCKET, NN_LINGER, NULL, &len) == 0 && len == sizeof (int));
}

int main (void)
{
    int i, raw, s;

    for (i = 0; i < NPROTOCOLS; i++) {
        for (raw = 0; raw <= 1; raw++) {
            CHECK_OK (s, nn_socket (raw ? AF_SP_RAW : AF_SP, protocols [i]));
            check_int_options (s);
            check_protocol_options (s, protocols [i], raw);
            check_fds (s, protocols [i], raw);
            check_name (s);
            check_bad_calls (s);
            CHECK (nn_close (s) == 0);
        }
    }
    return test_result ("options");
}
