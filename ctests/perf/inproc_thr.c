/* inproc_thr <msg-size> <msg-count>: a thread sends over inproc, the main
   thread receives and prints the throughput. */
#include "perf.h"
#include <pthread.h>

static size_t sz;
static int count;

static void *sender (void *arg)
{
    int s = perf_socket ("inproc://inproc_thr", 0);
    char *buf = malloc (sz + 1);
    char done;
    (void) arg;
    perf_check (buf != NULL, "malloc");
    memset (buf, 111, sz);
    perf_check (nn_send (s, buf, 0, 0) == 0, "nn_send (start)");
    perf_send_all (s, buf, sz, count);
    perf_check (nn_recv (s, &done, 1, 0) == 1, "nn_recv (done)");
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

    perf_usage (argc, 3, "inproc_thr <msg-size> <msg-count>");
    sz = (size_t) atoi (argv [1]);
    count = atoi (argv [2]);
    s = perf_socket ("inproc://inproc_thr", 1);
    buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    perf_check (pthread_create (&thread, NULL, sender, NULL) == 0, "pthread_create");
    perf_check (nn_recv (s, buf, sz, 0) == 0, "nn_recv (start)");
    start = perf_now_us ();
    perf_recv_all (s, buf, sz, count);
    perf_print_thr (sz, count, perf_now_us () - start);
    perf_check (nn_send (s, "", 1, 0) == 1, "nn_send (done)");
    perf_settle ();
    pthread_join (thread, NULL);
    free (buf);
    nn_close (s);
    return 0;
}
