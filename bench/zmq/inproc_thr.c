/* inproc_thr <msg-size> <msg-count>, on ZeroMQ (see zperf.h): a thread
   sends over inproc, the main thread receives and prints the throughput. */
#include "zperf.h"
#include <pthread.h>

static size_t sz;
static int n;

static void *peer (void *arg)
{
    (void) arg;
    perf_thr_sender ("inproc://inproc_thr", 0, sz, n);
    return NULL;
}

int main (int argc, char *argv [])
{
    pthread_t thread;
    perf_usage (argc, 3, "inproc_thr <msg-size> <msg-count>");
    sz = (size_t) atoi (argv [1]);
    n = atoi (argv [2]);
    perf_context ();
    perf_check (pthread_create (&thread, NULL, peer, NULL) == 0, "pthread_create");
    perf_thr_receiver ("inproc://inproc_thr", 1, sz, n);
    pthread_join (thread, NULL);
    perf_term ();
    return 0;
}
