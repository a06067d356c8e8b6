/* nnrs — REQ/REP: requests and their replies. */
#ifndef REQREP_H_INCLUDED
#define REQREP_H_INCLUDED

#define NN_PROTO_REQREP 3

#define NN_REQ (NN_PROTO_REQREP * 16 + 0)
#define NN_REP (NN_PROTO_REQREP * 16 + 1)

/* Option of NN_REQ sockets: milliseconds before a request is sent again. */
#define NN_REQ_RESEND_IVL 1

#endif
