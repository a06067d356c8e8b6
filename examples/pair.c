/* pair NODE URL: two nodes talk over one PAIR socket.

   Each node tries to bind URL and, if another node holds it already
   (EADDRINUSE), connects instead. Then one thread sends three messages
   while another receives the peer's three, and both print what they do.

     pair 0 tcp://localhost:54545 &  pair 1 tcp://localhost:54545
     pair 0 ipc:///tmp/pair.ipc &    pair 1 ipc:///tmp/pair.ipc        */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>

#define ROUNDS 3

static int sock;
static const char *node;

static void die (const char *what)
{
    fprintf (stderr, "%s: %s: %s\n", node, what, nn_strerror (nn_errno ()));
    exit (1);
}

static void *sender (void *arg)
{
    int i;
    char msg [64];
    (void) arg;
    for (i = 1; i <= ROUNDS; i++) {
        snprintf (msg, sizeof msg, "message %d from %s", i, node);
        printf ("%s: SENDING \"%s\"\n", node, msg);
        fflush (stdout);
        if (nn_send (sock, msg, strlen (msg), 0) < 0)
            die ("nn_send");
        usleep (200000);
    }
    return NULL;
}

static void *receiver (void *arg)
{
    int i, n;
    char *msg = NULL;
    (void) arg;
    for (i = 0; i < ROUNDS; i++) {
        n = nn_recv (sock, &msg, NN_MSG, 0);
        if (n < 0)
            die ("nn_recv");
        printf ("%s: RECEIVED \"%.*s\"\n", node, n, msg);
        fflush (stdout);
        nn_freemsg (msg);
    }
    return NULL;
}

int main (int argc, char **argv)
{
    pthread_t threads [2];
    int timeout = 10000, linger = 1000;

    if (argc != 3 || (strcmp (argv [1], "0") != 0 && strcmp (argv [1], "1") != 0)) {
        fprintf (stderr, "usage: %s NODE URL   (NODE: 0 or 1)\n", argv [0]);
        return 1;
    }
    node = strcmp (argv [1], "0") == 0 ? "NODE0" : "NODE1";
    sock = nn_socket (AF_SP, NN_PAIR);
    if (sock < 0)
        die ("nn_socket");
    nn_setsockopt (sock, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout, sizeof timeout);
    nn_setsockopt (sock, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout, sizeof timeout);
    nn_setsockopt (sock, NN_SOL_SOCKET, NN_LINGER, &linger, sizeof linger);
    if (nn_bind (sock, argv [2]) >= 0) {
        printf ("%s: bound to %s\n", node, argv [2]);
    } else if (nn_errno () == EADDRINUSE) {
        if (nn_connect (sock, argv [2]) < 0)
            die ("nn_connect");
        printf ("%s: %s is taken, connected to it\n", node, argv [2]);
    } else {
        die ("nn_bind");
    }
    fflush (stdout);
    pthread_create (&threads [0], NULL, receiver, NULL);
    pthread_create (&threads [1], NULL, sender, NULL);
    pthread_join (threads [1], NULL);
    pthread_join (threads [0], NULL);
    return nn_close (sock);
}
