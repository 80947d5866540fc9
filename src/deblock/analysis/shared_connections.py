"""sqlite3 connections made with ``check_same_thread=False`` (``SHARED_OPENERS``) may be
used from any thread, one at a time, and redis locks made with ``thread_local=False`` keep
their token for any thread: a fact of each object, fixed when it is made, as an archive's
buffer is. The resolver gives such an object its own class (``SHARED_MADE``), which is not
thread-affine (a connection made so is not thread-safe either)."""

from __future__ import annotations

import ast

from deblock.analysis.nodes import argument_places
from deblock.analysis.symbols import Obj, Symbol
from deblock.rules.network import SHARED_MADE, SHARED_OPENERS


def made_shared(call: ast.Call, opener: str, made: Symbol | None) -> Obj | None:
    """The object ``call`` of ``opener`` makes (``made``), when it is handed a false
    constant for its thread check."""
    if made.__class__ is not Obj or made.cls not in SHARED_MADE or not opens_shared(call, opener):
        return None
    return Obj(SHARED_MADE[made.cls])


def opens_shared(call: ast.AST, opener: str) -> bool:
    """Whether ``call`` of ``opener`` makes an object any thread may use: it hands a
    false constant for its thread check."""
    places = SHARED_OPENERS.get(opener)
    if places is None or call.__class__ is not ast.Call:
        return False
    handed = dict(argument_places(call))
    check = next((handed[place] for place in places if place in handed), None)
    return check.__class__ is ast.Constant and not check.value
