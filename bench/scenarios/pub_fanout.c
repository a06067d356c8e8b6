/* pub_fanout <bind-to> <control-bind-to> <msg-size> <msg-count>

   The publishing side of the fan-out scenario (sub_fanout is the other).
   Binds a PUB socket and a PAIR control socket. Until the subscribers
   report (on the control socket) that each of them has received one, it
   publishes a warm-up message ('W') every millisecond. Then it publishes
   <msg-count> data messages ('D') as fast as nn_send returns (PUB drops a
   message for a subscriber whose queue is full), then an end message ('E')
   every millisecond until the subscribers report they are done. Prints the
   number published, its peak RSS and CPU time. */
#include "../common.h"

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/tcp.h>

static void check (int ok, const char *what)
{
    if (!ok) {
        fprintf (stderr, "pub_fanout: %s: %s\n", what, nn_strerror (nn_errno ()));
        exit (1);
    }
}

/* Publishes `kind` messages every millisecond until `want` arrives on the
   control socket (60 s at most). */
static void publish_until (int pub, int ctl, char *buf, size_t sz, char kind, const char *want)
{
    char in [16];
    uint64_t deadline = bench_now_us () + 60 * 1000000ull;
    for (;;) {
        int n;
        buf [0] = kind;
        (void) nn_send (pub, buf, sz, NN_DONTWAIT);
        n = nn_recv (ctl, in, sizeof in - 1, NN_DONTWAIT);
        if (n >= 0) {
            in [n] = 0;
            if (strcmp (in, want) == 0)
                return;
        }
        else
            check (nn_errno () == EAGAIN, "nn_recv (control)");
        if (bench_now_us () > deadline) {
            fprintf (stderr, "pub_fanout: no \"%s\" from the subscribers within 60 s\n", want);
            exit (1);
        }
        bench_sleep_us (1000);
    }
}

int main (int argc, char *argv [])
{
    int pub, ctl, i, count, one = 1;
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

    pub = nn_socket (AF_SP, NN_PUB);
    check (pub >= 0, "nn_socket (PUB)");
    check (nn_setsockopt (pub, NN_TCP, NN_TCP_NODELAY, &one, sizeof one) == 0, "NN_TCP_NODELAY");
    check (nn_bind (pub, argv [1]) >= 0, "nn_bind (PUB)");
    ctl = nn_socket (AF_SP, NN_PAIR);
    check (ctl >= 0, "nn_socket (PAIR)");
    check (nn_bind (ctl, argv [2]) >= 0, "nn_bind (control)");

    publish_until (pub, ctl, buf, sz, 'W', "ready");
    buf [0] = 'D';
    for (i = 0; i != count; i++)
        check (nn_send (pub, buf, sz, 0) == (int) sz, "nn_send");
    publish_until (pub, ctl, buf, sz, 'E', "done");

    printf ("messages published: %d\n", count);
    bench_print_rusage ();
    fflush (stdout);
    nn_close (pub);
    nn_close (ctl);
    free (buf);
    return 0;
}
