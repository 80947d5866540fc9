"""sqlite3 connections made with ``check_same_thread=False`` (``SHARED_OPENERS``) may be
used from any thread, one at a time: a fact of each connection, fixed when it is made, as
an archive's buffer is. The resolver gives such a connection its own class
(``SHARED_SQLITE``), which is not thread-affine but not thread-safe either."""

from __future__ import annotations

import ast

from deblock.analysis.nodes import argument_places
from deblock.analysis.symbols import Obj, Symbol
from deblock.rules.network import SHARED_OPENERS, SHARED_SQLITE


def made_shared(call: ast.Call, opener: str, made: Symbol | None) -> Obj | None:
    """The connection ``call`` of ``opener`` makes (``made``), when it is handed a false
    constant for its thread check."""
    places = SHARED_OPENERS.get(opener)
    if places is None or made.__class__ is not Obj or made.cls not in SHARED_SQLITE:
        return None
    handed = dict(argument_places(call))
    check = next((handed[place] for place in places if place in handed), None)
    if check.__class__ is not ast.Constant or check.value:
        return None
    return Obj(SHARED_SQLITE[made.cls])
