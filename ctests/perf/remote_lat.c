/* remote_lat <connect-to> <msg-size> <roundtrips>: sends each message and
   waits for its echo; prints the one-way latency (half a round trip). */
#include "perf.h"

int main (int argc, char *argv [])
{
    perf_usage (argc, 4, "remote_lat <connect-to> <msg-size> <roundtrips>");
    perf_lat_pinger (argv [1], 0, (size_t) atoi (argv [2]), atoi (argv [3]));
    return 0;
}
