"""The one library this process uses, its symbol table and its error check."""
from . import _library, errors, symbols

lib = _library.load()
SYMBOLS = symbols.read(lib)
check = errors.checker(lib)
