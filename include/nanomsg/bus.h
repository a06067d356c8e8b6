/* nnrs — BUS: every message to every other node. */
#ifndef BUS_H_INCLUDED
#define BUS_H_INCLUDED

#define NN_PROTO_BUS 7

#define NN_BUS (NN_PROTO_BUS * 16 + 0)

#endif
