/* sub_fanout <connect-to> <control-connect-to> <subscribers> <msg-size>

   The subscribing side of the fan-out scenario (see pub_fanout.c):
   <subscribers> SUB sockets, each in its own thread with its own
   connection, subscribed to everything. Once each has received a warm-up
   message it says "ready" on the control socket; each then counts the data
   messages until the end message (or 2 s without a message). Prints the
   messages delivered, summed over the subscribers, and that sum divided by
   the time from the first data message any subscriber received to the last
   one any subscriber received. */
#include "../common.h"

#include <pthread.h>

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/tcp.h>

struct sub {
    pthread_t thread;
    int s;
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
    fprintf (stderr, "sub_fanout: %s: %s\n", what, nn_strerror (nn_errno ()));
    exit (1);
}

static void *run (void *arg)
{
    struct sub *me = arg;
    char *buf = malloc (me->sz + 1);
    int warm = 0, tmo = 60000;
    if (!buf)
        fatal ("malloc");
    nn_setsockopt (me->s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
    for (;;) {
        int n = nn_recv (me->s, buf, me->sz + 1, 0);
        uint64_t now;
        if (n < 0) {
            if (nn_errno () == ETIMEDOUT && me->count > 0)
                break;  /* the end message was lost: 2 s of silence */
            fprintf (stderr, "sub_fanout: nn_recv: %s\n", nn_strerror (nn_errno ()));
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
                nn_setsockopt (me->s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
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
    int ctl, i, nsubs, one = 1, failed = 0;
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
    for (i = 0; i != nsubs; i++) {
        subs [i].sz = sz;
        subs [i].s = nn_socket (AF_SP, NN_SUB);
        if (subs [i].s < 0)
            fatal ("nn_socket (SUB)");
        if (nn_setsockopt (subs [i].s, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) != 0)
            fatal ("NN_SUB_SUBSCRIBE");
        if (nn_setsockopt (subs [i].s, NN_TCP, NN_TCP_NODELAY, &one, sizeof one) != 0)
            fatal ("NN_TCP_NODELAY");
        if (nn_connect (subs [i].s, argv [1]) < 0)
            fatal ("nn_connect (SUB)");
        if (pthread_create (&subs [i].thread, NULL, run, &subs [i]) != 0)
            fatal ("pthread_create");
    }
    ctl = nn_socket (AF_SP, NN_PAIR);
    if (ctl < 0 || nn_connect (ctl, argv [2]) < 0)
        fatal ("control socket");

    pthread_mutex_lock (&lock);
    while (ready < nsubs)
        pthread_cond_wait (&cond, &lock);
    pthread_mutex_unlock (&lock);
    if (nn_send (ctl, "ready", 5, 0) != 5)
        fatal ("nn_send (ready)");

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
    if (nn_send (ctl, "done", 4, 0) != 4)
        fatal ("nn_send (done)");
    if (failed)
        return 1;
    us = last > first ? last - first : 1;
    printf ("subscribers: %d\n", nsubs);
    printf ("message size: %d [B]\n", (int) sz);
    printf ("messages delivered: %ld\n", total);
    printf ("throughput: %d [msg/s]\n", (int) ((double) total * 1e6 / (double) us));
    fflush (stdout);
    bench_sleep_us (100000);  /* lets "done" leave before the close */
    for (i = 0; i != nsubs; i++)
        nn_close (subs [i].s);
    nn_close (ctl);
    return 0;
}
