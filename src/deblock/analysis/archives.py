"""Archives do their I/O on what they were opened over (``ARCHIVE_OPENERS``): over a path
or a file, every use of one reads or writes the disk; over an in-memory buffer
(``io.BytesIO``), only the methods that touch other files do (``extractall``, ``add``).
That is a fact of each archive, as a file's mode is of each file: the resolver gives an
archive opened over a buffer its own class (``ARCHIVE_IN_MEMORY``), and the call opening
it does no I/O (``buffered_calls``). What nothing types is taken for a path, as the modules
document it first and most code passes one."""

from __future__ import annotations

import ast

from deblock.analysis.in_memory import in_memory
from deblock.analysis.nodes import first_handed
from deblock.analysis.symbols import Obj, Symbol
from deblock.rules.os_io import ARCHIVE_IN_MEMORY, ARCHIVE_OPENERS


def opened_over(call: ast.Call, opener: str) -> ast.expr | None:
    """What ``call`` of ``opener`` opens an archive over, when it is an archive's opener
    and is handed one."""
    places = ARCHIVE_OPENERS.get(opener)
    return first_handed(call, places) if places is not None else None


def over_buffer(made: Symbol | None, source: Symbol | None) -> Obj | None:
    """The archive an opener's call makes (``made``) over ``source``, when that is an
    in-memory buffer."""
    if made.__class__ is not Obj or made.cls not in ARCHIVE_IN_MEMORY or not in_memory(source):
        return None
    return Obj(ARCHIVE_IN_MEMORY[made.cls])
