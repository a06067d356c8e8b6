/* The raw-socket baseline of the throughput programs: the same arguments
   (tcp://HOST:PORT or ipc://PATH, message size, count) and output lines as
   ctests/perf/local_thr and remote_thr, with no library at all. A message
   is an 8-byte big-endian length then the body (SP's framing); the sender
   writes each message, header and body together, with one write() (TCP_NODELAY on);
   the receiver reads each header and each body with recv(MSG_WAITALL).
   It shows what the kernel alone costs for the same traffic. */
#ifndef NNRS_RAW_H
#define NNRS_RAW_H

#include "../common.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void raw_fail (const char *what)
{
    fprintf (stderr, "%s: %s\n", what, strerror (errno));
    exit (1);
}

/* Parses the address; returns the socket family and fills `ss`. */
static int raw_addr (const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
    memset (ss, 0, sizeof *ss);
    if (strncmp (addr, "ipc://", 6) == 0) {
        struct sockaddr_un *un = (struct sockaddr_un *) ss;
        un->sun_family = AF_UNIX;
        if (strlen (addr + 6) >= sizeof un->sun_path) {
            errno = ENAMETOOLONG;
            raw_fail (addr);
        }
        strcpy (un->sun_path, addr + 6);
        *len = sizeof *un;
        return AF_UNIX;
    }
    if (strncmp (addr, "tcp://", 6) == 0) {
        char host [256];
        const char *colon = strrchr (addr + 6, ':');
        struct addrinfo hints, *res;
        size_t hl;
        if (!colon || (hl = (size_t) (colon - (addr + 6))) >= sizeof host) {
            fprintf (stderr, "bad address: %s\n", addr);
            exit (1);
        }
        memcpy (host, addr + 6, hl);
        host [hl] = 0;
        memset (&hints, 0, sizeof hints);
        hints.ai_family = AF_INET;
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo (strcmp (host, "*") == 0 ? "0.0.0.0" : host, colon + 1, &hints, &res) != 0) {
            fprintf (stderr, "bad address: %s\n", addr);
            exit (1);
        }
        memcpy (ss, res->ai_addr, res->ai_addrlen);
        *len = res->ai_addrlen;
        freeaddrinfo (res);
        return AF_INET;
    }
    fprintf (stderr, "bad address (tcp:// or ipc:// only): %s\n", addr);
    exit (1);
}

static void raw_nodelay (int fd, int family)
{
    int one = 1;
    if (family == AF_INET)
        setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Binds and listens, accepts one connection, returns it. */
static int raw_accept (const char *addr)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int one = 1, l, fd, family = raw_addr (addr, &ss, &len);
    l = socket (family, SOCK_STREAM, 0);
    if (l < 0)
        raw_fail ("socket");
    setsockopt (l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_UNIX)
        unlink (((struct sockaddr_un *) &ss)->sun_path);
    if (bind (l, (struct sockaddr *) &ss, len) != 0)
        raw_fail ("bind");
    if (listen (l, 16) != 0)
        raw_fail ("listen");
    fd = accept (l, NULL, NULL);
    if (fd < 0)
        raw_fail ("accept");
    close (l);
    if (family == AF_UNIX)
        unlink (((struct sockaddr_un *) &ss)->sun_path);
    raw_nodelay (fd, family);
    return fd;
}

/* Connects, retrying for 10 s while nothing listens yet. */
static int raw_connect (const char *addr)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int family = raw_addr (addr, &ss, &len);
    uint64_t deadline = bench_now_us () + 10 * 1000000ull;
    for (;;) {
        int fd = socket (family, SOCK_STREAM, 0);
        if (fd < 0)
            raw_fail ("socket");
        if (connect (fd, (struct sockaddr *) &ss, len) == 0) {
            raw_nodelay (fd, family);
            return fd;
        }
        if ((errno != ECONNREFUSED && errno != ENOENT) || bench_now_us () > deadline)
            raw_fail ("connect");
        close (fd);
        bench_sleep_us (10000);
    }
}

static void raw_write_all (int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write (fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            raw_fail ("write");
        }
        buf += w;
        n -= (size_t) w;
    }
}

static void raw_read_all (int fd, char *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = recv (fd, buf, n, MSG_WAITALL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            raw_fail ("recv");
        }
        if (r == 0) {
            fprintf (stderr, "recv: connection closed\n");
            exit (1);
        }
        buf += r;
        n -= (size_t) r;
    }
}

/* A frame: the header and `sz` bytes of body in one buffer, sent with one
   write. */
static char *raw_frame (size_t sz)
{
    char *f = malloc (8 + sz);
    uint64_t v = sz;
    int i;
    if (!f)
        raw_fail ("malloc");
    for (i = 7; i >= 0; i--, v >>= 8)
        f [i] = (char) (v & 0xff);
    memset (f + 8, 111, sz);
    return f;
}

/* Reads one frame into `buf` (room for `cap` bytes); returns its size. */
static size_t raw_recv (int fd, char *buf, size_t cap)
{
    unsigned char h [8];
    uint64_t v = 0;
    int i;
    raw_read_all (fd, (char *) h, 8);
    for (i = 0; i != 8; i++)
        v = (v << 8) | h [i];
    if (v > cap) {
        fprintf (stderr, "frame of %llu bytes, expected at most %zu\n", (unsigned long long) v, cap);
        exit (1);
    }
    if (v > 0)
        raw_read_all (fd, buf, (size_t) v);
    return (size_t) v;
}

static void perf_print_thr (size_t sz, int count, uint64_t us)
{
    uint64_t thr;
    if (us == 0)
        us = 1;
    thr = (uint64_t) ((double) count * 1000000.0 / (double) us);
    printf ("message size: %d [B]\n", (int) sz);
    printf ("message count: %d\n", count);
    printf ("throughput: %d [msg/s]\n", (int) thr);
    printf ("throughput: %.3f [Mb/s]\n", (double) thr * (double) sz * 8 / 1000000);
}

#endif
