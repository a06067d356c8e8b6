/* Shared by the perf programs: a monotonic stopwatch, argument checks, and
   the socket setup every program does. The programs take the arguments of
   nanomsg's perf tools and print the same lines, so their output compares
   directly with libnanomsg's (run them on it through LD_LIBRARY_PATH). */
#ifndef NNRS_PERF_H
#define NNRS_PERF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>
#include <nanomsg/tcp.h>

static uint64_t perf_now_us (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000 + (uint64_t) t.tv_nsec / 1000;
}

static void perf_check (int ok, const char *what)
{
    if (!ok) {
        fprintf (stderr, "%s: %s\n", what, nn_strerror (nn_errno ()));
        exit (1);
    }
}

static void perf_usage (int argc, int want, const char *usage)
{
    if (argc != want) {
        printf ("usage: %s\n", usage);
        exit (1);
    }
}

/* A PAIR socket, bound or connected to `addr`, with Nagle off. */
static int perf_socket (const char *addr, int bind)
{
    int one = 1;
    int s = nn_socket (AF_SP, NN_PAIR);
    perf_check (s >= 0, "nn_socket");
    perf_check (nn_setsockopt (s, NN_TCP, NN_TCP_NODELAY, &one, sizeof one) == 0, "NN_TCP_NODELAY");
    perf_check ((bind ? nn_bind (s, addr) : nn_connect (s, addr)) >= 0, bind ? "nn_bind" : "nn_connect");
    return s;
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

static void perf_print_lat (size_t sz, int rts, uint64_t us)
{
    printf ("message size: %d [B]\n", (int) sz);
    printf ("roundtrip count: %d\n", rts);
    printf ("average latency: %.3f [us]\n", (double) us / (rts * 2));
}

/* Gives a last message time to leave before nn_close: libnanomsg drops
   what is still queued when a socket closes (nnrs honours NN_LINGER). */
static void perf_settle (void)
{
    struct timespec t = { 0, 100 * 1000 * 1000 };
    nanosleep (&t, NULL);
}

/* A message buffer of `sz` bytes (plus one, so 0 is fine), filled. */
static char *perf_buffer (size_t sz)
{
    char *buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    memset (buf, 111, sz + 1);
    return buf;
}

/* The receiving side of a throughput run: an empty start message, `count`
   messages, the result printed, a one-byte reply when all arrived. */
static void perf_thr_receiver (const char *addr, int bind, size_t sz, int count)
{
    int i, s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    uint64_t start;
    perf_check (nn_recv (s, buf, sz, 0) == 0, "nn_recv (start)");
    start = perf_now_us ();
    for (i = 0; i != count; i++)
        perf_check (nn_recv (s, buf, sz, 0) == (int) sz, "nn_recv");
    perf_print_thr (sz, count, perf_now_us () - start);
    perf_check (nn_send (s, "", 1, 0) == 1, "nn_send (done)");
    perf_settle ();
    free (buf);
    nn_close (s);
}

/* The sending side of a throughput run; waits for the receiver's reply. */
static void perf_thr_sender (const char *addr, int bind, size_t sz, int count)
{
    int i, s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    perf_check (nn_send (s, buf, 0, 0) == 0, "nn_send (start)");
    for (i = 0; i != count; i++)
        perf_check (nn_send (s, buf, sz, 0) == (int) sz, "nn_send");
    perf_check (nn_recv (s, buf, 1, 0) == 1, "nn_recv (done)");
    free (buf);
    nn_close (s);
}

/* The measuring side of a latency run: `rts` round trips, the one-way
   latency printed, then an empty message that lets the echoer stop. */
static void perf_lat_pinger (const char *addr, int bind, size_t sz, int rts)
{
    int i, s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    uint64_t start = perf_now_us ();
    for (i = 0; i != rts; i++) {
        perf_check (nn_send (s, buf, sz, 0) == (int) sz, "nn_send");
        perf_check (nn_recv (s, buf, sz, 0) == (int) sz, "nn_recv");
    }
    perf_print_lat (sz, rts, perf_now_us () - start);
    perf_check (nn_send (s, buf, 0, 0) == 0, "nn_send (done)");
    perf_settle ();
    free (buf);
    nn_close (s);
}

/* The echoing side of a latency run; stops at the pinger's empty message,
   so that its last echo leaves before its socket goes. */
static void perf_lat_echoer (const char *addr, int bind, size_t sz, int rts)
{
    int i, s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    for (i = 0; i != rts; i++) {
        perf_check (nn_recv (s, buf, sz, 0) == (int) sz, "nn_recv");
        perf_check (nn_send (s, buf, sz, 0) == (int) sz, "nn_send");
    }
    perf_check (nn_recv (s, buf, sz, 0) == 0, "nn_recv (done)");
    free (buf);
    nn_close (s);
}

#endif
