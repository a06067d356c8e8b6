/* remote_lat <connect-to> <msg-size> <roundtrips>: sends each message and
   waits for its echo; prints the one-way latency (half a round trip). */
#include "perf.h"

int main (int argc, char *argv [])
{
    size_t sz;
    int rts, s;
    char *buf;
    uint64_t start;

    perf_usage (argc, 4, "remote_lat <connect-to> <msg-size> <roundtrips>");
    sz = (size_t) atoi (argv [2]);
    rts = atoi (argv [3]);
    s = perf_socket (argv [1], 0);
    buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    memset (buf, 111, sz);
    start = perf_now_us ();
    perf_bounce (s, buf, sz, rts, 1);
    perf_print_lat (sz, rts, perf_now_us () - start);
    perf_check (nn_send (s, buf, 0, 0) == 0, "nn_send (done)");
    perf_settle ();
    free (buf);
    nn_close (s);
    return 0;
}
