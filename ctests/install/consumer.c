/* A program built against an installed nnrs, as a user of libnanomsg
   builds one: it must compile, link and run. */
#include <stdio.h>
#include <string.h>
#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

int main (void)
{
    int value = 0;
    const char *first = nn_symbol (0, &value);
    int s = nn_socket (AF_SP, NN_REP);
    if (first == NULL || strcmp (first, "NN_NS_NAMESPACE") != 0 || s < 0)
        return 1;
    if (nn_close (s) != 0)
        return 1;
    printf ("consumer: nanomsg %d.%d.%d, first symbol %s\n",
        NN_VERSION_CURRENT, NN_VERSION_REVISION, NN_VERSION_AGE, first);
    return 0;
}
