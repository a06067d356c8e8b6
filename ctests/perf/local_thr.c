/* local_thr <bind-to> <msg-size> <msg-count>: receives an empty start
   message then msg-count messages and prints the throughput; a one-byte
   reply tells remote_thr that everything arrived. */
#include "perf.h"

int main (int argc, char *argv [])
{
    size_t sz;
    int count, s;
    char *buf;
    uint64_t start;

    perf_usage (argc, 4, "local_thr <bind-to> <msg-size> <msg-count>");
    sz = (size_t) atoi (argv [2]);
    count = atoi (argv [3]);
    s = perf_socket (argv [1], 1);
    buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    perf_check (nn_recv (s, buf, sz, 0) == 0, "nn_recv (start)");
    start = perf_now_us ();
    perf_recv_all (s, buf, sz, count);
    perf_print_thr (sz, count, perf_now_us () - start);
    perf_check (nn_send (s, "", 1, 0) == 1, "nn_send (done)");
    perf_settle ();
    free (buf);
    nn_close (s);
    return 0;
}
