/* remote_thr <connect-to> <msg-size> <msg-count> over a plain socket (see
   raw.h): an empty start frame, <msg-count> frames each written with one
   write(), then waits for local_thr's one-byte frame. */
#include "raw.h"

int main (int argc, char *argv [])
{
    int fd, i, count;
    size_t sz;
    char *frame, *start, buf [8];
    if (argc != 4) {
        printf ("usage: remote_thr <connect-to> <msg-size> <msg-count>\n");
        return 1;
    }
    signal (SIGPIPE, SIG_IGN);
    sz = (size_t) atoi (argv [2]);
    count = atoi (argv [3]);
    frame = raw_frame (sz);
    start = raw_frame (0);
    fd = raw_connect (argv [1]);
    raw_write_all (fd, start, 8);
    for (i = 0; i != count; i++)
        raw_write_all (fd, frame, 8 + sz);
    if (raw_recv (fd, buf, sizeof buf) != 1) {
        fprintf (stderr, "expected a one-byte done frame\n");
        return 1;
    }
    close (fd);
    return 0;
}
