/* nnrs — PUB/SUB: one publisher, many subscribers filtering by prefix. */
#ifndef PUBSUB_H_INCLUDED
#define PUBSUB_H_INCLUDED

#define NN_PROTO_PUBSUB 2

#define NN_PUB (NN_PROTO_PUBSUB * 16 + 0)
#define NN_SUB (NN_PROTO_PUBSUB * 16 + 1)

/* Options of NN_SUB sockets: add or remove a topic prefix. */
#define NN_SUB_SUBSCRIBE 1
#define NN_SUB_UNSUBSCRIBE 2

#endif
