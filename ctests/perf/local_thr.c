/* local_thr <bind-to> <msg-size> <msg-count>: receives an empty start
   message then msg-count messages and prints the throughput; a one-byte
   reply tells remote_thr that everything arrived. */
#include "perf.h"

int main (int argc, char *argv [])
{
    perf_usage (argc, 4, "local_thr <bind-to> <msg-size> <msg-count>");
    perf_thr_receiver (argv [1], 1, (size_t) atoi (argv [2]), atoi (argv [3]));
    return 0;
}
