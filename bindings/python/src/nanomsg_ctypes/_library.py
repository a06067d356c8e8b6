"""Finds and loads libnanomsg and declares the C prototypes the bindings call.

Every ctypes signature lives here, so the rest of the package never guesses
an argument type: a wrong one would truncate a size_t or a pointer silently.
"""
import ctypes
import ctypes.util
import os

ENV_VAR = "NNRS_LIBRARY"

# libnanomsg.so.5 first: it is the SONAME every nanomsg 1.1 binary asks for,
# so LD_LIBRARY_PATH picks the same file for these bindings as for C programs.
_NAMES = ("libnanomsg.so.5", "libnanomsg.so.6", "libnanomsg.so")


class SymbolProperties(ctypes.Structure):
    """struct nn_symbol_properties."""
    _fields_ = [("value", ctypes.c_int), ("name", ctypes.c_char_p),
                ("ns", ctypes.c_int), ("type", ctypes.c_int), ("unit", ctypes.c_int)]


class PollFd(ctypes.Structure):
    """struct nn_pollfd."""
    _fields_ = [("fd", ctypes.c_int), ("events", ctypes.c_short), ("revents", ctypes.c_short)]


_c_int, _c_size_t, _c_void_p, _c_char_p = ctypes.c_int, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_char_p
_PROTOTYPES = {
    "nn_errno": (_c_int, []),
    "nn_strerror": (_c_char_p, [_c_int]),
    "nn_symbol_info": (_c_int, [_c_int, ctypes.POINTER(SymbolProperties), _c_int]),
    "nn_socket": (_c_int, [_c_int, _c_int]),
    "nn_close": (_c_int, [_c_int]),
    "nn_bind": (_c_int, [_c_int, _c_char_p]),
    "nn_connect": (_c_int, [_c_int, _c_char_p]),
    "nn_shutdown": (_c_int, [_c_int, _c_int]),
    "nn_send": (_c_int, [_c_int, _c_void_p, _c_size_t, _c_int]),
    "nn_recv": (_c_int, [_c_int, _c_void_p, _c_size_t, _c_int]),
    "nn_freemsg": (_c_int, [_c_void_p]),
    "nn_setsockopt": (_c_int, [_c_int, _c_int, _c_int, _c_void_p, _c_size_t]),
    "nn_getsockopt": (_c_int, [_c_int, _c_int, _c_int, _c_void_p, ctypes.POINTER(_c_size_t)]),
    "nn_poll": (_c_int, [ctypes.POINTER(PollFd), _c_int, _c_int]),
}


def _open():
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return ctypes.CDLL(explicit)
    for name in _NAMES:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    found = ctypes.util.find_library("nanomsg")
    if found is None:
        raise OSError("libnanomsg not found: install it or set %s to its path" % ENV_VAR)
    return ctypes.CDLL(found)


def load():
    """Opens the library and gives every function its C signature."""
    lib = _open()
    for name, (restype, argtypes) in _PROTOTYPES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib
