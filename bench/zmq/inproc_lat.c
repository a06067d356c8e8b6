/* inproc_lat <msg-size> <roundtrips>, on ZeroMQ (see zperf.h): ping-pong
   between two threads over inproc; prints the one-way latency. */
#include "zperf.h"
#include <pthread.h>

static size_t sz;
static int n;

static void *peer (void *arg)
{
    (void) arg;
    perf_lat_echoer ("inproc://inproc_lat", 0, sz, n);
    return NULL;
}

int main (int argc, char *argv [])
{
    pthread_t thread;
    perf_usage (argc, 3, "inproc_lat <msg-size> <roundtrips>");
    sz = (size_t) atoi (argv [1]);
    n = atoi (argv [2]);
    perf_context ();
    perf_check (pthread_create (&thread, NULL, peer, NULL) == 0, "pthread_create");
    perf_lat_pinger ("inproc://inproc_lat", 1, sz, n);
    pthread_join (thread, NULL);
    perf_term ();
    return 0;
}
