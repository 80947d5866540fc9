"""What a caller does with an awaited result, and what a coroutine hands back whole.

A coroutine that reads a parameter only to return it (``return log``) reads none of the
object: its caller reads it, through the result, where it uses the result. A caller that
drops the result (``await record(LOG)`` as a statement) reads nothing of it there
(``atomic_callers``: ``runtime_projects/returned_discarded``, against
``runtime_declined/returned_handed_read``, where the caller reads the result's length)."""

from __future__ import annotations

import ast

from deblock.analysis.walker import FunctionRecord


def discarded_awaits(record: FunctionRecord) -> set[ast.AST]:
    """The calls coroutine ``record`` awaits as a statement of their own, dropping the
    result (``await record(LOG)``)."""
    return {
        node.value.value
        for node in record.own_code
        if node.__class__ is ast.Expr and node.value.__class__ is ast.Await
    }


def returned_parameters(record: FunctionRecord, parameters: set[str]) -> tuple[str, ...]:
    """The ``parameters`` coroutine ``record`` names only as the value of its own bare
    ``return`` (anywhere else, a nested function's body too, it may read or hand them on)."""
    returned = {
        id(node.value)
        for node in record.own_code
        if node.__class__ is ast.Return and node.value.__class__ is ast.Name
    }
    named: dict[str, bool] = {}
    for node in ast.walk(record.node):
        if node.__class__ is ast.Name and node.id in parameters:
            named[node.id] = named.get(node.id, True) and id(node) in returned
    return tuple(sorted(name for name, only in named.items() if only))
