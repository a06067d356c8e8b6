/* local_lat <bind-to> <msg-size> <roundtrips>: echoes each message back. */
#include "perf.h"

int main (int argc, char *argv [])
{
    size_t sz;
    int rts, s;
    char *buf;

    perf_usage (argc, 4, "local_lat <bind-to> <msg-size> <roundtrips>");
    sz = (size_t) atoi (argv [2]);
    rts = atoi (argv [3]);
    s = perf_socket (argv [1], 1);
    buf = malloc (sz + 1);
    perf_check (buf != NULL, "malloc");
    perf_bounce (s, buf, sz, rts, 0);
    /* Let the last echo leave before the socket goes. */
    perf_check (nn_recv (s, buf, sz, 0) == 0, "nn_recv (done)");
    free (buf);
    nn_close (s);
    return 0;
}
