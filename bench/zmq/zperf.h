/* The ZeroMQ twins of ctests/perf: the same arguments, the same output
   lines, the same message pattern (an empty start message, the messages, a
   one-byte "done"; ping-pong then an empty stop message), on ZMQ_PAIR
   sockets over libzmq. ZeroMQ sets TCP_NODELAY on every tcp connection. */
#ifndef NNRS_ZPERF_H
#define NNRS_ZPERF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zmq.h>

static uint64_t perf_now_us (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000 + (uint64_t) t.tv_nsec / 1000;
}

static void perf_check (int ok, const char *what)
{
    if (!ok) {
        fprintf (stderr, "%s: %s\n", what, zmq_strerror (zmq_errno ()));
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

static void *perf_ctx;

static void *perf_context (void)
{
    if (!perf_ctx) {
        perf_ctx = zmq_ctx_new ();
        perf_check (perf_ctx != NULL, "zmq_ctx_new");
    }
    return perf_ctx;
}

/* A PAIR socket, bound or connected to `addr`. */
static void *perf_socket (const char *addr, int bind)
{
    void *s = zmq_socket (perf_context (), ZMQ_PAIR);
    perf_check (s != NULL, "zmq_socket");
    perf_check ((bind ? zmq_bind (s, addr) : zmq_connect (s, addr)) == 0,
        bind ? "zmq_bind" : "zmq_connect");
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

static char *perf_buffer (size_t sz)
{
    char *buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    memset (buf, 111, sz + 1);
    return buf;
}

/* zmq_close keeps unsent messages (ZMQ_LINGER is infinite by default) and
   zmq_ctx_term waits for them, so a last message always leaves. */
static void perf_close (void *s)
{
    zmq_close (s);
}

static void perf_term (void)
{
    if (perf_ctx)
        zmq_ctx_term (perf_ctx);
    perf_ctx = NULL;
}

static void perf_thr_receiver (const char *addr, int bind, size_t sz, int count)
{
    int i;
    void *s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    uint64_t start;
    perf_check (zmq_recv (s, buf, sz, 0) == 0, "zmq_recv (start)");
    start = perf_now_us ();
    for (i = 0; i != count; i++)
        perf_check (zmq_recv (s, buf, sz, 0) == (int) sz, "zmq_recv");
    perf_print_thr (sz, count, perf_now_us () - start);
    fflush (stdout);
    perf_check (zmq_send (s, "", 1, 0) == 1, "zmq_send (done)");
    free (buf);
    perf_close (s);
}

static void perf_thr_sender (const char *addr, int bind, size_t sz, int count)
{
    int i;
    void *s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    perf_check (zmq_send (s, buf, 0, 0) == 0, "zmq_send (start)");
    for (i = 0; i != count; i++)
        perf_check (zmq_send (s, buf, sz, 0) == (int) sz, "zmq_send");
    perf_check (zmq_recv (s, buf, 1, 0) == 1, "zmq_recv (done)");
    free (buf);
    perf_close (s);
}

static void perf_lat_pinger (const char *addr, int bind, size_t sz, int rts)
{
    int i;
    void *s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    uint64_t start = perf_now_us ();
    for (i = 0; i != rts; i++) {
        perf_check (zmq_send (s, buf, sz, 0) == (int) sz, "zmq_send");
        perf_check (zmq_recv (s, buf, sz, 0) == (int) sz, "zmq_recv");
    }
    perf_print_lat (sz, rts, perf_now_us () - start);
    fflush (stdout);
    perf_check (zmq_send (s, buf, 0, 0) == 0, "zmq_send (done)");
    free (buf);
    perf_close (s);
}

static void perf_lat_echoer (const char *addr, int bind, size_t sz, int rts)
{
    int i;
    void *s = perf_socket (addr, bind);
    char *buf = perf_buffer (sz);
    for (i = 0; i != rts; i++) {
        perf_check (zmq_recv (s, buf, sz, 0) == (int) sz, "zmq_recv");
        perf_check (zmq_send (s, buf, sz, 0) == (int) sz, "zmq_send");
    }
    perf_check (zmq_recv (s, buf, sz, 0) == 0, "zmq_recv (done)");
    free (buf);
    perf_close (s);
}

#endif
