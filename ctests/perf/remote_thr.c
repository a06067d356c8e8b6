/* remote_thr <connect-to> <msg-size> <msg-count>: sends an empty start
   message then msg-count messages, and waits for local_thr's reply. */
#include "perf.h"

int main (int argc, char *argv [])
{
    perf_usage (argc, 4, "remote_thr <connect-to> <msg-size> <msg-count>");
    perf_thr_sender (argv [1], 0, (size_t) atoi (argv [2]), atoi (argv [3]));
    return 0;
}
