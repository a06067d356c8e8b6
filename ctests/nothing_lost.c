/* Nothing accepted is lost: a sender queues about 20 MB (messages of mixed
   sizes, some over 256 KiB) to a connected peer that is not reading, then
   calls nn_close with NN_LINGER 10000 from its own thread. The receiver
   starts reading only once that nn_close has lingered 300 ms, and must get
   every message nn_send accepted, whole and in order, with nn_close
   returning within the linger (on tcp and ipc, only once the late reader
   has taken most of it off the sender's queue). Over tcp, ipc and inproc, PAIR to PAIR and PUSH to
   PULL, with either side bound. Prints sent / received / lost per case. */
#include "testutil.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/time.h>
#include <nanomsg/pair.h>
#include <nanomsg/pipeline.h>

#define TOTAL_BYTES (20 * 1000 * 1000)
#define LINGER_MS 10000
#define BIG_SIZE (300 * 1024)
#define MAX_SIZE BIG_SIZE

static double now_ms (void)
{
    struct timeval tv;
    gettimeofday (&tv, NULL);
    return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

/* Message i: its size, and its bytes (the number, then a pattern). */
static size_t msg_size (int i)
{
    if (i % 50 == 49)
        return BIG_SIZE;
    return 8 + (size_t) ((i * 7919) % 20000);
}

static void msg_fill (char *buf, int i, size_t size)
{
    size_t k;
    memcpy (buf, &i, sizeof i);
    for (k = sizeof i; k < size; k++)
        buf [k] = (char) (i + k * 31);
}

struct sender {
    int s;
    int sent;                 /* messages nn_send accepted */
    long long bytes;
    int send_failures;
    int close_rc;
    double close_started, close_ended;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int closing;              /* nn_close is about to be called */
};

static void *sender_main (void *arg)
{
    struct sender *sd = arg;
    char *buf = malloc (MAX_SIZE);
    int i;
    REQUIRE (buf != NULL);
    for (i = 0; sd->bytes < TOTAL_BYTES; i++) {
        size_t size = msg_size (i);
        msg_fill (buf, i, size);
        if (nn_send (sd->s, buf, size, 0) != (int) size) {
            fprintf (stderr, "message %d of %zu bytes not accepted: %s\n", i, size,
                nn_strerror (nn_errno ()));
            sd->send_failures++;
            break;
        }
        sd->sent++;
        sd->bytes += (long long) size;
    }
    free (buf);
    pthread_mutex_lock (&sd->mu);
    sd->closing = 1;
    sd->close_started = now_ms ();
    pthread_cond_signal (&sd->cv);
    pthread_mutex_unlock (&sd->mu);
    sd->close_rc = nn_close (sd->s);
    sd->close_ended = now_ms ();
    return NULL;
}

static const char *name_of (int protocol)
{
    return protocol == NN_PAIR ? "PAIR" : protocol == NN_PUSH ? "PUSH" : "PULL";
}

static void one_case (const char *url, int sender_protocol, int receiver_protocol, int sender_binds)
{
    struct sender sd;
    pthread_t thread;
    int r, received = 0, corrupt = 0, extra = 0, i;
    long long bytes = 0;
    char *buf = malloc (MAX_SIZE + 1), *want = malloc (MAX_SIZE);
    double reading_started;

    REQUIRE (buf != NULL && want != NULL);
    memset (&sd, 0, sizeof sd);
    pthread_mutex_init (&sd.mu, NULL);
    pthread_cond_init (&sd.cv, NULL);
    r = test_socket (receiver_protocol, 5000);
    sd.s = test_socket (sender_protocol, 5000);
    /* Room for everything on the sender's side, the default NN_RCVBUF on
       the receiver's: most of the 20 MB waits in the sender's queue. */
    CHECK (set_int (sd.s, NN_SOL_SOCKET, NN_SNDBUF, 64 << 20) == 0);
    /* inproc queues at the receiver only (NN_RCVBUF, as in nanomsg). */
    if (strncmp (url, "inproc://", 9) == 0)
        CHECK (set_int (r, NN_SOL_SOCKET, NN_RCVBUF, 64 << 20) == 0);
    CHECK (set_int (sd.s, NN_SOL_SOCKET, NN_LINGER, LINGER_MS) == 0);
    CHECK (set_int (sd.s, NN_SOL_SOCKET, NN_RECONNECT_IVL, 20) == 0);
    CHECK (set_int (r, NN_SOL_SOCKET, NN_RECONNECT_IVL, 20) == 0);
    if (sender_binds) {
        CHECK (nn_bind (sd.s, url) >= 0);
        CHECK (nn_connect (r, url) >= 0);
    } else {
        CHECK (nn_bind (r, url) >= 0);
        CHECK (nn_connect (sd.s, url) >= 0);
    }
    /* Connected both ways before anything is queued. */
    CHECK (nn_send (sd.s, "start", 5, 0) == 5);
    CHECK (nn_recv (r, buf, MAX_SIZE, 0) == 5);

    REQUIRE (pthread_create (&thread, NULL, sender_main, &sd) == 0);
    pthread_mutex_lock (&sd.mu);
    while (!sd.closing)
        pthread_cond_wait (&sd.cv, &sd.mu);
    pthread_mutex_unlock (&sd.mu);
    /* The reader is late: nn_close has been lingering for a while. */
    usleep (300000);
    reading_started = now_ms ();
    for (i = 0; i < sd.sent; i++) {
        int n = nn_recv (r, buf, MAX_SIZE + 1, 0);
        if (n < 0)
            break;
        received++;
        bytes += n;
        msg_fill (want, i, msg_size (i));
        if ((size_t) n != msg_size (i) || memcmp (buf, want, (size_t) n) != 0) {
            if (corrupt++ == 0)
                fprintf (stderr, "message %d: %d bytes, not the %zu sent, or out of order\n",
                    i, n, msg_size (i));
        }
        /* A slow reader: a pause now and then. */
        if (i % 200 == 199)
            usleep (2000);
    }
    REQUIRE (pthread_join (thread, NULL) == 0);
    /* Nothing more (no duplicate) arrives. */
    CHECK (set_int (r, NN_SOL_SOCKET, NN_RCVTIMEO, 200) == 0);
    while (nn_recv (r, buf, MAX_SIZE + 1, 0) >= 0)
        extra++;
    printf ("%-28s %s->%s %-15s sent %5d (%8lld bytes) received %5d (%8lld bytes) lost %5d;"
            " nn_close %5.0f ms (reading from %4.0f ms)\n",
        url, name_of (sender_protocol), name_of (receiver_protocol),
        sender_binds ? "(sender binds)" : "(sender dials)", sd.sent, sd.bytes, received, bytes,
        sd.sent - received, sd.close_ended - sd.close_started, reading_started - sd.close_started);
    fflush (stdout);
    CHECK (sd.send_failures == 0);
    CHECK (sd.bytes >= TOTAL_BYTES);
    CHECK (sd.close_rc == 0);
    CHECK (sd.close_ended - sd.close_started < LINGER_MS + 1000);
    /* On tcp and ipc most of it was still queued when the reader came. */
    if (strncmp (url, "inproc://", 9) != 0)
        CHECK (sd.close_ended - sd.close_started >= 250);
    CHECK (sd.sent - received == 0);
    CHECK (bytes == sd.bytes);
    CHECK (corrupt == 0);
    CHECK (extra == 0);
    CHECK (nn_close (r) == 0);
    pthread_mutex_destroy (&sd.mu);
    pthread_cond_destroy (&sd.cv);
    free (buf);
    free (want);
}

int main (void)
{
    char url [3] [80];
    int t, p, sender_binds;
    static const int pairs [2] [2] = { { NN_PAIR, NN_PAIR }, { NN_PUSH, NN_PULL } };

    for (t = 0; t < 3; t++)
        for (p = 0; p < 2; p++)
            for (sender_binds = 0; sender_binds <= 1; sender_binds++) {
                int k = (t * 2 + p) * 2 + sender_binds;
                /* A fresh address each time: no late reconnect of an
                   earlier case can reach this one. */
                if (t == 0)
                    sprintf (url [t], "tcp://127.0.0.1:%d", test_port_base () + k);
                else if (t == 1)
                    sprintf (url [t], "ipc:///tmp/nnrs-nothing-lost-%d-%d.ipc", (int) getpid (), k);
                else
                    sprintf (url [t], "inproc://nothing-lost-%d", k);
                one_case (url [t], pairs [p] [0], pairs [p] [1], sender_binds);
            }
    return test_result ("nothing_lost");
}
