"""Objects that hold their data in memory: no call of theirs does I/O."""

from __future__ import annotations

from deblock.analysis.symbols import Obj, Symbol
from deblock.rules.os_io import ARCHIVE_IN_MEMORY

# The classes whose instances hold their data in memory: buffers, and archives opened over
# one (whose methods that touch other files, ``extractall``, block all the same).
BUFFERS = frozenset({"io.BytesIO", "io.StringIO"})
IN_MEMORY = frozenset({*BUFFERS, *ARCHIVE_IN_MEMORY.values()})
# What a module imports to make any of them (an archive in memory is opened over a buffer;
# no fact of the catalogue returns one).
BUFFER_MODULES = frozenset(name.partition(".")[0] for name in BUFFERS)


def in_memory(symbol: Symbol | None) -> bool:
    """Whether ``symbol`` is an in-memory buffer on every path."""
    return symbol.__class__ is Obj and all(
        not option.path and option.cls in IN_MEMORY for option in symbol.options()
    )
