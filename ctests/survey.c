/* SURVEYOR/RESPONDENT over inproc, ipc and tcp: a survey reaches every
   respondent and their answers come back until NN_SURVEYOR_DEADLINE; the
   state machine (EFSM) on both sides; answers to an old survey are
   dropped. */
#include "testutil.h"
#include <unistd.h>
#include <nanomsg/survey.h>

static int recv_is (int s, const char *want)
{
    char buf [64];
    int n = nn_recv (s, buf, sizeof buf, 0);
    return n == (int) strlen (want) && memcmp (buf, want, n) == 0;
}

/* A SURVEYOR bound at `url` with a deadline of `deadline_ms` and `n`
   RESPONDENT sockets connected to it. */
static int surveyor (const char *url, int deadline_ms, int *resp, int n)
{
    int s = test_socket (NN_SURVEYOR, 5000), i;

    CHECK (set_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, deadline_ms) == 0);
    CHECK (nn_bind (s, url) >= 0);
    for (i = 0; i < n; i++) {
        resp [i] = test_socket (NN_RESPONDENT, 5000);
        CHECK (nn_connect (resp [i], url) >= 0);
    }
    wait_connections (s, n);
    return s;
}

/* Two respondents hear the survey and both answers arrive; once the
   deadline passes the survey is over: ETIMEDOUT, then EFSM. */
static void two_respondents (const char *url)
{
    int resp [2], s, i, deadline, got [2] = { 0, 0 };
    char buf [16];

    s = surveyor (url, 500, resp, 2);
    CHECK (get_int (s, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, &deadline) == 0 && deadline == 500);
    /* No survey yet: nothing to receive, and nothing to answer. */
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), EFSM);
    CHECK_FAILS (nn_send (resp [0], "x", 1, 0), EFSM);

    CHECK (nn_send (s, "who?", 4, 0) == 4);
    for (i = 0; i < 2; i++) {
        CHECK (recv_is (resp [i], "who?"));
        buf [0] = (char) ('0' + i);
        CHECK (nn_send (resp [i], buf, 1, 0) == 1);
        /* One answer per survey. */
        CHECK_FAILS (nn_send (resp [i], buf, 1, 0), EFSM);
    }
    for (i = 0; i < 2; i++) {
        CHECK (nn_recv (s, buf, sizeof buf, 0) == 1);
        if (buf [0] == '0' || buf [0] == '1')
            got [buf [0] - '0']++;
    }
    CHECK (got [0] == 1 && got [1] == 1);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), EFSM);
    CHECK (nn_close (s) == 0 && nn_close (resp [0]) == 0 && nn_close (resp [1]) == 0);
}

/* Nobody answers: the deadline (shorter than NN_RCVTIMEO) ends the wait
   with ETIMEDOUT, and then there is no survey left to receive for. */
static void deadline (const char *url)
{
    int resp, s;
    char buf [16];

    s = surveyor (url, 200, &resp, 1);
    CHECK (nn_send (s, "anyone?", 7, 0) == 7);
    CHECK (recv_is (resp, "anyone?"));
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), EFSM);
    /* An answer after the deadline finds no survey to join. */
    CHECK (nn_send (resp, "me", 2, 0) == 2);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), EFSM);
    /* A new survey works as the first did. */
    CHECK (nn_send (s, "again?", 6, 0) == 6);
    CHECK (recv_is (resp, "again?"));
    CHECK (nn_send (resp, "yes", 3, 0) == 3);
    CHECK (recv_is (s, "yes"));
    CHECK (nn_close (s) == 0 && nn_close (resp) == 0);
}

/* A new survey replaces the old: an answer to the old one is dropped. */
static void late_answer (const char *url)
{
    int resp, s;
    char buf [16];

    s = surveyor (url, 500, &resp, 1);
    CHECK (nn_send (s, "first", 5, 0) == 5);
    CHECK (recv_is (resp, "first"));
    CHECK (nn_send (s, "second", 6, 0) == 6);
    CHECK (nn_send (resp, "to-first", 8, 0) == 8);
    CHECK (recv_is (resp, "second"));
    CHECK (nn_send (resp, "to-second", 9, 0) == 9);
    CHECK (recv_is (s, "to-second"));
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK (nn_close (s) == 0 && nn_close (resp) == 0);
}

int main (void)
{
    char url [64];
    int port = test_port_base (), pid = (int) getpid (), i;
    void (*cases []) (const char *) = { two_respondents, deadline, late_answer };
    int ncases = (int) (sizeof cases / sizeof cases [0]);

    for (i = 0; i < ncases; i++) {
        sprintf (url, "inproc://survey-%d", i);
        cases [i] (url);
        sprintf (url, "ipc:///tmp/nnrs-survey-%d-%d.ipc", pid, i);
        cases [i] (url);
        /* A port per case, so no case meets the last one's leftovers. */
        sprintf (url, "tcp://127.0.0.1:%d", port + i);
        cases [i] (url);
    }
    return test_result ("survey");
}
