"""Free tcp ports for the Python tests, which run cases at the same time.

Ports count up from a base set by the pid, so that concurrent runs keep
apart, and stay below Linux's ephemeral range, so that no connect meets
one as its own port. A port some socket holds, even one in TIME_WAIT from
an earlier test, is skipped: libnanomsg, and so Debian's nanocat, binds
without SO_REUSEADDR."""
import os
import socket
import threading

FIRST = 20000
LIMIT = 32000


class Ports:
    def __init__(self):
        self._lock = threading.Lock()
        self._next = FIRST + os.getpid() % 10000

    def new(self):
        """A port no socket holds now, never the same twice in a row."""
        with self._lock:
            for _ in range(LIMIT - FIRST):
                port = self._next
                self._next = port + 1 if port + 1 < LIMIT else FIRST
                with socket.socket() as probe:
                    try:
                        probe.bind(("127.0.0.1", port))
                        return port
                    except OSError:
                        continue
        raise RuntimeError("no free tcp port between %d and %d" % (FIRST, LIMIT))
