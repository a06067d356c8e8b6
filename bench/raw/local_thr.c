/* local_thr <bind-to> <msg-size> <msg-count> over a plain socket (see
   raw.h): receives an empty start frame then <msg-count> frames, prints
   the throughput, answers with a one-byte frame. */
#include "raw.h"

int main (int argc, char *argv [])
{
    int fd, i, count;
    size_t sz;
    char *buf, *done;
    uint64_t start;
    if (argc != 4) {
        printf ("usage: local_thr <bind-to> <msg-size> <msg-count>\n");
        return 1;
    }
    signal (SIGPIPE, SIG_IGN);
    sz = (size_t) atoi (argv [2]);
    count = atoi (argv [3]);
    buf = malloc (sz + 1);
    if (!buf)
        raw_fail ("malloc");
    fd = raw_accept (argv [1]);
    if (raw_recv (fd, buf, sz) != 0) {
        fprintf (stderr, "expected an empty start frame\n");
        return 1;
    }
    start = bench_now_us ();
    for (i = 0; i != count; i++)
        if (raw_recv (fd, buf, sz) != sz) {
            fprintf (stderr, "wrong frame size\n");
            return 1;
        }
    perf_print_thr (sz, count, bench_now_us () - start);
    fflush (stdout);
    done = raw_frame (1);
    raw_write_all (fd, done, 9);
    close (fd);
    return 0;
}
