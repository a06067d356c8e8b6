"""The library's own symbol table, read once at import.

Reading nn_symbol_info instead of copying numbers from the headers keeps the
bindings right for whichever libnanomsg was loaded.
"""
import collections
import ctypes

from ._library import SymbolProperties

Symbol = collections.namedtuple("Symbol", "value ns type unit")


def read(lib):
    """Maps each symbol's C name (NN_REQ, AF_SP, EFSM, ...) to its Symbol."""
    table = {}
    row = SymbolProperties()
    index = 0
    while lib.nn_symbol_info(index, ctypes.byref(row), ctypes.sizeof(row)) > 0:
        table[row.name.decode()] = Symbol(row.value, row.ns, row.type, row.unit)
        index += 1
    return table
