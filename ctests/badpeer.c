/* Hostile and broken peers on tcp and ipc: each one's connection is
   dropped, the process goes on, and a well-behaved peer is served after. */
#include "testutil.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <nanomsg/pair.h>

static char ipc_path [64];
static int tcp_port;

/* A raw connection to the nnrs socket under test. */
static int raw_connect (int ipc)
{
    struct timeval tv = { 3, 0 };
    int fd;
    if (ipc) {
        struct sockaddr_un un;
        memset (&un, 0, sizeof un);
        un.sun_family = AF_UNIX;
        strcpy (un.sun_path, ipc_path);
        fd = socket (AF_UNIX, SOCK_STREAM, 0);
        REQUIRE (fd >= 0 && connect (fd, (struct sockaddr *) &un, sizeof un) == 0);
    } else {
        struct sockaddr_in in;
        memset (&in, 0, sizeof in);
        in.sin_family = AF_INET;
        in.sin_port = htons ((unsigned short) tcp_port);
        in.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
        fd = socket (AF_INET, SOCK_STREAM, 0);
        REQUIRE (fd >= 0 && connect (fd, (struct sockaddr *) &in, sizeof in) == 0);
    }
    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Whether the peer closed the connection within the receive timeout,
   after sending at most its 8-byte handshake. */
static int closed_by_peer (int fd)
{
    char buf [64];
    ssize_t n;
    size_t total = 0;
    while ((n = recv (fd, buf, sizeof buf, 0)) > 0)
        total += (size_t) n;
    return n == 0 && total <= 8;
}

/* Sends what it can: the server may drop an attacker mid-way. */
static void send_all (int fd, const void *p, size_t n)
{
    (void) send (fd, p, n, MSG_NOSIGNAL);
}

static const unsigned char pair_hs [8] = { 0, 'S', 'P', 0, 0, 0x10, 0, 0 };

/* A length prefix (tcp) or type byte and length (ipc). */
static void send_header (int fd, int ipc, int type, unsigned long long len)
{
    unsigned char h [9];
    int i, n = 0;
    if (ipc)
        h [n++] = (unsigned char) type;
    for (i = 7; i >= 0; i--)
        h [n++] = (unsigned char) (len >> (i * 8));
    send_all (fd, h, (size_t) n);
}

static void attack (int ipc, const char *name, int server, int expect_close,
    void (*act) (int fd, int ipc))
{
    int fd = raw_connect (ipc);
    act (fd, ipc);
    if (expect_close) {
        int closed = closed_by_peer (fd);
        if (!closed)
            fprintf (stderr, "%s over %s: connection not dropped\n", name, ipc ? "ipc" : "tcp");
        CHECK (closed);
    }
    close (fd);
    (void) server;
}

static void wrong_handshake (int fd, int ipc)
{
    (void) ipc;
    send_all (fd, "GET / HTTP/1.1\r\n\r\n", 18);
}

static void wrong_protocol (int fd, int ipc)
{
    static const unsigned char req_hs [8] = { 0, 'S', 'P', 0, 0, 0x30, 0, 0 };
    (void) ipc;
    send_all (fd, req_hs, 8);
}

static void silence (int fd, int ipc)
{
    (void) fd;
    (void) ipc;
}

static void oversize (int fd, int ipc)
{
    send_all (fd, pair_hs, 8);
    send_header (fd, ipc, 1, 1ULL << 40);
}

static void bad_type (int fd, int ipc)
{
    send_all (fd, pair_hs, 8);
    send_header (fd, ipc, 2, 5);
    send_all (fd, "hello", 5);
}

static void truncated (int fd, int ipc)
{
    send_all (fd, pair_hs, 8);
    send_header (fd, ipc, 1, 100);
    send_all (fd, "only ten b", 10);
}

static void garbage (int fd, int ipc)
{
    unsigned char junk [4096];
    size_t i;
    (void) ipc;
    srand (7);
    for (i = 0; i < sizeof junk; i++)
        junk [i] = (unsigned char) rand ();
    send_all (fd, junk, sizeof junk);
}

/* After an attack, a proper peer connects and is served. */
static void served (int server, const char *url)
{
    char buf [16];
    int good = nn_socket (AF_SP, NN_PAIR);
    REQUIRE (good >= 0);
    CHECK (set_int (good, NN_SOL_SOCKET, NN_SNDTIMEO, 5000) == 0);
    CHECK (nn_connect (good, url) >= 0);
    CHECK (nn_send (good, "fine", 4, 0) == 4);
    CHECK (nn_recv (server, buf, sizeof buf, 0) == 4);
    CHECK (nn_send (server, "back", 4, 0) == 4);
    CHECK (set_int (good, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
    CHECK (nn_recv (good, buf, sizeof buf, 0) == 4);
    CHECK (nn_close (good) == 0);
}

int main (void)
{
    int ipc, server;
    char url [80];

    sprintf (ipc_path, "/tmp/nnrs-badpeer-%d.ipc", (int) getpid ());
    tcp_port = test_port_base ();
    for (ipc = 0; ipc <= 1; ipc++) {
        uint64_t dropped;
        if (ipc)
            sprintf (url, "ipc://%s", ipc_path);
        else
            sprintf (url, "tcp://127.0.0.1:%d", tcp_port);
        server = nn_socket (AF_SP, NN_PAIR);
        REQUIRE (server >= 0);
        CHECK (set_int (server, NN_SOL_SOCKET, NN_RCVTIMEO, 5000) == 0);
        CHECK (set_int (server, NN_SOL_SOCKET, NN_SNDTIMEO, 5000) == 0);
        REQUIRE (nn_bind (server, url) >= 0);

        attack (ipc, "wrong handshake", server, 1, wrong_handshake);
        attack (ipc, "wrong protocol", server, 1, wrong_protocol);
        attack (ipc, "silence (handshake timeout)", server, 1, silence);
        attack (ipc, "random bytes", server, 1, garbage);
        attack (ipc, "length over NN_RCVMAXSIZE", server, 1, oversize);
        if (ipc)
            attack (ipc, "ipc type byte 2", server, 1, bad_type);
        served (server, url);
        attack (ipc, "truncated frame then EOF", server, 0, truncated);
        served (server, url);

        dropped = nn_get_statistic (server, NN_STAT_DROPPED_CONNECTIONS);
        if (dropped != (uint64_t) (ipc ? 6 : 5))
            fprintf (stderr, "%s: %d dropped connections counted\n", url, (int) dropped);
        CHECK (dropped == (uint64_t) (ipc ? 6 : 5));
        CHECK (nn_close (server) == 0);
    }
    return test_result ("badpeer");
}
