/* local_thr <bind-to> <msg-size> <msg-count>, on ZeroMQ (see zperf.h). */
#include "zperf.h"

int main (int argc, char *argv [])
{
    perf_usage (argc, 4, "local_thr <bind-to> <msg-size> <msg-count>");
    perf_thr_receiver (argv [1], 1, (size_t) atoi (argv [2]), atoi (argv [3]));
    perf_term ();
    return 0;
}
