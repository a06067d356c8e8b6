/* sub_fanout <connect-to> <control-connect-to> <subscribers> <msg-size>,
   on ZeroMQ: the twin of bench/scenarios/sub_fanout.c (one ZMQ_SUB socket
   per thread, one context with its default single I/O thread). */
#include "../common.h"

#include <errno.h>
#include <pthread.h>
#include <zmq.h>

struct sub {
    pthread_t thread;
    void *s;
    size_t sz;
    long count;
    uint64_t first, last;
    int error;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready;

static void fatal (const char *what)
{
    fprintf (stderr, "sub_fanout: %s: %s\n", what, zmq_strerror (zmq_errno ()));
    exit (1);
}

static void *run (void *arg)
{
    struct sub *me = arg;
    char *buf = malloc (me->sz + 1);
    int warm = 0, tmo = 60000;
    if (!buf)
        fatal ("malloc");
    zmq_setsockopt (me->s, ZMQ_RCVTIMEO, &tmo, sizeof tmo);
    for (;;) {
        int n = zmq_recv (me->s, buf, me->sz + 1, 0);
        uint64_t now;
        if (n < 0) {
            if (zmq_errno () == EAGAIN && me->count > 0)
                break;
            fprintf (stderr, "sub_fanout: zmq_recv: %s\n", zmq_strerror (zmq_errno ()));
            me->error = 1;
            break;
        }
        now = bench_now_us ();
        if (n < 1)
            continue;
        if (buf [0] == 'W' && !warm) {
            warm = 1;
            pthread_mutex_lock (&lock);
            ready++;
            pthread_cond_broadcast (&cond);
            pthread_mutex_unlock (&lock);
        }
        else if (buf [0] == 'D') {
            if (me->count++ == 0) {
                me->first = now;
                tmo = 2000;
                zmq_setsockopt (me->s, ZMQ_RCVTIMEO, &tmo, sizeof tmo);
            }
            me->last = now;
        }
        else if (buf [0] == 'E')
            break;
    }
    free (buf);
    return NULL;
}

int main (int argc, char *argv [])
{
    void *ctx, *ctl;
    int i, nsubs, failed = 0, zero = 0;
    size_t sz;
    struct sub *subs;
    long total = 0;
    uint64_t first = 0, last = 0, us;
    if (argc != 5) {
        printf ("usage: sub_fanout <connect-to> <control-connect-to> <subscribers> <msg-size>\n");
        return 1;
    }
    bench_raise_nofile ();
    nsubs = atoi (argv [3]);
    sz = (size_t) atoi (argv [4]);
    if (sz < 1)
        sz = 1;
    subs = calloc ((size_t) nsubs, sizeof *subs);
    if (!subs)
        fatal ("calloc");
    ctx = zmq_ctx_new ();
    if (!ctx)
        fatal ("zmq_ctx_new");
    zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, nsubs + 16);
    for (i = 0; i != nsubs; i++) {
        subs [i].sz = sz;
        subs [i].s = zmq_socket (ctx, ZMQ_SUB);
        if (!subs [i].s)
            fatal ("zmq_socket (SUB)");
        if (zmq_setsockopt (subs [i].s, ZMQ_SUBSCRIBE, "", 0) != 0)
            fatal ("ZMQ_SUBSCRIBE");
        if (zmq_connect (subs [i].s, argv [1]) != 0)
            fatal ("zmq_connect (SUB)");
        if (pthread_create (&subs [i].thread, NULL, run, &subs [i]) != 0)
            fatal ("pthread_create");
    }
    ctl = zmq_socket (ctx, ZMQ_PAIR);
    if (!ctl || zmq_connect (ctl, argv [2]) != 0)
        fatal ("control socket");

    pthread_mutex_lock (&lock);
    while (ready < nsubs)
        pthread_cond_wait (&cond, &lock);
    pthread_mutex_unlock (&lock);
    if (zmq_send (ctl, "ready", 5, 0) != 5)
        fatal ("zmq_send (ready)");

    for (i = 0; i != nsubs; i++) {
        pthread_join (subs [i].thread, NULL);
        failed |= subs [i].error;
        if (subs [i].count == 0)
            continue;
        total += subs [i].count;
        if (first == 0 || subs [i].first < first)
            first = subs [i].first;
        if (subs [i].last > last)
            last = subs [i].last;
    }
    if (zmq_send (ctl, "done", 4, 0) != 4)
        fatal ("zmq_send (done)");
    if (failed)
        return 1;
    us = last > first ? last - first : 1;
    printf ("subscribers: %d\n", nsubs);
    printf ("message size: %d [B]\n", (int) sz);
    printf ("messages delivered: %ld\n", total);
    printf ("throughput: %d [msg/s]\n", (int) ((double) total * 1e6 / (double) us));
    fflush (stdout);
    for (i = 0; i != nsubs; i++) {
        zmq_setsockopt (subs [i].s, ZMQ_LINGER, &zero, sizeof zero);
        zmq_close (subs [i].s);
    }
    zmq_close (ctl);  /* linger: "done" leaves before the context ends */
    zmq_ctx_term (ctx);
    return 0;
}
