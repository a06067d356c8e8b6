/* req_clients <connect-to> <sockets> <threads> <roundtrips-per-socket> <msg-size>
   req_clients <connect-to> stop

   <sockets> REQ sockets, each with its own connection to <connect-to>,
   shared out among <threads> threads. Each thread sends a request on every
   one of its sockets, then collects the replies, and does that
   <roundtrips-per-socket> times: all the sockets have a request in flight
   at once. A first such round, not timed, makes sure every connection is
   up. Each reply is checked against its request (socket, round); a missing
   one (30 s) or a wrong one fails the run.

   Prints the round trips done and the time span of the timed part as
   "start" and "end" readings of CLOCK_MONOTONIC (one clock for all
   processes of the machine, so the bench script can merge several client
   processes), and round trips per second for this process alone.

   The second form sends one "STOP" request, which ends rep_server. */
#include "../common.h"

#include <pthread.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/tcp.h>

struct worker {
    pthread_t thread;
    int *socks;
    int nsocks;
    int id;
};

static const char *addr;
static size_t sz;
static int rounds;
static pthread_barrier_t barrier;

static void fatal (const char *what)
{
    fprintf (stderr, "req_clients: %s: %s\n", what, nn_strerror (nn_errno ()));
    exit (1);
}

static int req_socket (void)
{
    int one = 1, tmo = 30000;
    int s = nn_socket (AF_SP, NN_REQ);
    if (s < 0)
        fatal ("nn_socket (REQ)");
    if (nn_setsockopt (s, NN_TCP, NN_TCP_NODELAY, &one, sizeof one) != 0)
        fatal ("NN_TCP_NODELAY");
    if (nn_setsockopt (s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo) != 0)
        fatal ("NN_RCVTIMEO");
    if (nn_connect (s, addr) < 0)
        fatal ("nn_connect");
    return s;
}

/* One request on each socket, then each reply. */
static void round_trip (struct worker *w, int round, char *out, char *in)
{
    int i;
    for (i = 0; i != w->nsocks; i++) {
        snprintf (out, sz, "%d.%d.%d", w->id, i, round);
        if (nn_send (w->socks [i], out, sz, 0) != (int) sz)
            fatal ("nn_send");
    }
    for (i = 0; i != w->nsocks; i++) {
        int n = nn_recv (w->socks [i], in, sz, 0);
        if (n < 0) {
            fprintf (stderr, "req_clients: request %d.%d.%d not answered: %s\n",
                w->id, i, round, nn_strerror (nn_errno ()));
            exit (1);
        }
        snprintf (out, sz, "%d.%d.%d", w->id, i, round);
        if (n != (int) sz || memcmp (in, out, strlen (out) + 1) != 0) {
            fprintf (stderr, "req_clients: wrong reply to request %s\n", out);
            exit (1);
        }
    }
}

static void *run (void *arg)
{
    struct worker *w = arg;
    char *out = calloc (1, sz), *in = calloc (1, sz);
    int r;
    if (!out || !in)
        fatal ("calloc");
    round_trip (w, -1, out, in);  /* connections up */
    pthread_barrier_wait (&barrier);
    for (r = 0; r != rounds; r++)
        round_trip (w, r, out, in);
    free (out);
    free (in);
    return NULL;
}

int main (int argc, char *argv [])
{
    int nsocks, nthreads, i, k;
    struct worker *ws;
    uint64_t start, end;
    long rts;
    if (argc == 3 && strcmp (argv [2], "stop") == 0) {
        char buf [8];
        int s;
        addr = argv [1];
        s = req_socket ();
        if (nn_send (s, "STOP", 4, 0) != 4 || nn_recv (s, buf, sizeof buf, 0) != 4)
            fatal ("STOP");
        nn_close (s);
        return 0;
    }
    if (argc != 6) {
        printf ("usage: req_clients <connect-to> <sockets> <threads> <roundtrips-per-socket> <msg-size>\n"
                "       req_clients <connect-to> stop\n");
        return 1;
    }
    bench_raise_nofile ();
    addr = argv [1];
    nsocks = atoi (argv [2]);
    nthreads = atoi (argv [3]);
    rounds = atoi (argv [4]);
    sz = (size_t) atoi (argv [5]);
    if (sz < 16)
        sz = 16;  /* room for the request's tag */
    if (nthreads < 1 || nthreads > nsocks)
        nthreads = nsocks;
    ws = calloc ((size_t) nthreads, sizeof *ws);
    if (!ws)
        fatal ("calloc");
    pthread_barrier_init (&barrier, NULL, (unsigned) nthreads + 1);
    for (i = 0, k = 0; i != nthreads; i++) {
        int j, n = nsocks / nthreads + (i < nsocks % nthreads);
        ws [i].id = i;
        ws [i].nsocks = n;
        ws [i].socks = calloc ((size_t) n, sizeof (int));
        if (!ws [i].socks)
            fatal ("calloc");
        for (j = 0; j != n; j++, k++)
            ws [i].socks [j] = req_socket ();
    }
    for (i = 0; i != nthreads; i++)
        if (pthread_create (&ws [i].thread, NULL, run, &ws [i]) != 0)
            fatal ("pthread_create");
    pthread_barrier_wait (&barrier);
    start = bench_now_us ();
    for (i = 0; i != nthreads; i++)
        pthread_join (ws [i].thread, NULL);
    end = bench_now_us ();
    rts = (long) nsocks * rounds;
    printf ("sockets: %d\n", nsocks);
    printf ("roundtrips: %ld\n", rts);
    printf ("start: %llu [us]\n", (unsigned long long) start);
    printf ("end: %llu [us]\n", (unsigned long long) end);
    printf ("throughput: %d [rt/s]\n",
        (int) ((double) rts * 1e6 / (double) (end > start ? end - start : 1)));
    fflush (stdout);
    for (i = 0; i != nthreads; i++) {
        int j;
        for (j = 0; j != ws [i].nsocks; j++)
            nn_close (ws [i].socks [j]);
    }
    return 0;
}
