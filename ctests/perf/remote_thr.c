/* remote_thr <connect-to> <msg-size> <msg-count>: sends an empty start
   message then msg-count messages, and waits for local_thr's reply. */
#include "perf.h"

int main (int argc, char *argv [])
{
    size_t sz;
    int count, s;
    char *buf;
    char done;

    perf_usage (argc, 4, "remote_thr <connect-to> <msg-size> <msg-count>");
    sz = (size_t) atoi (argv [2]);
    count = atoi (argv [3]);
    s = perf_socket (argv [1], 0);
    buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    memset (buf, 111, sz);
    perf_check (nn_send (s, buf, 0, 0) == 0, "nn_send (start)");
    perf_send_all (s, buf, sz, count);
    perf_check (nn_recv (s, &done, 1, 0) == 1, "nn_recv (done)");
    free (buf);
    nn_close (s);
    return 0;
}
