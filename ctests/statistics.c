/* nn_get_statistic: every statistic of the headers starts at 0; unknown
   ones and bad sockets fail. */
#include "testutil.h"
#include <stdint.h>
#include <nanomsg/pair.h>

int main (void)
{
    static const int stats [] = {
        NN_STAT_ESTABLISHED_CONNECTIONS, NN_STAT_ACCEPTED_CONNECTIONS,
        NN_STAT_DROPPED_CONNECTIONS, NN_STAT_BROKEN_CONNECTIONS,
        NN_STAT_CONNECT_ERRORS, NN_STAT_BIND_ERRORS, NN_STAT_ACCEPT_ERRORS,
        NN_STAT_CURRENT_CONNECTIONS, NN_STAT_INPROGRESS_CONNECTIONS,
        NN_STAT_CURRENT_EP_ERRORS, NN_STAT_MESSAGES_SENT,
        NN_STAT_MESSAGES_RECEIVED, NN_STAT_BYTES_SENT, NN_STAT_BYTES_RECEIVED,
        NN_STAT_CURRENT_SND_PRIORITY
    };
    size_t i;
    int s;

    CHECK_OK (s, nn_socket (AF_SP, NN_PAIR));
    for (i = 0; i < sizeof stats / sizeof stats [0]; i++)
        CHECK (nn_get_statistic (s, stats [i]) == 0);
    errno = 0;
    CHECK (nn_get_statistic (s, 0) == (uint64_t) -1 && errno == EINVAL);
    errno = 0;
    CHECK (nn_get_statistic (s, 305) == (uint64_t) -1 && errno == EINVAL);
    /* nnrs's own counter of dropped malformed or stale messages. */
    CHECK (nn_get_statistic (s, NNRS_STAT_DROPPED_MESSAGES) == 0);
    errno = 0;
    CHECK (nn_get_statistic (s + 1, NN_STAT_BYTES_SENT) == (uint64_t) -1 && errno == EBADF);
    CHECK (nn_close (s) == 0);
    errno = 0;
    CHECK (nn_get_statistic (s, NN_STAT_BYTES_SENT) == (uint64_t) -1 && errno == EBADF);
    return test_result ("statistics");
}
