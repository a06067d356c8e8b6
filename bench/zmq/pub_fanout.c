/* pub_fanout <bind-to> <control-bind-to> <msg-size> <msg-count>, on
   ZeroMQ: the twin of bench/scenarios/pub_fanout.c with ZMQ_PUB and a
   ZMQ_PAIR control socket (ZMQ_PUB drops a message for a subscriber whose
   queue is at its high-water mark, as nanomsg's PUB does when full). */
#include "../common.h"

#include <errno.h>
#include <zmq.h>

static void check (int ok, const char *what)
{
    if (!ok) {
        fprintf (stderr, "pub_fanout: %s: %s\n", what, zmq_strerror (zmq_errno ()));
        exit (1);
    }
}

static void publish_until (void *pub, void *ctl, char *buf, size_t sz, char kind, const char *want)
{
    char in [16];
    uint64_t deadline = bench_now_us () + 60 * 1000000ull;
    for (;;) {
        int n;
        buf [0] = kind;
        (void) zmq_send (pub, buf, sz, ZMQ_DONTWAIT);
        n = zmq_recv (ctl, in, sizeof in - 1, ZMQ_DONTWAIT);
        if (n >= 0) {
            in [n < (int) sizeof in - 1 ? n : (int) sizeof in - 1] = 0;
            if (strcmp (in, want) == 0)
                return;
        }
        else
            check (zmq_errno () == EAGAIN, "zmq_recv (control)");
        if (bench_now_us () > deadline) {
            fprintf (stderr, "pub_fanout: no \"%s\" from the subscribers within 60 s\n", want);
            exit (1);
        }
        bench_sleep_us (1000);
    }
}

int main (int argc, char *argv [])
{
    void *ctx, *pub, *ctl;
    int i, count;
    size_t sz;
    char *buf;
    if (argc != 5) {
        printf ("usage: pub_fanout <bind-to> <control-bind-to> <msg-size> <msg-count>\n");
        return 1;
    }
    bench_raise_nofile ();
    sz = (size_t) atoi (argv [3]);
    count = atoi (argv [4]);
    if (sz < 1)
        sz = 1;
    buf = malloc (sz);
    check (buf != NULL, "malloc");
    memset (buf, 111, sz);

    ctx = zmq_ctx_new ();
    check (ctx != NULL, "zmq_ctx_new");
    pub = zmq_socket (ctx, ZMQ_PUB);
    check (pub != NULL, "zmq_socket (PUB)");
    check (zmq_bind (pub, argv [1]) == 0, "zmq_bind (PUB)");
    ctl = zmq_socket (ctx, ZMQ_PAIR);
    check (ctl != NULL, "zmq_socket (PAIR)");
    check (zmq_bind (ctl, argv [2]) == 0, "zmq_bind (control)");

    publish_until (pub, ctl, buf, sz, 'W', "ready");
    buf [0] = 'D';
    for (i = 0; i != count; i++)
        check (zmq_send (pub, buf, sz, 0) == (int) sz, "zmq_send");
    publish_until (pub, ctl, buf, sz, 'E', "done");

    printf ("messages published: %d\n", count);
    bench_print_rusage ();
    fflush (stdout);
    i = 0;
    zmq_setsockopt (pub, ZMQ_LINGER, &i, sizeof i);
    zmq_close (pub);
    zmq_close (ctl);
    /* No zmq_ctx_term: after a PUB with 100 connections closes, libzmq
       4.3's zmq_ctx_term here now and then waits for ever (2 runs in 20,
       the main thread in poll, its I/O threads idle in epoll_wait). The
       figures are out; the process ends with the context. */
    free (buf);
    return 0;
}
