/* tcp specifics: NN_TCP_NODELAY reaches the connection's fd, keepalive is
   on, and IPv6 works once NN_IPV4ONLY is 0. */
#include "testutil.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nanomsg/pair.h>
#include <nanomsg/tcp.h>

/* The value of a socket option on this process's tcp connection whose
   peer port is `port` (the connecting side), or -1 if there is none. */
static int option_on_connection (int port, int level, int option)
{
    int fd;
    for (fd = 3; fd < 1024; fd++) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        int value = 0;
        socklen_t vlen = sizeof value;
        if (getpeername (fd, (struct sockaddr *) &peer, &len) != 0 || peer.ss_family != AF_INET)
            continue;
        if (ntohs (((struct sockaddr_in *) &peer)->sin_port) != port)
            continue;
        if (getsockopt (fd, level, option, &value, &vlen) == 0)
            return value != 0;
    }
    return -1;
}

static void nodelay (int port, int on)
{
    char url [64], buf [8];
    int a = nn_socket (AF_SP, NN_PAIR), b = nn_socket (AF_SP, NN_PAIR);
    REQUIRE (a >= 0 && b >= 0);
    sprintf (url, "tcp://127.0.0.1:%d", port);
    CHECK (set_int (b, NN_TCP, NN_TCP_NODELAY, on) == 0);
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
    CHECK (nn_bind (a, url) >= 0);
    CHECK (nn_connect (b, url) >= 0);
    CHECK (nn_send (b, "x", 1, 0) == 1);
    CHECK (nn_recv (a, buf, sizeof buf, 0) == 1);
    CHECK (option_on_connection (port, IPPROTO_TCP, TCP_NODELAY) == on);
    CHECK (option_on_connection (port, SOL_SOCKET, SO_KEEPALIVE) == 1);
    CHECK (nn_close (a) == 0 && nn_close (b) == 0);
}

static void ipv6 (int port)
{
    char url [64], buf [8];
    int a = nn_socket (AF_SP, NN_PAIR), b = nn_socket (AF_SP, NN_PAIR);
    REQUIRE (a >= 0 && b >= 0);
    sprintf (url, "tcp://[::1]:%d", port);
    CHECK_FAILS (nn_bind (a, url), ENODEV);        /* NN_IPV4ONLY is 1 */
    CHECK (set_int (a, NN_SOL_SOCKET, NN_IPV4ONLY, 0) == 0);
    CHECK (set_int (b, NN_SOL_SOCKET, NN_IPV4ONLY, 0) == 0);
    CHECK (set_int (a, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
    if (nn_bind (a, url) < 0) {
        printf ("tcpopts: IPv6 part SKIPPED: no ::1 on this machine (%s)\n", nn_strerror (nn_errno ()));
    } else {
        CHECK (nn_connect (b, url) >= 0);
        CHECK (nn_send (b, "six", 3, 0) == 3);
        CHECK (nn_recv (a, buf, sizeof buf, 0) == 3 && memcmp (buf, "six", 3) == 0);
    }
    CHECK (nn_close (a) == 0 && nn_close (b) == 0);
}

int main (void)
{
    int port = test_port_base ();
    nodelay (port, 1);
    nodelay (port + 1, 0);
    ipv6 (port + 2);
    return test_result ("tcpopts");
}
