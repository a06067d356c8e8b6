/* The socket table: every protocol in both domains, the id rules of
   libnanomsg, its limits and errors, and many threads at once. */
#include "testutil.h"
#include <pthread.h>
#include <unistd.h>
#include <nanomsg/pair.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/survey.h>
#include <nanomsg/bus.h>

static const int protocols [] = {
    NN_PAIR, NN_PUB, NN_SUB, NN_REQ, NN_REP, NN_PUSH, NN_PULL,
    NN_SURVEYOR, NN_RESPONDENT, NN_BUS
};
#define NPROTOCOLS ((int) (sizeof protocols / sizeof protocols [0]))

static void *churn (void *arg)
{
    int i, s, failures = 0;
    (void) arg;
    for (i = 0; i < 2000; i++) {
        s = nn_socket (AF_SP, protocols [i % NPROTOCOLS]);
        if (s < 0 || s >= 512 || nn_close (s) != 0)
            failures++;
    }
    return (void *) (long) failures;
}

static void *device (void *arg)
{
    int *pair = arg;
    int rc = nn_device (pair [0], pair [1]);
    return (void *) (long) (rc == -1 ? errno : 0);
}

static void *blocked_recv (void *arg)
{
    char buf [8];
    int rc = nn_recv (*(int*) arg, buf, sizeof buf, 0);
    return (void *) (long) (rc == -1 ? errno : 0);
}

int main (void)
{
    int i, s, value;
    int ids [512];
    pthread_t threads [8];
    void *result;

    /* Every protocol, cooked and raw; domain and protocol read back. */
    for (i = 0; i < NPROTOCOLS; i++) {
        int d;
        for (d = AF_SP; d <= AF_SP_RAW; d++) {
            CHECK_OK (s, nn_socket (d, protocols [i]));
            CHECK (get_int (s, NN_SOL_SOCKET, NN_DOMAIN, &value) == 0 && value == d);
            CHECK (get_int (s, NN_SOL_SOCKET, NN_PROTOCOL, &value) == 0 && value == protocols [i]);
            CHECK (nn_close (s) == 0);
        }
    }

    /* Fresh ids count from 0; the last one freed is the first reused. */
    for (i = 0; i < 4; i++)
        CHECK_OK (ids [i], nn_socket (AF_SP, NN_PAIR));
    CHECK (ids [0] == 0 && ids [1] == 1 && ids [2] == 2 && ids [3] == 3);
    CHECK (nn_close (1) == 0);
    CHECK (nn_close (2) == 0);
    CHECK (nn_socket (AF_SP, NN_PAIR) == 2);
    CHECK (nn_socket (AF_SP, NN_PAIR) == 1);
    CHECK (nn_socket (AF_SP, NN_PAIR) == 4);
    /* Closed highest first, so the lowest is the last freed. */
    for (i = 4; i >= 0; i--)
        CHECK (nn_close (i) == 0);

    /* Bad arguments. */
    CHECK_FAILS (nn_socket (0, NN_PAIR), EAFNOSUPPORT);
    CHECK_FAILS (nn_socket (3, NN_PAIR), EAFNOSUPPORT);
    CHECK_FAILS (nn_socket (AF_SP, 0), EINVAL);
    CHECK_FAILS (nn_socket (AF_SP_RAW, 17), EINVAL);
    CHECK_FAILS (nn_socket (AF_SP, NN_BUS + 1), EINVAL);
    CHECK_FAILS (nn_close (-1), EBADF);
    CHECK_FAILS (nn_close (512), EBADF);
    CHECK_FAILS (nn_close (0), EBADF);
    CHECK_FAILS (get_int (7, NN_SOL_SOCKET, NN_LINGER, &value), EBADF);
    CHECK_FAILS (nn_bind (-5, "tcp://127.0.0.1:5555"), EBADF);
    CHECK_FAILS (nn_send (300, "x", 1, 0), EBADF);
    CHECK_FAILS (nn_recv (300, &value, sizeof value, 0), EBADF);

    /* 512 sockets, then EMFILE; a freed id makes room again. */
    for (i = 0; i < 512; i++) {
        ids [i] = nn_socket (AF_SP, NN_PUSH);
        REQUIRE (ids [i] == i);
    }
    CHECK_FAILS (nn_socket (AF_SP, NN_PUSH), EMFILE);
    CHECK (nn_close (300) == 0);
    CHECK (nn_socket (AF_SP, NN_PULL) == 300);
    for (i = 511; i >= 0; i--)
        CHECK (nn_close (i) == 0);
    CHECK (nn_socket (AF_SP, NN_PAIR) == 0);
    CHECK (nn_close (0) == 0);

    /* Eight threads creating and closing at once. */
    for (i = 0; i < 8; i++)
        REQUIRE (pthread_create (&threads [i], NULL, churn, NULL) == 0);
    for (i = 0; i < 8; i++) {
        REQUIRE (pthread_join (threads [i], &result) == 0);
        CHECK (result == NULL);
    }

    /* nn_close from another thread wakes a blocked nn_recv with EBADF. */
    CHECK_OK (s, nn_socket (AF_SP, NN_PAIR));
    REQUIRE (s >= 0 && s < 512);
    REQUIRE (pthread_create (&threads [0], NULL, blocked_recv, &s) == 0);
    usleep (50000);
    CHECK (nn_close (s) == 0);
    REQUIRE (pthread_join (threads [0], &result) == 0);
    CHECK ((long) result == EBADF);
    CHECK_FAILS (nn_close (s), EBADF);

    /* nn_close of one of its sockets stops nn_device with EBADF. */
    {
        int pair [2];
        CHECK_OK (pair [0], nn_socket (AF_SP_RAW, NN_PAIR));
        CHECK_OK (pair [1], nn_socket (AF_SP_RAW, NN_PAIR));
        REQUIRE (pthread_create (&threads [0], NULL, device, pair) == 0);
        usleep (50000);
        CHECK (nn_close (pair [1]) == 0);
        REQUIRE (pthread_join (threads [0], &result) == 0);
        CHECK ((long) result == EBADF);
        CHECK (nn_close (pair [0]) == 0);
    }
    return test_result ("sockets");
}
