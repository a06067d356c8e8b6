/* remote_lat <connect-to> <msg-size> <roundtrips>, on ZeroMQ (see zperf.h). */
#include "zperf.h"

int main (int argc, char *argv [])
{
    perf_usage (argc, 4, "remote_lat <connect-to> <msg-size> <roundtrips>");
    perf_lat_pinger (argv [1], 0, (size_t) atoi (argv [2]), atoi (argv [3]));
    perf_term ();
    return 0;
}
