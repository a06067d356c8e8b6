/* nnrs — tcp:// transport. */
#ifndef TCP_H_INCLUDED
#define TCP_H_INCLUDED

#define NN_TCP -3

/* Option at level NN_TCP: disable Nagle's algorithm (boolean int). */
#define NN_TCP_NODELAY 1

#endif
