/* nnrs — ipc:// transport: Unix domain sockets. */
#ifndef IPC_H_INCLUDED
#define IPC_H_INCLUDED

#define NN_IPC -2

/* Options at level NN_IPC.  On POSIX systems nnrs reads NN_IPC_SEC_ATTR as
   an int: the permission bits of the socket file a bind creates (0 keeps
   what the umask gives).  The buffer sizes are ints in bytes. */
#define NN_IPC_SEC_ATTR 1
#define NN_IPC_OUTBUFSZ 2
#define NN_IPC_INBUFSZ 3

#endif
