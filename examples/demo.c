/* nnrs demo: opens a socket of every protocol, prints its option defaults,
   then the library's symbol table as nn_symbol_info reports it. */
#include <stdio.h>
#include <string.h>
#include <nanomsg/nn.h>
#include <nanomsg/pair.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/survey.h>
#include <nanomsg/bus.h>

static const struct { int protocol; const char *name; } protocols [] = {
    { NN_PAIR, "NN_PAIR" }, { NN_PUB, "NN_PUB" }, { NN_SUB, "NN_SUB" },
    { NN_REQ, "NN_REQ" }, { NN_REP, "NN_REP" }, { NN_PUSH, "NN_PUSH" },
    { NN_PULL, "NN_PULL" }, { NN_SURVEYOR, "NN_SURVEYOR" },
    { NN_RESPONDENT, "NN_RESPONDENT" }, { NN_BUS, "NN_BUS" }
};

static const struct { int option; const char *name; } options [] = {
    { NN_LINGER, "LINGER" }, { NN_SNDBUF, "SNDBUF" }, { NN_RCVBUF, "RCVBUF" },
    { NN_SNDTIMEO, "SNDTIMEO" }, { NN_RCVTIMEO, "RCVTIMEO" },
    { NN_RECONNECT_IVL, "RECONNECT_IVL" }, { NN_RECONNECT_IVL_MAX, "RECONNECT_IVL_MAX" },
    { NN_SNDPRIO, "SNDPRIO" }, { NN_RCVPRIO, "RCVPRIO" }, { NN_IPV4ONLY, "IPV4ONLY" },
    { NN_RCVMAXSIZE, "RCVMAXSIZE" }, { NN_MAXTTL, "MAXTTL" }
};

int main (void)
{
    size_t i, j;
    int n;
    struct nn_symbol_properties sym;

    for (i = 0; i < sizeof protocols / sizeof protocols [0]; i++) {
        char name [64];
        size_t len = sizeof name - 1;
        int s = nn_socket (AF_SP, protocols [i].protocol);
        if (s < 0) {
            fprintf (stderr, "nn_socket (%s): %s\n", protocols [i].name, nn_strerror (nn_errno ()));
            return 1;
        }
        nn_getsockopt (s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, &len);
        name [len] = 0;
        printf ("socket %d (%s, name \"%s\"):", s, protocols [i].name, name);
        for (j = 0; j < sizeof options / sizeof options [0]; j++) {
            int value;
            size_t vlen = sizeof value;
            if (nn_getsockopt (s, NN_SOL_SOCKET, options [j].option, &value, &vlen) == 0)
                printf (" %s=%d", options [j].name, value);
        }
        printf ("\n");
        nn_close (s);
    }

    printf ("\nsymbol table:\n");
    for (n = 0; nn_symbol_info (n, &sym, (int) sizeof sym); n++)
        printf ("  %3d  %-34s %10d  ns=%-2d type=%d unit=%d\n",
            n, sym.name, sym.value, sym.ns, sym.type, sym.unit);
    return 0;
}
