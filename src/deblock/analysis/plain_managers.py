"""``async with`` blocks whose manager never suspends: no suspension point.

An ``async with`` suspends only where its manager's ``__aenter__`` or ``__aexit__`` awaits
something that suspends. A manager of the module's own whose ``__aenter__`` and
``__aexit__`` await nothing (no ``await``, ``async for``, ``async with`` in them), or an
``asynccontextmanager`` generator of the module whose only suspension is its one ``yield``,
enters and leaves without letting another task run: what runs before the block, in it and
after it runs as one, as around a ``with``. Left among the suspension points, the block cut
a read and a write of one thing around it into two runs, and a fix's await there was
taken for safe (a counter read before ``async with GAUGE:`` and written after it lost its
updates). Another module's manager, or one of unknown type, stays a suspension point.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.stateful_managers import generator_manager
from deblock.analysis.walker import FunctionRecord, ModuleFacts


def mark_plain_managers(
    facts: ModuleFacts, type_of: Callable[[FunctionRecord], Callable[[ast.expr], str | None]]
) -> None:
    """Take out of each coroutine's suspension points its ``async with`` statements whose
    every manager is the module's and never suspends (``type_of(record)``: what an
    expression in ``record`` holds an instance of, or the function it names)."""
    records = {r.qualname: r for r in facts.functions if r.node is not None}
    for record in facts.functions:
        withs = [n for n in record.suspensions if n.__class__ is ast.AsyncWith]
        if not withs:
            continue
        typed = type_of(record)
        plain = [n for n in withs if all(_plain(i.context_expr, typed, records) for i in n.items)]
        if plain:
            record.suspensions = [n for n in record.suspensions if n not in plain]


def _plain(manager: ast.expr, typed, records: dict[str, FunctionRecord]) -> bool:
    """Whether ``manager`` is the module's and enters and leaves without suspending."""
    if manager.__class__ is ast.Call:
        generator = records.get(typed(manager.func) or "")
        if generator is not None and generator.is_async and generator_manager(generator.node):
            return all(s.__class__ is ast.Yield for s in generator.suspensions)
    cls = (typed(manager) or "").removesuffix("()")
    sides = [records.get(f"{cls}.{method}") for method in ("__aenter__", "__aexit__")]
    return all(side is not None and side.is_async and not side.suspensions for side in sides)
