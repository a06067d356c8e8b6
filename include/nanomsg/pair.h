/* nnrs — PAIR: one-to-one, both directions. */
#ifndef PAIR_H_INCLUDED
#define PAIR_H_INCLUDED

#define NN_PROTO_PAIR 1

#define NN_PAIR (NN_PROTO_PAIR * 16 + 0)

#endif
