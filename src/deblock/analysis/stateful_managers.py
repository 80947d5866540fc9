"""``with`` blocks whose manager, the module's own code, touches shared state on entry and
on exit.

A manager's ``__enter__`` runs at the head of its ``with`` block and its ``__exit__`` after
the block's last statement (so do a ``contextlib.contextmanager`` generator's statements
before and after its ``yield``). With no await in the block no other task runs between
them, so no task ever sees the state the entry left before the exit puts it back (a count
of calls in progress, a flag), nor changes it between them. An await a fix adds in the
block lets other tasks run there; a section that moves the whole block into a worker
thread runs the entry and the exit there, beside the event loop's tasks using the state
(and entering the block themselves).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.nodes import last_name
from deblock.analysis.shared_state import READ, WRITE, HelperEffects

_GENERATOR_MANAGERS = frozenset({"contextmanager"})


def manager_regions(
    statements: list[ast.stmt],
    type_of: Callable[[ast.expr], str | None],
    helpers: HelperEffects,
) -> list[tuple[int, int, str]]:
    """Where a coroutine runs inside such a ``with`` block: the lines of its body, each with
    why a fix there would change the program. ``statements``: the coroutine's ``try`` and
    ``with`` statements; ``type_of``: the class an expression holds an instance of
    (``cls()``)."""
    regions = []
    for node in statements:
        if node.__class__ is not ast.With:
            continue
        for item in node.items:
            entry, exit_ = _sides(item.context_expr, type_of, helpers)
            shared = _shared(entry, exit_)
            if shared is not None:
                why = (
                    f"it runs inside `with {ast.unparse(item.context_expr)}`, whose entry and "
                    f"exit touch {shared}: on the event loop no other task runs between "
                    "them, an await or a worker thread there would let other tasks see or "
                    "change it meanwhile"
                )
                regions.append((node.body[0].lineno, node.body[-1].end_lineno, why))
                break
    return regions


def _sides(
    manager: ast.expr, type_of: Callable[[ast.expr], str | None], helpers: HelperEffects
) -> tuple[set, set]:
    """What the manager ``manager`` touches on entry and on exit, each (state, mode), its
    own attributes named through the expression holding it (a new instance's left out: no
    other task holds it)."""
    # a generator's call runs none of it, so ``callees`` has none: its function's name
    callee = type_of(manager.func) if manager.__class__ is ast.Call else None
    record = helpers.records.get(callee or "")
    if record is not None and _decorated(record.node, _GENERATOR_MANAGERS):
        yields = [s.lineno for s in record.suspensions if s.__class__ is ast.Yield]
        if len(yields) != 1:
            return set(), set()
        holder = manager.func.value if manager.func.__class__ is ast.Attribute else None
        return tuple(_named(t, holder) for t in helpers.around(callee, yields[0]))
    cls = (type_of(manager) or "").removesuffix("()")
    entered, left = f"{cls}.__enter__", f"{cls}.__exit__"
    if not cls or entered not in helpers.records or left not in helpers.records:
        return set(), set()
    holder = None if manager.__class__ is ast.Call else manager  # ``with Busy():``: new
    return _named(helpers.of(entered), holder), _named(helpers.of(left), holder)


def _named(touched, holder: ast.expr | None) -> set[tuple[str, str]]:
    """``HelperEffects.of``'s triples as (state, mode), the instance's attributes through
    ``holder`` (none without it)."""
    shown = ast.unparse(holder) if holder is not None else None
    return {
        (f"{shown}.{name}" if on_self else name, mode)
        for on_self, name, mode in touched
        if shown is not None or not on_self
    }


def _decorated(node: ast.AST, names: frozenset[str]) -> bool:
    return any(last_name(d) in names for d in getattr(node, "decorator_list", ()))


def _shared(entry: set, exit_: set) -> str | None:
    """How the state that entry and exit both touch, one of them writing it, or that each
    writes, is shown; None when there is none."""
    for name, mode in sorted(exit_):
        if (name, WRITE) in entry or (mode == WRITE and (name, READ) in entry):
            return f"`{name}`"
    written = sorted(name for name, mode in entry if mode == WRITE)
    writes = sorted(name for name, mode in exit_ if mode == WRITE)
    if written and writes:
        return f"`{written[0]}` and `{writes[0]}`"
    return None
