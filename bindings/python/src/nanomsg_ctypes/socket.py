"""Socket, a nanomsg SP socket, and poll over several of them."""
import ctypes

from ._library import PollFd
from ._loaded import SYMBOLS, check, lib

# A macro in nn.h, not a symbol: (size_t) -1 asks nn_recv for a message
# allocated by the library, which is how recv takes any size.
NN_MSG = ctypes.c_size_t(-1).value

# Large enough for every string option (NN_SOCKET_NAME is at most 63 bytes).
_STRING_OPTION_MAX = 256


class Socket:
    """An SP socket: Socket(NN_REQ), Socket(NN_REP, AF_SP_RAW), ...

    Closes when its `with` block ends. Every failed call raises NanomsgError.
    """

    def __init__(self, protocol, domain=None):
        if domain is None:
            domain = SYMBOLS["AF_SP"].value
        self.id = check(lib.nn_socket(domain, protocol))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<nanomsg_ctypes.Socket %d>" % self.id

    @property
    def closed(self):
        return self.id < 0

    def close(self):
        """Closes the socket; closing it again does nothing, as for files."""
        if self.id >= 0:
            socket_id, self.id = self.id, -1
            check(lib.nn_close(socket_id))

    def bind(self, address):
        """Returns the endpoint id that shutdown() takes."""
        return check(lib.nn_bind(self.id, address.encode()))

    def connect(self, address):
        """Returns the endpoint id that shutdown() takes."""
        return check(lib.nn_connect(self.id, address.encode()))

    def shutdown(self, endpoint):
        check(lib.nn_shutdown(self.id, endpoint))

    def send(self, data, flags=0):
        """Sends bytes (or any buffer); returns the number of bytes sent."""
        data = bytes(data)
        return check(lib.nn_send(self.id, data, len(data), flags))

    def recv(self, flags=0):
        """Returns the next message whole, however large."""
        chunk = ctypes.c_void_p()
        size = check(lib.nn_recv(self.id, ctypes.byref(chunk), NN_MSG, flags))
        try:
            return ctypes.string_at(chunk, size)
        finally:
            lib.nn_freemsg(chunk)

    def setsockopt(self, level, option, value):
        """Sets an int option from an int, a string option from bytes or str."""
        if isinstance(value, int):
            number = ctypes.c_int(value)
            check(lib.nn_setsockopt(self.id, level, option, ctypes.byref(number),
                                    ctypes.sizeof(number)))
            return
        if isinstance(value, str):
            value = value.encode()
        value = bytes(value)
        check(lib.nn_setsockopt(self.id, level, option, value, len(value)))

    def getsockopt(self, level, option, kind=int):
        """Returns an int option, or with kind=bytes a string option's bytes."""
        if kind is int:
            number = ctypes.c_int()
            size = ctypes.c_size_t(ctypes.sizeof(number))
            check(lib.nn_getsockopt(self.id, level, option, ctypes.byref(number),
                                    ctypes.byref(size)))
            return number.value
        if kind is bytes:
            buffer = ctypes.create_string_buffer(_STRING_OPTION_MAX)
            size = ctypes.c_size_t(_STRING_OPTION_MAX)
            check(lib.nn_getsockopt(self.id, level, option, buffer, ctypes.byref(size)))
            return buffer.raw[:size.value]
        raise TypeError("kind must be int or bytes")


def poll(items, timeout=-1):
    """Waits up to timeout ms (-1: forever) for any of [(socket, events), ...].

    Returns each socket's revents (NN_POLLIN | NN_POLLOUT bits), in order.
    """
    fds = (PollFd * len(items))(*[PollFd(sock.id, events, 0) for sock, events in items])
    check(lib.nn_poll(fds, len(items), timeout))
    return [fd.revents for fd in fds]
