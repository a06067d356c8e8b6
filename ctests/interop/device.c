/* A request/reply device for the interop test: nn_device between a raw REP
   socket bound at <front> and a raw REQ socket bound at <back>, so that REQ
   sockets connecting to <front> are served by REP sockets connecting to
   <back>, the library in between forwarding requests and routing replies.

     device <front-url> <back-url> <seconds>

   Prints "device: running" once both sockets are bound.  SIGTERM or SIGINT
   stops it (exit 0); so does <seconds> passing, which counts as a failure
   (exit 1), as does nn_device returning before either. */
/* sigwait, pthread_sigmask and alarm, even under a strict -std. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "library.h"

/* The signal that stopped the device, 0 while none came.  Written by the
   stopping thread before nn_term, read by main after nn_device returns. */
static int stop_signal;

static int fail (const char *what)
{
    int e = nn_errno ();
    fprintf (stderr, "device: %s failed: %s (errno %d)\n", what, nn_strerror (e), e);
    return 1;
}

/* nn_device blocks until nn_term, and nn_term is not safe to call from a
   signal handler, so a thread takes the (blocked) signals synchronously. */
static void *wait_for_stop (void *arg)
{
    sigset_t *signals = arg;
    int sig = SIGTERM;

    if (sigwait (signals, &sig) != 0)
        sig = SIGTERM;
    __atomic_store_n (&stop_signal, sig, __ATOMIC_SEQ_CST);
    nn_term ();
    return NULL;
}

/* A raw socket of the given protocol bound at url, or -1. */
static int bound_socket (int protocol, const char *url, const char *what)
{
    char call [128];
    int s = nn_socket (AF_SP_RAW, protocol);

    if (s < 0) {
        snprintf (call, sizeof call, "nn_socket (AF_SP_RAW, %s)", what);
        fail (call);
        return -1;
    }
    if (nn_bind (s, url) < 0) {
        snprintf (call, sizeof call, "nn_bind (%s, %s)", what, url);
        fail (call);
        return -1;
    }
    return s;
}

int main (int argc, char **argv)
{
    sigset_t signals;
    pthread_t stopper;
    int front, back, seconds, rc, sig;
    char *end;

    if (argc != 4) {
        fprintf (stderr, "usage: %s <front-url> <back-url> <seconds>\n", argv [0]);
        return 2;
    }
    seconds = (int) strtol (argv [3], &end, 10);
    if (*end || seconds < 1) {
        fprintf (stderr, "device: bad number of seconds '%s'\n", argv [3]);
        return 2;
    }
    setvbuf (stdout, NULL, _IOLBF, 0);

    /* Blocked before any thread starts, the library's included, so that
       only sigwait sees them. */
    sigemptyset (&signals);
    sigaddset (&signals, SIGTERM);
    sigaddset (&signals, SIGINT);
    sigaddset (&signals, SIGALRM);
    pthread_sigmask (SIG_BLOCK, &signals, NULL);
    if (pthread_create (&stopper, NULL, wait_for_stop, &signals) != 0) {
        fprintf (stderr, "device: pthread_create failed\n");
        return 1;
    }
    alarm ((unsigned) seconds);

    print_library ("device");
    front = bound_socket (NN_REP, argv [1], "NN_REP");
    back = bound_socket (NN_REQ, argv [2], "NN_REQ");
    if (front < 0 || back < 0)
        return 1;
    printf ("device: running between %s and %s\n", argv [1], argv [2]);

    /* After nn_term, nanomsg 1.1.5's nn_device fails with EBADF rather than
       the documented ETERM; either is a stop. */
    rc = nn_device (front, back);
    sig = __atomic_load_n (&stop_signal, __ATOMIC_SEQ_CST);
    if (rc != -1 || sig == 0 || (nn_errno () != ETERM && nn_errno () != EBADF)) {
        fail (sig ? "nn_device after nn_term" : "nn_device before any stop signal");
        return 1;
    }
    pthread_join (stopper, NULL);
    if (sig == SIGALRM) {
        fprintf (stderr, "device: still running after %d s, stopped\n", seconds);
        return 1;
    }
    printf ("device: stopped by %s\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    printf ("device: ok\n");
    return 0;
}
