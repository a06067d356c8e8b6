/* One end of a nanomsg conversation, run against another copy of itself (or
   the device program) that may be loaded with a different libnanomsg: nnrs
   or the reference one.

     peer <role> <url> <bind|connect> <count>

   Roles and what each does with <count> messages:

     pair-first   PAIR.  Lock-step: sends request i, checks reply i, with sizes
                  0 B, 1 B, 100 B, 64 KiB, just under 1 MiB and odd values.
                  Then a burst of <count> each way, then "done".
     pair-second  The other end of pair-first.
     req          REQ: sends <count> requests and checks each reply.
     rep          REP: checks <count> requests in order and answers each.
     push         PUSH: sends <count> messages.
     pull         PULL: checks <count> messages in order.
     pub          PUB: publishes numbered messages every few milliseconds
                  until SIGTERM or SIGINT (exit 0) or PUB_SECONDS (exit 0 too:
                  a publisher cannot tell whether anyone listened).
     sub          SUB, subscribed to "": checks <count> distinct messages,
                  in increasing order.  PUB/SUB drops what is published
                  before the connection is up, so the first one seen may have
                  any number, and gaps are reported but allowed.
     surveyor     SURVEYOR: sends <count> surveys and checks the one answer
                  to each; a survey without an answer in SURVEY_DEADLINE_MS
                  (sent before the respondent was connected) is sent again.
     respondent   RESPONDENT: answers surveys until it answered the last one.
                  A survey may come twice when its first answer was late.
     bus          BUS, both ends: says hello until it hears the other end,
                  then sends <count> messages, checks the other end's <count>
                  and says end; stops when both ends said end.

   Every byte is derived from (direction, index, offset), and messages of 4
   bytes or more start with their index, so a lost, duplicated, reordered or
   corrupted message is reported with its index.  Prints "peer <role>: ok" at
   the end.  Exits 0 on success, 1 on any mismatch or failed call, 2 on bad
   usage. */
/* sigaction, clock_gettime and nanosleep, even under a strict -std. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nanomsg/nn.h>
#include <nanomsg/bus.h>
#include <nanomsg/pair.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/survey.h>

#include "library.h"

#define TIMEOUT_MS 10000
/* nanomsg's default NN_RCVMAXSIZE is 1048576 bytes; stay a little below. */
#define NEAR_MAX (1048576 - 100)
/* Long enough for an answer on a loaded machine, short enough to retry a
   survey that went out before the respondent was connected. */
#define SURVEY_DEADLINE_MS 2000
#define SURVEY_ATTEMPTS 5
#define PUB_SECONDS 20
#define PUB_INTERVAL_MS 5
#define BUS_POLL_MS 100
/* nanomsg does not linger: a process that sent last waits this long before
   nn_close so that its last messages leave. */
#define LINGER_MS 500

enum dir {
    REQUEST, REPLY, BURST_REQUEST, BURST_REPLY,
    PUSHED, PUBLISHED, SURVEY, ANSWER, BUS_DATA
};

/* The bus role's control messages: one byte, shorter than any data. */
#define BUS_HELLO 'H'
#define BUS_END 'E'

static char who [64] = "peer ?";
static volatile sig_atomic_t stop_requested;

static const size_t lockstep_sizes [] = {
    0, 1, 100, 65536, NEAR_MAX, 2, 4095, 65537, 250000, 7, NEAR_MAX - 1, 1000
};
#define N_LOCKSTEP_SIZES (sizeof (lockstep_sizes) / sizeof (lockstep_sizes [0]))

static size_t message_size (enum dir d, int i)
{
    size_t n = (size_t) i;

    switch (d) {
    case REQUEST:
        if (n < N_LOCKSTEP_SIZES)
            return lockstep_sizes [n];
        return 16 + (n * 7919) % 3000;
    case REPLY:
        /* Shifted by one so that each reply differs in size from its request. */
        return message_size (REQUEST, i + 1);
    case BURST_REQUEST:
        return 1 + n % 97;
    case BURST_REPLY:
        return n % 53;
    case PUSHED:
        return message_size (REQUEST, i + 2);
    /* The rest carry their index, so they need at least 4 bytes. */
    case PUBLISHED:
        return 4 + (n * 31) % 500;
    case SURVEY:
        return n == 3 ? 65536 : 4 + (n * 13) % 200;
    case ANSWER:
        return n == 5 ? 100000 : 4 + (n * 17) % 300;
    case BUS_DATA:
        /* At least 2 bytes, so never mistaken for a control message. */
        return n == 2 ? 65536 : 8 + n % 120;
    }
    return 0;
}

static uint8_t message_byte (enum dir d, int i, size_t off)
{
    uint32_t x = (uint32_t) d * 0x9e3779b1u + (uint32_t) i * 0x85ebca6bu
        + (uint32_t) off * 251u + (uint32_t) (off >> 8) * 13u;
    return (uint8_t) (x ^ (x >> 11));
}

static void fill_message (uint8_t *buf, size_t size, enum dir d, int i)
{
    size_t off;

    for (off = 0; off != size; off++)
        buf [off] = message_byte (d, i, off);
    if (size >= 4) {
        buf [0] = (uint8_t) (i >> 24);
        buf [1] = (uint8_t) (i >> 16);
        buf [2] = (uint8_t) (i >> 8);
        buf [3] = (uint8_t) i;
    }
}

/* The index a message of 4 bytes or more starts with. */
static int message_index (const uint8_t *p, size_t len)
{
    if (len < 4)
        return -1;
    return (int) ((uint32_t) p [0] << 24 | (uint32_t) p [1] << 16
        | (uint32_t) p [2] << 8 | p [3]);
}

static int fail (const char *what)
{
    int e = nn_errno ();
    fprintf (stderr, "%s: %s failed: %s (errno %d)\n", who, what, nn_strerror (e), e);
    return 1;
}

static double now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Returns early when a signal comes, which is what the publisher wants. */
static void sleep_ms (int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long) (ms % 1000) * 1000000L;
    nanosleep (&ts, NULL);
}

/* Sends message i of direction d.  Odd indices go through nn_allocmsg and
   NN_MSG, even ones through a plain buffer, so both paths cross the wire. */
static int send_message (int s, enum dir d, int i)
{
    size_t size = message_size (d, i);
    char what [64];
    int zero_copy = i % 2 == 1;
    uint8_t *buf;
    int rc;

    snprintf (what, sizeof what, "nn_send (dir %d, #%d, %zu B)", (int) d, i, size);
    buf = zero_copy ? nn_allocmsg (size, 0) : malloc (size ? size : 1);
    if (!buf)
        return fail ("allocating a message");
    fill_message (buf, size, d, i);
    if (zero_copy) {
        rc = nn_send (s, &buf, NN_MSG, 0);
        if (rc < 0)
            nn_freemsg (buf);
    }
    else {
        rc = nn_send (s, buf, size, 0);
        free (buf);
    }
    if (rc < 0)
        return fail (what);
    if ((size_t) rc != size) {
        fprintf (stderr, "%s: %s returned %d\n", who, what, rc);
        return 1;
    }
    return 0;
}

/* Checks that p [0..len) is message i of direction d. */
static int check_message (const uint8_t *p, size_t len, enum dir d, int i)
{
    size_t want = message_size (d, i);
    uint8_t *expected;
    size_t off;
    int result = 0;

    if (len != want) {
        fprintf (stderr, "%s: message (dir %d, #%d): got %zu bytes, want %zu\n",
            who, (int) d, i, len, want);
        return 1;
    }
    expected = malloc (want ? want : 1);
    if (!expected) {
        fprintf (stderr, "%s: out of memory\n", who);
        return 1;
    }
    fill_message (expected, want, d, i);
    for (off = 0; off != want; off++) {
        if (p [off] != expected [off]) {
            fprintf (stderr, "%s: message (dir %d, #%d, %zu B): byte %zu is 0x%02x, want 0x%02x\n",
                who, (int) d, i, want, off, p [off], expected [off]);
            result = 1;
            break;
        }
    }
    free (expected);
    return result;
}

/* Receives one message into *msg (free with nn_freemsg).  Returns its size,
   or -1 with nn_errno () set. */
static int receive (int s, void **msg)
{
    *msg = NULL;
    return nn_recv (s, msg, NN_MSG, 0);
}

static int release (void *msg)
{
    if (msg && nn_freemsg (msg) != 0)
        return fail ("nn_freemsg");
    return 0;
}

/* Receives one message and checks that it is message i of direction d. */
static int recv_message (int s, enum dir d, int i)
{
    char what [64];
    void *msg;
    int rc, result;

    snprintf (what, sizeof what, "nn_recv (dir %d, #%d, %zu B)", (int) d, i,
        message_size (d, i));
    rc = receive (s, &msg);
    if (rc < 0)
        return fail (what);
    result = check_message (msg, (size_t) rc, d, i);
    return release (msg) || result;
}

/* Receives one message of direction d whatever its index, checks it and
   stores the index in *i. */
static int recv_indexed (int s, enum dir d, int *i)
{
    void *msg;
    int rc, result;

    rc = receive (s, &msg);
    if (rc < 0)
        return fail ("nn_recv");
    *i = message_index (msg, (size_t) rc);
    if (*i < 0) {
        fprintf (stderr, "%s: got a %d-byte message, too short for an index\n", who, rc);
        result = 1;
    }
    else
        result = check_message (msg, (size_t) rc, d, *i);
    return release (msg) || result;
}

static int set_int_option (int s, int level, int option, int value, const char *what)
{
    if (nn_setsockopt (s, level, option, &value, sizeof value) != 0)
        return fail (what);
    return 0;
}

/* ---- PAIR ---------------------------------------------------------------- */

static int run_pair_first (int s, int count)
{
    int i;
    size_t bytes = 0;

    for (i = 0; i != count; i++) {
        if (send_message (s, REQUEST, i) || recv_message (s, REPLY, i))
            return 1;
        bytes += message_size (REQUEST, i) + message_size (REPLY, i);
    }
    printf ("%s: lock-step: %d requests sent, %d replies checked (%zu bytes)\n",
        who, count, count, bytes);
    for (i = 0; i != count; i++)
        if (send_message (s, BURST_REQUEST, i))
            return 1;
    for (i = 0; i != count; i++)
        if (recv_message (s, BURST_REPLY, i))
            return 1;
    printf ("%s: burst: %d messages sent, %d answers checked\n", who, count, count);
    if (nn_send (s, "done", 4, 0) != 4)
        return fail ("nn_send (done)");
    sleep_ms (LINGER_MS);
    return 0;
}

static int run_pair_second (int s, int count)
{
    char buf [16];
    int i, rc;
    size_t bytes = 0;

    for (i = 0; i != count; i++) {
        if (recv_message (s, REQUEST, i) || send_message (s, REPLY, i))
            return 1;
        bytes += message_size (REQUEST, i) + message_size (REPLY, i);
    }
    printf ("%s: lock-step: %d requests checked, %d replies sent (%zu bytes)\n",
        who, count, count, bytes);
    for (i = 0; i != count; i++)
        if (recv_message (s, BURST_REQUEST, i))
            return 1;
    for (i = 0; i != count; i++)
        if (send_message (s, BURST_REPLY, i))
            return 1;
    printf ("%s: burst: %d messages checked, %d answers sent\n", who, count, count);
    rc = nn_recv (s, buf, sizeof buf, 0);
    if (rc < 0)
        return fail ("nn_recv (done)");
    if (rc != 4 || memcmp (buf, "done", 4) != 0) {
        fprintf (stderr, "%s: expected \"done\", got %d bytes\n", who, rc);
        return 1;
    }
    return 0;
}

/* ---- REQ/REP ------------------------------------------------------------- */

static int run_req (int s, int count)
{
    int i;

    for (i = 0; i != count; i++)
        if (send_message (s, REQUEST, i) || recv_message (s, REPLY, i))
            return 1;
    printf ("%s: %d requests sent, %d replies checked\n", who, count, count);
    return 0;
}

static int run_rep (int s, int count)
{
    int i;

    /* One requester asking in lock-step: requests arrive in order. */
    for (i = 0; i != count; i++)
        if (recv_message (s, REQUEST, i) || send_message (s, REPLY, i))
            return 1;
    printf ("%s: %d requests checked, %d replies sent\n", who, count, count);
    sleep_ms (LINGER_MS);
    return 0;
}

/* ---- PUSH/PULL ----------------------------------------------------------- */

static int run_push (int s, int count)
{
    int i;

    for (i = 0; i != count; i++)
        if (send_message (s, PUSHED, i))
            return 1;
    printf ("%s: %d messages sent\n", who, count);
    sleep_ms (LINGER_MS);
    return 0;
}

static int run_pull (int s, int count)
{
    int i;

    /* A single pusher: messages arrive in the order sent. */
    for (i = 0; i != count; i++)
        if (recv_message (s, PUSHED, i))
            return 1;
    printf ("%s: %d messages checked\n", who, count);
    return 0;
}

/* ---- PUB/SUB ------------------------------------------------------------- */

static void on_stop_signal (int sig)
{
    (void) sig;
    stop_requested = 1;
}

static int run_pub (int s, int count)
{
    struct sigaction sa;
    double deadline = now () + PUB_SECONDS;
    int i;

    (void) count;   /* the subscriber counts, not the publisher */
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset (&sa.sa_mask);
    sigaction (SIGTERM, &sa, NULL);
    sigaction (SIGINT, &sa, NULL);
    /* In place before the first message, hence before anyone can have seen
       enough of them to ask for a stop. */
    printf ("%s: publishing until stopped\n", who);
    for (i = 0; !stop_requested && now () < deadline; i++) {
        if (send_message (s, PUBLISHED, i))
            return 1;
        sleep_ms (PUB_INTERVAL_MS);
    }
    printf ("%s: %d messages published, %s\n", who, i,
        stop_requested ? "stopped by a signal" : "time limit reached");
    return 0;
}

static int run_sub (int s, int count)
{
    int got, i, first = -1, last = -1, gaps = 0;

    for (got = 0; got != count; got++) {
        if (recv_indexed (s, PUBLISHED, &i))
            return 1;
        if (i <= last) {
            fprintf (stderr, "%s: message #%d came after #%d\n", who, i, last);
            return 1;
        }
        if (first < 0)
            first = i;
        else
            gaps += i - last - 1;
        last = i;
    }
    printf ("%s: %d messages checked, #%d to #%d, %d missing in between\n",
        who, count, first, last, gaps);
    return 0;
}

/* ---- SURVEYOR/RESPONDENT ------------------------------------------------- */

/* Sends survey i until an answer comes, and checks the answer. */
static int survey_once (int s, int i, int *retries)
{
    void *msg;
    int attempt, rc, result;

    for (attempt = 0; attempt != SURVEY_ATTEMPTS; attempt++) {
        if (send_message (s, SURVEY, i))
            return 1;
        rc = receive (s, &msg);
        if (rc >= 0) {
            result = check_message (msg, (size_t) rc, ANSWER, i);
            return release (msg) || result;
        }
        /* ETIMEDOUT: the deadline passed; EFSM: the survey is over. */
        if (nn_errno () != ETIMEDOUT && nn_errno () != EFSM)
            return fail ("nn_recv (answer)");
        ++*retries;
    }
    fprintf (stderr, "%s: survey #%d: no answer in %d attempts of %d ms\n",
        who, i, SURVEY_ATTEMPTS, SURVEY_DEADLINE_MS);
    return 1;
}

static int run_surveyor (int s, int count)
{
    int i, retries = 0;

    if (set_int_option (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, SURVEY_DEADLINE_MS,
          "nn_setsockopt (NN_SURVEYOR_DEADLINE)"))
        return 1;
    for (i = 0; i != count; i++)
        if (survey_once (s, i, &retries))
            return 1;
    printf ("%s: %d surveys answered and checked, %d sent again for want of an answer\n",
        who, count, retries);
    return 0;
}

static int run_respondent (int s, int count)
{
    int i = -1, last = -1, answered = 0;

    while (last != count - 1) {
        if (recv_indexed (s, SURVEY, &i))
            return 1;
        /* The same survey again means the surveyor missed the answer. */
        if (i < last || i >= count) {
            fprintf (stderr, "%s: survey #%d came after #%d\n", who, i, last);
            return 1;
        }
        if (send_message (s, ANSWER, i))
            return 1;
        last = i;
        answered++;
    }
    printf ("%s: %d surveys checked, %d answers sent\n", who, count, answered);
    sleep_ms (LINGER_MS);
    return 0;
}

/* ---- BUS ----------------------------------------------------------------- */

static int send_control (int s, char c)
{
    if (nn_send (s, &c, 1, 0) != 1)
        return fail (c == BUS_HELLO ? "nn_send (hello)" : "nn_send (end)");
    return 0;
}

/* Handles one message heard on the bus: a hello, the other end's "end", or
   its data message #*got. */
static int bus_take (int s, const uint8_t *p, size_t len, int count, int *got,
    int *peer_ended)
{
    if (len == 1 && p [0] == BUS_HELLO)
        return 0;
    if (len == 1 && p [0] == BUS_END) {
        if (*got != count) {
            fprintf (stderr, "%s: the other end ended after %d of %d messages\n",
                who, *got, count);
            return 1;
        }
        *peer_ended = 1;
        return 0;
    }
    if (check_message (p, len, BUS_DATA, *got))
        return 1;
    if (++*got == count)
        return send_control (s, BUS_END);
    return 0;
}

/* BUS drops what is sent while no one is connected, so each end says hello
   every BUS_POLL_MS until it hears the other one, and only then sends its
   data; hearing the other end's data counts as hearing it.  After checking
   all the other end's data an end says "end", and it stops once it has
   heard the other end's "end": then both have everything. */
static int run_bus (int s, int count)
{
    double deadline = now () + TIMEOUT_MS / 1000.0;
    int heard = 0, got = 0, peer_ended = 0, hellos = 0, rc, i, result;
    void *msg;

    if (set_int_option (s, NN_SOL_SOCKET, NN_RCVTIMEO, BUS_POLL_MS,
          "nn_setsockopt (NN_RCVTIMEO)"))
        return 1;
    while (got != count || !peer_ended) {
        if (!heard) {
            if (send_control (s, BUS_HELLO))
                return 1;
            hellos++;
        }
        rc = receive (s, &msg);
        if (rc < 0 && nn_errno () != ETIMEDOUT)
            return fail ("nn_recv");
        if (rc < 0) {
            if (now () > deadline) {
                fprintf (stderr, "%s: %s after %d s (%d of %d messages)\n", who,
                    heard ? "stalled" : "nothing heard", TIMEOUT_MS / 1000, got, count);
                return 1;
            }
            continue;
        }
        result = 0;
        if (!heard) {
            heard = 1;
            for (i = 0; i != count && !result; i++)
                result = send_message (s, BUS_DATA, i);
        }
        if (!result)
            result = bus_take (s, msg, (size_t) rc, count, &got, &peer_ended);
        if (release (msg) || result)
            return 1;
    }
    printf ("%s: %d messages sent, %d checked, %d hello(s) before the other end answered\n",
        who, count, count, hellos);
    sleep_ms (LINGER_MS);
    return 0;
}

/* ---- main ---------------------------------------------------------------- */

struct role {
    const char *name;
    int protocol;
    int (*run) (int s, int count);
};

static const struct role roles [] = {
    { "pair-first", NN_PAIR, run_pair_first },
    { "pair-second", NN_PAIR, run_pair_second },
    { "req", NN_REQ, run_req },
    { "rep", NN_REP, run_rep },
    { "push", NN_PUSH, run_push },
    { "pull", NN_PULL, run_pull },
    { "pub", NN_PUB, run_pub },
    { "sub", NN_SUB, run_sub },
    { "surveyor", NN_SURVEYOR, run_surveyor },
    { "respondent", NN_RESPONDENT, run_respondent },
    { "bus", NN_BUS, run_bus },
};
#define N_ROLES (sizeof (roles) / sizeof (roles [0]))

static const struct role *find_role (const char *name)
{
    size_t i;

    for (i = 0; i != N_ROLES; i++)
        if (strcmp (roles [i].name, name) == 0)
            return &roles [i];
    return NULL;
}

static int usage (const char *argv0)
{
    size_t i;

    fprintf (stderr, "usage: %s <role> <url> <bind|connect> <count>\nroles:", argv0);
    for (i = 0; i != N_ROLES; i++)
        fprintf (stderr, " %s", roles [i].name);
    fprintf (stderr, "\n");
    return 2;
}

/* A socket for the role, with timeouts so that nothing waits forever. */
static int open_socket (const struct role *role)
{
    int s = nn_socket (AF_SP, role->protocol);

    if (s < 0) {
        fail ("nn_socket");
        return -1;
    }
    if (set_int_option (s, NN_SOL_SOCKET, NN_SNDTIMEO, TIMEOUT_MS, "nn_setsockopt (NN_SNDTIMEO)")
          || set_int_option (s, NN_SOL_SOCKET, NN_RCVTIMEO, TIMEOUT_MS,
                "nn_setsockopt (NN_RCVTIMEO)"))
        return -1;
    if (role->protocol == NN_SUB && nn_setsockopt (s, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) != 0) {
        fail ("nn_setsockopt (NN_SUB_SUBSCRIBE)");
        return -1;
    }
    return s;
}

int main (int argc, char **argv)
{
    const struct role *role;
    int bind, count, s, ep, rc;
    char *end;

    if (argc != 5 || !(role = find_role (argv [1]))
          || (strcmp (argv [3], "bind") && strcmp (argv [3], "connect")))
        return usage (argv [0]);
    /* Keep stdout and stderr in order when both go to one file. */
    setvbuf (stdout, NULL, _IOLBF, 0);
    snprintf (who, sizeof who, "peer %s", role->name);
    bind = strcmp (argv [3], "bind") == 0;
    count = (int) strtol (argv [4], &end, 10);
    if (*end || count < 1 || count > 100000) {
        fprintf (stderr, "%s: bad count '%s'\n", who, argv [4]);
        return 2;
    }
    print_library (who);

    s = open_socket (role);
    if (s < 0)
        return 1;
    ep = bind ? nn_bind (s, argv [2]) : nn_connect (s, argv [2]);
    if (ep < 0)
        return fail (bind ? "nn_bind" : "nn_connect");
    printf ("%s: %s %s, %d messages\n", who, bind ? "bound to" : "connected to",
        argv [2], count);

    rc = role->run (s, count);
    if (nn_close (s) != 0 && rc == 0)
        rc = fail ("nn_close");
    printf ("%s: %s\n", who, rc ? "FAILED" : "ok");
    return rc;
}
