/* inproc_lat <msg-size> <roundtrips>: ping-pong between two threads over
   inproc; prints the one-way latency. */
#include "perf.h"
#include <pthread.h>

static size_t sz;
static int rts;

static void *echoer (void *arg)
{
    int s = perf_socket ("inproc://inproc_lat", 0);
    char *buf = malloc (sz + 1);
    (void) arg;
    perf_check (buf != NULL, "malloc");
    perf_bounce (s, buf, sz, rts, 0);
    /* Let the last echo leave before the socket goes. */
    perf_check (nn_recv (s, buf, sz, 0) == 0, "nn_recv (done)");
    free (buf);
    nn_close (s);
    return NULL;
}

int main (int argc, char *argv [])
{
    int s;
    char *buf;
    pthread_t thread;
    uint64_t start;

    perf_usage (argc, 3, "inproc_lat <msg-size> <roundtrips>");
    sz = (size_t) atoi (argv [1]);
    rts = atoi (argv [2]);
    s = perf_socket ("inproc://inproc_lat", 1);
    buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    memset (buf, 111, sz);
    perf_check (pthread_create (&thread, NULL, echoer, NULL) == 0, "pthread_create");
    start = perf_now_us ();
    perf_bounce (s, buf, sz, rts, 1);
    perf_print_lat (sz, rts, perf_now_us () - start);
    perf_check (nn_send (s, buf, 0, 0) == 0, "nn_send (done)");
    perf_settle ();
    pthread_join (thread, NULL);
    free (buf);
    nn_close (s);
    return 0;
}
