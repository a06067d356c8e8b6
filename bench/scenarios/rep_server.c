/* rep_server <bind-to>

   One REP socket, bound, echoing every request, until a request that
   starts with "STOP" (which it answers too). Then prints the number of
   requests answered, its peak RSS and its CPU time (user + system, all
   threads). req_clients is the other side. */
#include "../common.h"

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/tcp.h>

static void check (int ok, const char *what)
{
    if (!ok) {
        fprintf (stderr, "rep_server: %s: %s\n", what, nn_strerror (nn_errno ()));
        exit (1);
    }
}

int main (int argc, char *argv [])
{
    int s, one = 1;
    long answered = 0;
    if (argc != 2) {
        printf ("usage: rep_server <bind-to>\n");
        return 1;
    }
    bench_raise_nofile ();
    s = nn_socket (AF_SP, NN_REP);
    check (s >= 0, "nn_socket (REP)");
    check (nn_setsockopt (s, NN_TCP, NN_TCP_NODELAY, &one, sizeof one) == 0, "NN_TCP_NODELAY");
    check (nn_bind (s, argv [1]) >= 0, "nn_bind");
    for (;;) {
        void *msg = NULL;
        int stop, n = nn_recv (s, &msg, NN_MSG, 0);
        check (n >= 0, "nn_recv");
        stop = n >= 4 && memcmp (msg, "STOP", 4) == 0;
        check (nn_send (s, &msg, NN_MSG, 0) == n, "nn_send");
        answered++;
        if (stop)
            break;
    }
    printf ("requests answered: %ld\n", answered);
    bench_print_rusage ();
    fflush (stdout);
    bench_sleep_us (100000);  /* lets the last reply leave */
    nn_close (s);
    return 0;
}
