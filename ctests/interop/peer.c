/* One end of a PAIR conversation, run against another copy of itself that
   may be loaded with a different libnanomsg (nnrs or the reference one).

     peer <bind|connect> <url> <first|second> <count>

   Phase 1, lock-step: 'first' sends request i and waits for reply i,
   'second' receives request i, checks it and answers.  Sizes cycle through
   0 B, 1 B, 100 B, 64 KiB, just under 1 MiB and a few odd values.
   Phase 2, burst: 'first' sends <count> small messages back to back,
   'second' takes them all and then sends <count> small answers back to back.
   Finally 'first' sends "done" so that 'second' knows everything arrived.

   Every byte is derived from (direction, index, offset), so a lost,
   duplicated, reordered or corrupted message is reported with its index.
   Exits 0 on success, 1 on any mismatch or failed call, 2 on bad usage. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>

#define TIMEOUT_MS 10000
/* nanomsg's default NN_RCVMAXSIZE is 1048576 bytes; stay a little below. */
#define NEAR_MAX (1048576 - 100)

enum dir { REQUEST = 0, REPLY = 1, BURST_REQUEST = 2, BURST_REPLY = 3 };

static const char *role_name = "?";

static const size_t lockstep_sizes [] = {
    0, 1, 100, 65536, NEAR_MAX, 2, 4095, 65537, 250000, 7, NEAR_MAX - 1, 1000
};
#define N_LOCKSTEP_SIZES (sizeof (lockstep_sizes) / sizeof (lockstep_sizes [0]))

static size_t message_size (enum dir d, int i)
{
    switch (d) {
    case REQUEST:
        if ((size_t) i < N_LOCKSTEP_SIZES)
            return lockstep_sizes [i];
        return 16 + ((size_t) i * 7919) % 3000;
    case REPLY:
        /* Shifted by one so that each reply differs in size from its request. */
        return message_size (REQUEST, i + 1);
    case BURST_REQUEST:
        return 1 + (size_t) i % 97;
    case BURST_REPLY:
        return (size_t) i % 53;
    }
    return 0;
}

static uint8_t message_byte (enum dir d, int i, size_t off)
{
    uint32_t x = (uint32_t) d * 0x9e3779b1u + (uint32_t) i * 0x85ebca6bu
        + (uint32_t) off * 251u + (uint32_t) (off >> 8) * 13u;
    return (uint8_t) (x ^ (x >> 11));
}

static int fail (const char *what)
{
    int e = nn_errno ();
    fprintf (stderr, "peer %s: %s failed: %s (errno %d)\n", role_name, what,
        nn_strerror (e), e);
    return 1;
}

/* Sends message i of direction d.  Odd indices go through nn_allocmsg and
   NN_MSG, even ones through a plain buffer. */
static int send_message (int s, enum dir d, int i)
{
    size_t size = message_size (d, i);
    char what [64];
    int zero_copy = i % 2 == 1;
    uint8_t *buf;
    size_t off;
    int rc;

    snprintf (what, sizeof what, "nn_send (dir %d, #%d, %zu B)", (int) d, i, size);
    if (zero_copy) {
        buf = nn_allocmsg (size, 0);
        if (!buf)
            return fail ("nn_allocmsg");
    }
    else {
        buf = malloc (size ? size : 1);
        if (!buf) {
            fprintf (stderr, "peer %s: out of memory\n", role_name);
            return 1;
        }
    }
    for (off = 0; off != size; off++)
        buf [off] = message_byte (d, i, off);
    if (zero_copy) {
        rc = nn_send (s, &buf, NN_MSG, 0);
        if (rc < 0)
            nn_freemsg (buf);
    }
    else {
        rc = nn_send (s, buf, size, 0);
        free (buf);
    }
    if (rc < 0)
        return fail (what);
    if ((size_t) rc != size) {
        fprintf (stderr, "peer %s: %s returned %d\n", role_name, what, rc);
        return 1;
    }
    return 0;
}

/* Receives one message and checks that it is message i of direction d. */
static int recv_message (int s, enum dir d, int i)
{
    size_t want = message_size (d, i);
    char what [64];
    void *msg = NULL;
    const uint8_t *p;
    size_t off;
    int rc, result = 0;

    snprintf (what, sizeof what, "nn_recv (dir %d, #%d, %zu B)", (int) d, i, want);
    rc = nn_recv (s, &msg, NN_MSG, 0);
    if (rc < 0)
        return fail (what);
    p = msg;
    if ((size_t) rc != want) {
        fprintf (stderr, "peer %s: %s: got %d bytes\n", role_name, what, rc);
        result = 1;
    }
    else {
        for (off = 0; off != want; off++) {
            if (p [off] != message_byte (d, i, off)) {
                fprintf (stderr, "peer %s: %s: byte %zu is 0x%02x, want 0x%02x\n",
                    role_name, what, off, p [off], message_byte (d, i, off));
                result = 1;
                break;
            }
        }
    }
    if (msg && nn_freemsg (msg) != 0)
        result = fail ("nn_freemsg");
    return result;
}

/* The path of the libnanomsg this process has mapped, from /proc/self/maps. */
static void print_library (void)
{
    char line [4096];
    FILE *maps = fopen ("/proc/self/maps", "r");
    if (!maps) {
        printf ("peer %s: library unknown\n", role_name);
        return;
    }
    while (fgets (line, sizeof line, maps)) {
        char *path = strchr (line, '/');
        if (path && strstr (path, "libnanomsg")) {
            path [strcspn (path, "\n")] = 0;
            printf ("peer %s: library %s\n", role_name, path);
            fclose (maps);
            return;
        }
    }
    fclose (maps);
    printf ("peer %s: library not found in /proc/self/maps\n", role_name);
}

static int run_first (int s, int count)
{
    int i;
    size_t bytes = 0;

    for (i = 0; i != count; i++) {
        if (send_message (s, REQUEST, i) || recv_message (s, REPLY, i))
            return 1;
        bytes += message_size (REQUEST, i) + message_size (REPLY, i);
    }
    printf ("peer first: lock-step: %d requests sent, %d replies checked (%zu bytes)\n",
        count, count, bytes);
    for (i = 0; i != count; i++)
        if (send_message (s, BURST_REQUEST, i))
            return 1;
    for (i = 0; i != count; i++)
        if (recv_message (s, BURST_REPLY, i))
            return 1;
    printf ("peer first: burst: %d messages sent, %d answers checked\n", count, count);
    if (nn_send (s, "done", 4, 0) != 4)
        return fail ("nn_send (done)");
    /* No linger in nanomsg: give "done" time to leave before closing. */
    usleep (500 * 1000);
    return 0;
}

static int run_second (int s, int count)
{
    char buf [16];
    int i, rc;
    size_t bytes = 0;

    for (i = 0; i != count; i++) {
        if (recv_message (s, REQUEST, i) || send_message (s, REPLY, i))
            return 1;
        bytes += message_size (REQUEST, i) + message_size (REPLY, i);
    }
    printf ("peer second: lock-step: %d requests checked, %d replies sent (%zu bytes)\n",
        count, count, bytes);
    for (i = 0; i != count; i++)
        if (recv_message (s, BURST_REQUEST, i))
            return 1;
    for (i = 0; i != count; i++)
        if (send_message (s, BURST_REPLY, i))
            return 1;
    printf ("peer second: burst: %d messages checked, %d answers sent\n", count, count);
    rc = nn_recv (s, buf, sizeof buf, 0);
    if (rc < 0)
        return fail ("nn_recv (done)");
    if (rc != 4 || memcmp (buf, "done", 4) != 0) {
        fprintf (stderr, "peer second: expected \"done\", got %d bytes\n", rc);
        return 1;
    }
    return 0;
}

int main (int argc, char **argv)
{
    int bind, first, count, s, ep, rc, timeout = TIMEOUT_MS;
    char *end;

    if (argc != 5 || (strcmp (argv [1], "bind") && strcmp (argv [1], "connect"))
          || (strcmp (argv [3], "first") && strcmp (argv [3], "second"))) {
        fprintf (stderr, "usage: %s <bind|connect> <url> <first|second> <count>\n",
            argv [0]);
        return 2;
    }
    /* Keep stdout and stderr in order when both go to one file. */
    setvbuf (stdout, NULL, _IOLBF, 0);
    bind = strcmp (argv [1], "bind") == 0;
    first = strcmp (argv [3], "first") == 0;
    role_name = argv [3];
    count = (int) strtol (argv [4], &end, 10);
    if (*end || count < 1 || count > 100000) {
        fprintf (stderr, "peer: bad count '%s'\n", argv [4]);
        return 2;
    }
    print_library ();

    s = nn_socket (AF_SP, NN_PAIR);
    if (s < 0)
        return fail ("nn_socket");
    if (nn_setsockopt (s, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout, sizeof timeout) != 0)
        return fail ("nn_setsockopt (NN_SNDTIMEO)");
    if (nn_setsockopt (s, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout, sizeof timeout) != 0)
        return fail ("nn_setsockopt (NN_RCVTIMEO)");
    ep = bind ? nn_bind (s, argv [2]) : nn_connect (s, argv [2]);
    if (ep < 0)
        return fail (bind ? "nn_bind" : "nn_connect");
    printf ("peer %s: %s %s, %d messages each way per phase\n", role_name,
        bind ? "bound to" : "connected to", argv [2], count);
    fflush (stdout);

    rc = first ? run_first (s, count) : run_second (s, count);
    if (nn_close (s) != 0 && rc == 0)
        rc = fail ("nn_close");
    printf ("peer %s: %s\n", role_name, rc ? "FAILED" : "ok");
    return rc;
}
