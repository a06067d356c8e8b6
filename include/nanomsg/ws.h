/* nnrs — ws:// transport: SP over WebSocket. */
#ifndef WS_H_INCLUDED
#define WS_H_INCLUDED

#define NN_WS -4

/* Option at level NN_WS, also settable per message as a control message:
   the WebSocket frame type of outgoing messages. */
#define NN_WS_MSG_TYPE 1

#define NN_WS_MSG_TYPE_TEXT 0x01
#define NN_WS_MSG_TYPE_BINARY 0x02

#endif
