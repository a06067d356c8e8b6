/* Addresses and their errors, and sending, receiving and polling with no
   peer: each call fails with the errno nanomsg gives. */
#include "testutil.h"
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <nanomsg/pair.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/survey.h>

static double now_ms (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void check_addresses (int s)
{
    char longaddr [200], url [64];
    int port = test_port_base ();
    int other, ep;

    /* Malformed. */
    CHECK_FAILS (nn_bind (s, "zmq://127.0.0.1:5555"), EPROTONOSUPPORT);
    CHECK_FAILS (nn_bind (s, "127.0.0.1:5555"), EINVAL);
    CHECK_FAILS (nn_connect (s, ""), EINVAL);
    CHECK_FAILS (nn_bind (s, NULL), EFAULT);
    CHECK_FAILS (nn_bind (s, "tcp://127.0.0.1"), EINVAL);
    CHECK_FAILS (nn_bind (s, "tcp://127.0.0.1:"), EINVAL);
    CHECK_FAILS (nn_bind (s, "tcp://127.0.0.1:65536"), EINVAL);
    CHECK_FAILS (nn_bind (s, "tcp://127.0.0.1:x1"), EINVAL);
    CHECK_FAILS (nn_connect (s, "tcp://bad host:5555"), EINVAL);
    CHECK_FAILS (nn_connect (s, "tcp://[::1]:5555"), EINVAL);   /* NN_IPV4ONLY */
    CHECK_FAILS (nn_bind (s, "tcp://nnrs-no-such-if0:5555"), ENODEV);
    CHECK_FAILS (nn_connect (s, "tcp://nnrs-no-such-if0;127.0.0.1:5555"), ENODEV);
    CHECK_FAILS (nn_bind (s, "ipc://"), EINVAL);

    /* Lengths: NN_SOCKADDR_MAX for every address, sun_path for ipc. */
    memset (longaddr, 'a', sizeof longaddr);
    memcpy (longaddr, "inproc://", 9);
    longaddr [128] = 0;
    CHECK_FAILS (nn_bind (s, longaddr), ENAMETOOLONG);
    longaddr [127] = 0;
    CHECK (nn_bind (s, longaddr) > 0);
    memcpy (longaddr, "ipc:///tmp/", 11);
    CHECK_FAILS (nn_bind (s, longaddr), ENAMETOOLONG);

    /* In use. */
    other = nn_socket (AF_SP, NN_PAIR);
    REQUIRE (other >= 0);
    sprintf (url, "tcp://127.0.0.1:%d", port);
    CHECK (nn_bind (s, url) > 0);
    CHECK_FAILS (nn_bind (other, url), EADDRINUSE);
    sprintf (url, "ipc:///tmp/nnrs-io-%d.ipc", (int) getpid ());
    CHECK (nn_bind (s, url) > 0);
    CHECK_FAILS (nn_bind (other, url), EADDRINUSE);
    CHECK (nn_bind (s, "inproc://io-in-use") > 0);
    CHECK_FAILS (nn_bind (other, "inproc://io-in-use"), EADDRINUSE);
    /* Interface names and "*" on bind, host names on connect. */
    sprintf (url, "tcp://lo:%d", port + 1);
    CHECK (nn_bind (other, url) > 0);
    sprintf (url, "tcp://*:%d", port + 2);
    CHECK (nn_bind (other, url) > 0);
    sprintf (url, "tcp://localhost:%d", port + 3);
    CHECK (nn_connect (other, url) > 0);
    sprintf (url, "tcp://127.0.0.1;127.0.0.1:%d", port + 4);
    CHECK (nn_connect (other, url) > 0);
    CHECK (nn_connect (other, "tcp://nnrs-no-such-host.invalid:5555") > 0);

    /* Endpoint ids count per socket; shutdown takes one away once. */
    ep = nn_connect (other, "inproc://io-later");
    CHECK (ep == 6);
    CHECK (nn_shutdown (other, ep) == 0);
    CHECK_FAILS (nn_shutdown (other, ep), EINVAL);
    CHECK_FAILS (nn_shutdown (other, -1), EINVAL);
    CHECK (nn_close (other) == 0);
}

int main (void)
{
    int s, pub, sub, req, rep, surveyor, value;
    char buf [16];
    void *chunk = NULL;
    double t0;
    struct nn_iovec iov;
    struct nn_msghdr hdr;
    struct nn_pollfd pfd [2];

    CHECK_OK (s, nn_socket (AF_SP, NN_PAIR));
    check_addresses (s);

    /* No peer: EAGAIN at once, ETIMEDOUT after the timeout. */
    CHECK_FAILS (nn_send (s, "abc", 3, NN_DONTWAIT), EAGAIN);
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, NN_DONTWAIT), EAGAIN);
    CHECK_FAILS (nn_recv (s, &chunk, NN_MSG, NN_DONTWAIT), EAGAIN);
    CHECK (chunk == NULL);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_SNDTIMEO, 50) == 0);
    CHECK (set_int (s, NN_SOL_SOCKET, NN_RCVTIMEO, 50) == 0);
    t0 = now_ms ();
    CHECK_FAILS (nn_send (s, "abc", 3, 0), ETIMEDOUT);
    CHECK (now_ms () - t0 >= 45);
    t0 = now_ms ();
    CHECK_FAILS (nn_recv (s, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK (now_ms () - t0 >= 45);

    /* Pointers are checked before anything is taken. */
    CHECK_FAILS (nn_send (s, NULL, 3, NN_DONTWAIT), EFAULT);
    CHECK_FAILS (nn_recv (s, NULL, 3, NN_DONTWAIT), EFAULT);
    CHECK_FAILS (nn_sendmsg (s, NULL, NN_DONTWAIT), EFAULT);
    CHECK_FAILS (nn_recvmsg (s, NULL, NN_DONTWAIT), EFAULT);
    memset (&hdr, 0, sizeof hdr);
    hdr.msg_iovlen = -1;
    CHECK_FAILS (nn_sendmsg (s, &hdr, NN_DONTWAIT), EINVAL);
    hdr.msg_iovlen = 1;
    CHECK_FAILS (nn_sendmsg (s, &hdr, NN_DONTWAIT), EFAULT);
    iov.iov_base = buf;
    iov.iov_len = 3;
    hdr.msg_iov = &iov;
    CHECK_FAILS (nn_sendmsg (s, &hdr, NN_DONTWAIT), EAGAIN);
    CHECK_FAILS (nn_recvmsg (s, &hdr, NN_DONTWAIT), EAGAIN);

    /* nn_poll: nothing ready, so it times out with 0. */
    pfd [0].fd = s;
    pfd [0].events = NN_POLLIN | NN_POLLOUT;
    pfd [0].revents = 77;
    t0 = now_ms ();
    CHECK (nn_poll (pfd, 1, 50) == 0);
    CHECK (now_ms () - t0 >= 45);
    CHECK (pfd [0].revents == 0);
    CHECK (nn_poll (NULL, 0, 0) == 0);
    CHECK_FAILS (nn_poll (NULL, 1, 0), EFAULT);
    CHECK_FAILS (nn_poll (pfd, -1, 0), EINVAL);
    pfd [1].fd = 400;
    pfd [1].events = NN_POLLIN;
    CHECK_FAILS (nn_poll (pfd, 2, 0), EBADF);

    /* What each protocol refuses outright. */
    CHECK_OK (pub, nn_socket (AF_SP, NN_PUB));
    CHECK_OK (sub, nn_socket (AF_SP, NN_SUB));
    CHECK_OK (req, nn_socket (AF_SP, NN_REQ));
    CHECK_OK (rep, nn_socket (AF_SP, NN_REP));
    CHECK_OK (surveyor, nn_socket (AF_SP, NN_SURVEYOR));
    CHECK_FAILS (nn_recv (pub, buf, sizeof buf, NN_DONTWAIT), ENOTSUP);
    CHECK_FAILS (nn_send (sub, "a", 1, NN_DONTWAIT), ENOTSUP);
    CHECK_FAILS (nn_recv (req, buf, sizeof buf, NN_DONTWAIT), EFSM);
    CHECK_FAILS (nn_send (rep, "a", 1, NN_DONTWAIT), EFSM);
    CHECK_FAILS (nn_recv (surveyor, buf, sizeof buf, NN_DONTWAIT), EFSM);
    CHECK_FAILS (nn_device (s, -1), EINVAL);     /* cooked socket */
    CHECK_FAILS (nn_device (s, 444), EBADF);
    CHECK (get_int (pub, NN_SOL_SOCKET, NN_SNDTIMEO, &value) == 0 && value == -1);

    CHECK (nn_close (pub) == 0 && nn_close (sub) == 0 && nn_close (req) == 0);
    CHECK (nn_close (rep) == 0 && nn_close (surveyor) == 0 && nn_close (s) == 0);
    return test_result ("io");
}
