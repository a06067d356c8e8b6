"""Python bindings for libnanomsg through ctypes.

Importing the package loads the library (NNRS_LIBRARY names a file, else the
dynamic linker finds libnanomsg.so.5) and defines every constant of its
symbol table under its C name: NN_REQ, AF_SP, NN_SOL_SOCKET, EFSM, ...
"""
from ._loaded import SYMBOLS, lib as _lib
from .errors import NanomsgError
from .socket import NN_MSG, Socket, poll

# The file the library was opened by (a path or a name the linker resolved).
LIBRARY = _lib._name

globals().update({_name: _symbol.value for _name, _symbol in SYMBOLS.items()})
