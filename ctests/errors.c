/* errno and nn_errno after failures; nn_strerror for every code. */
#include "testutil.h"
#include <nanomsg/pair.h>

int main (void)
{
    static const int codes [] = {
        ENOTSUP, EPROTONOSUPPORT, ENOBUFS, ENETDOWN, EADDRINUSE, EADDRNOTAVAIL,
        ECONNREFUSED, EINPROGRESS, ENOTSOCK, EAFNOSUPPORT, EPROTO, EAGAIN, EBADF,
        EINVAL, EMFILE, EFAULT, EACCES, ENETRESET, ENETUNREACH, EHOSTUNREACH,
        ENOTCONN, EMSGSIZE, ETIMEDOUT, ECONNABORTED, ECONNRESET, ENOPROTOOPT,
        EISCONN, ESOCKTNOSUPPORT, ETERM, EFSM, EINTR, ENAMETOOLONG, ENODEV, ENOMEM
    };
    size_t i;
    int j;
    const char *unknown;

    /* errno is what C callers read; nn_errno returns the same. */
    errno = 0;
    CHECK (nn_socket (99, NN_PAIR) == -1);
    CHECK (errno == EAFNOSUPPORT && nn_errno () == EAFNOSUPPORT);
    CHECK (nn_close (12345) == -1);
    CHECK (errno == EBADF && nn_errno () == EBADF);

    unknown = nn_strerror (-12345);
    REQUIRE (unknown != NULL);
    for (i = 0; i < sizeof codes / sizeof codes [0]; i++) {
        const char *m = nn_strerror (codes [i]);
        REQUIRE (m != NULL);
        if (strcmp (m, unknown) == 0)
            fprintf (stderr, "code %d has no message\n", codes [i]);
        CHECK (strcmp (m, unknown) != 0 && strlen (m) > 5);
    }
    /* The NN_HAUSNUMERO numbering nn.h uses where <errno.h> lacks a code. */
    for (j = 1; j <= 28; j++) {
        const char *m = nn_strerror (NN_HAUSNUMERO + j);
        REQUIRE (m != NULL);
        CHECK (strcmp (m, unknown) != 0);
    }
    CHECK (strcmp (nn_strerror (NN_HAUSNUMERO + 13), nn_strerror (EBADF)) == 0);
    CHECK (strcmp (nn_strerror (ETERM), nn_strerror (EFSM)) != 0);
    CHECK (nn_strerror (NN_HAUSNUMERO + 99) != NULL);
    CHECK (nn_strerror (0x7fffffff) != NULL);
    return test_result ("errors");
}
