/* nn_term wakes every blocked call with ETERM; afterwards calls on the old
   sockets fail with EBADF and nn_socket with ETERM. */
#include "testutil.h"
#include <pthread.h>
#include <unistd.h>
#include <nanomsg/pair.h>
#include <nanomsg/bus.h>

static int pair_s, bus_a, bus_b;

static void *blocked_recv (void *arg)
{
    char buf [8];
    (void) arg;
    return (void *) (long) (nn_recv (pair_s, buf, sizeof buf, 0) == -1 ? errno : 0);
}

static void *blocked_send (void *arg)
{
    (void) arg;
    return (void *) (long) (nn_send (pair_s, "abc", 3, 0) == -1 ? errno : 0);
}

static void *blocked_poll (void *arg)
{
    struct nn_pollfd pfd;
    (void) arg;
    pfd.fd = pair_s;
    pfd.events = NN_POLLIN;
    return (void *) (long) (nn_poll (&pfd, 1, -1) == -1 ? errno : 0);
}

static void *blocked_device (void *arg)
{
    (void) arg;
    return (void *) (long) (nn_device (bus_a, bus_b) == -1 ? errno : 0);
}

int main (void)
{
    void *(*bodies [4]) (void *) = { blocked_recv, blocked_send, blocked_poll, blocked_device };
    pthread_t threads [4];
    void *result;
    int i, value;

    CHECK_OK (pair_s, nn_socket (AF_SP, NN_PAIR));
    CHECK_OK (bus_a, nn_socket (AF_SP_RAW, NN_BUS));
    CHECK_OK (bus_b, nn_socket (AF_SP_RAW, NN_BUS));
    for (i = 0; i < 4; i++)
        REQUIRE (pthread_create (&threads [i], NULL, bodies [i], NULL) == 0);
    usleep (100000);
    nn_term ();
    for (i = 0; i < 4; i++) {
        REQUIRE (pthread_join (threads [i], &result) == 0);
        if ((long) result != ETERM)
            fprintf (stderr, "blocked call %d ended with %ld\n", i, (long) result);
        CHECK ((long) result == ETERM);
    }

    CHECK_FAILS (nn_send (pair_s, "x", 1, NN_DONTWAIT), EBADF);
    CHECK_FAILS (get_int (bus_a, NN_SOL_SOCKET, NN_LINGER, &value), EBADF);
    CHECK_FAILS (nn_socket (AF_SP, NN_PAIR), ETERM);
    nn_term ();   /* twice is harmless */
    return test_result ("term");
}
