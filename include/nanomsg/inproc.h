/* nnrs — inproc:// transport: sockets of the same process. */
#ifndef INPROC_H_INCLUDED
#define INPROC_H_INCLUDED

#define NN_INPROC -1

#endif
