"""What a call passes its callee: by place, by keyword, false constants, values handed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from deblock.analysis.lock_aliases import stands_for
from deblock.analysis.walker import FunctionRecord


def positional(call: ast.Call) -> int:
    """How many arguments ``call`` passes by place; -1 when a ``*args`` or ``**mapping``
    hides which parameters it writes."""
    for arg in call.args:
        if arg.__class__ is ast.Starred:
            return -1
    for keyword in call.keywords:
        if keyword.arg is None:
            return -1
    return len(call.args)


def falsy_arguments(call: ast.Call) -> tuple[str, ...]:
    """The parameters ``call`` passes a false constant: by keyword (``block=False``,
    ``wait=None``) or by place (``get(False)``: ``#0``), up to a ``*args``."""
    return tuple(
        keyword or f"#{i}"
        for i, keyword, value in _arguments(call)
        if value.__class__ is ast.Constant and not value.value
    )


def handed_values(
    call: ast.Call, record: FunctionRecord
) -> Iterator[tuple[int, str | None, ast.expr]]:
    """``_arguments`` of ``call`` in ``record``, a local name bound once standing for what it
    was bound from (``inner`` of ``inner = ledger.inner``: ``ledger.inner``; ``stands_for``)."""
    for i, keyword, value in _arguments(call):
        yield i, keyword, stands_for(value, record) if value.__class__ is ast.Name else value


def _arguments(call: ast.Call) -> Iterator[tuple[int, str | None, ast.expr]]:
    """(place, keyword, value) of each argument ``call`` writes a parameter with: one
    passed by place up to a ``*args`` (``#0`` to the callee), one by keyword (not a
    ``**mapping``'s)."""
    for i, arg in enumerate(call.args):
        if arg.__class__ is ast.Starred:
            break
        yield i, None, arg
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield -1, keyword.arg, keyword.value


def keyword_names(call: ast.Call) -> tuple[str, ...]:
    """The keywords ``call`` passes by name (not those of a ``**mapping``)."""
    return tuple(k.arg for k in call.keywords if k.arg is not None)
