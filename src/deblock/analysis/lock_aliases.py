"""What a coroutine's local name for a lock stands for: ``lock = self._lock``, then
``async with lock:``.

A local name the coroutine binds once, by an assignment on an earlier line, and never
binds anew, holds at each later use the object its value gave: ``async with lock:`` enters
what ``async with self._lock:`` (``LOCK``, ``locks[key]``) would have entered there. A name
bound twice, in a loop's target, a ``with``, by unpacking, or declared ``global`` or
``nonlocal``, stands for itself.
"""

from __future__ import annotations

import ast

from deblock.analysis.scopes import Kind
from deblock.analysis.walker import FunctionRecord

_STEPS = 8  # aliases of aliases followed (``held = lock``, ``lock = self._lock``)


def stands_for(expr: ast.expr, record: FunctionRecord) -> ast.expr:
    """The expression local name ``expr`` of coroutine ``record`` was bound from, followed
    through aliases of aliases, when each is bound once so; ``expr`` otherwise."""
    scope = record.own_scope
    for _ in range(_STEPS):
        if expr.__class__ is not ast.Name or scope is None or expr.id in record.nonlocals:
            return expr
        bindings = scope.bindings.get(expr.id, ())
        if expr.id in scope.global_names or len(bindings) != 1:
            return expr
        (binding,) = bindings
        value = binding.expr
        if binding.kind is not Kind.VALUE or value is None or value.lineno >= expr.lineno:
            return expr
        expr = value
    return expr
