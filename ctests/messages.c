/* Message chunks and control-message macros. */
#include "testutil.h"
#include <stdint.h>
#include <nanomsg/pair.h>

int main (void)
{
    char *p, *q;
    int s;
    void *chunk;
    struct nn_msghdr hdr;
    struct nn_cmsghdr *c;
    size_t space;
    unsigned char control [64];
    long local [8];

    /* Allocation, aligned like malloc, writable, resizable, freed once. */
    p = nn_allocmsg (100, 0);
    REQUIRE (p != NULL);
    CHECK (((uintptr_t) p) % 16 == 0);
    memset (p, 'a', 100);
    q = nn_reallocmsg (p, 10000);
    REQUIRE (q != NULL);
    CHECK (q [0] == 'a' && q [99] == 'a');
    memset (q, 'b', 10000);
    q = nn_reallocmsg (q, 3);
    REQUIRE (q != NULL);
    CHECK (q [0] == 'b' && q [2] == 'b');
    CHECK (nn_freemsg (q) == 0);
    p = nn_allocmsg (0, 0);
    CHECK (p != NULL);
    CHECK (nn_freemsg (p) == 0);

    /* Bad requests. */
    errno = 0;
    CHECK (nn_allocmsg (10, 1) == NULL && errno == EINVAL);
    errno = 0;
    CHECK (nn_allocmsg ((size_t) -16, 0) == NULL && errno == ENOMEM);
    errno = 0;
    CHECK (nn_allocmsg ((size_t) 1 << 62, 0) == NULL && errno == ENOMEM);

    /* Pointers that are not live chunks: an errno, never a crash. */
    CHECK_FAILS (nn_freemsg (NULL), EFAULT);
    memset (local, 0, sizeof local);
    CHECK_FAILS (nn_freemsg (&local [4]), EFAULT);
    CHECK_FAILS (nn_freemsg ((char *) &local [4] + 1), EFAULT);
    p = nn_allocmsg (32, 0);
    REQUIRE (p != NULL);
    CHECK_FAILS (nn_freemsg (p + 16), EFAULT);
    CHECK (nn_freemsg (p) == 0);
    CHECK_FAILS (nn_freemsg (p), EFAULT);          /* twice */
    errno = 0;
    CHECK (nn_reallocmsg (&local [4], 10) == NULL && errno == EFAULT);
    p = nn_allocmsg (8, 0);
    REQUIRE (p != NULL);
    errno = 0;
    CHECK (nn_reallocmsg (p, (size_t) -16) == NULL && errno == ENOMEM);
    CHECK (nn_freemsg (p) == 0);                   /* still ours after that */

    /* A chunk given to a send that fails stays with the caller. */
    CHECK_OK (s, nn_socket (AF_SP, NN_PAIR));
    chunk = nn_allocmsg (5, 0);
    REQUIRE (chunk != NULL);
    memcpy (chunk, "hello", 5);
    CHECK_FAILS (nn_send (s, &chunk, NN_MSG, NN_DONTWAIT), EAGAIN);
    CHECK (memcmp (chunk, "hello", 5) == 0);
    CHECK (nn_freemsg (chunk) == 0);
    chunk = NULL;
    CHECK_FAILS (nn_send (s, &chunk, NN_MSG, NN_DONTWAIT), EFAULT);
    CHECK_FAILS (nn_send (s, NULL, NN_MSG, NN_DONTWAIT), EFAULT);
    CHECK (nn_close (s) == 0);

    /* Control-message macros. */
    CHECK (NN_CMSG_SPACE (4) == 24);
    CHECK (NN_CMSG_LEN (4) == 20);
    CHECK (NN_CMSG_SPACE (0) == 16 && NN_CMSG_LEN (0) == 16);
    memset (&hdr, 0, sizeof hdr);
    memset (control, 0, sizeof control);
    hdr.msg_control = control;
    hdr.msg_controllen = sizeof control;
    c = NN_CMSG_FIRSTHDR (&hdr);
    CHECK ((unsigned char *) c == control);
    c->cmsg_len = NN_CMSG_LEN (4);
    c->cmsg_level = PROTO_SP;
    c->cmsg_type = SP_HDR;
    memcpy (NN_CMSG_DATA (c), "\x80\0\0\1", 4);
    CHECK (NN_CMSG_DATA (c) == control + 16);
    c = NN_CMSG_NXTHDR (&hdr, c);
    CHECK ((unsigned char *) c == control + 24);
    c->cmsg_len = NN_CMSG_LEN (20);
    c = NN_CMSG_NXTHDR (&hdr, c);      /* 24 + 40 = 64: no room left */
    CHECK (c == NULL);
    hdr.msg_controllen = 8;            /* too small for one header */
    CHECK (NN_CMSG_FIRSTHDR (&hdr) == NULL);
    hdr.msg_control = NULL;
    hdr.msg_controllen = 0;
    CHECK (NN_CMSG_FIRSTHDR (&hdr) == NULL);
    CHECK (nn_cmsg_nxthdr_ (NULL, NULL) == NULL);

    /* The control buffer may itself be a chunk (NN_MSG). */
    space = NN_CMSG_SPACE (4) + NN_CMSG_SPACE (8);
    chunk = nn_allocmsg (space, 0);
    REQUIRE (chunk != NULL);
    hdr.msg_control = &chunk;
    hdr.msg_controllen = NN_MSG;
    c = NN_CMSG_FIRSTHDR (&hdr);
    CHECK ((void *) c == chunk);
    c->cmsg_len = NN_CMSG_LEN (4);
    c = NN_CMSG_NXTHDR (&hdr, c);
    CHECK ((char *) c == (char *) chunk + NN_CMSG_SPACE (4));
    c->cmsg_len = NN_CMSG_LEN (8);
    CHECK (NN_CMSG_NXTHDR (&hdr, c) == NULL);
    CHECK (nn_freemsg (chunk) == 0);
    return test_result ("messages");
}
