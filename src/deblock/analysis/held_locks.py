"""Thread locks a coroutine holds on the event loop's thread.

While a coroutine holds a ``threading.Lock`` (in its ``with`` block, or between its
``acquire()`` and ``release()``), an await would let other tasks run with the lock taken:
the first of them to take it blocks the loop's thread, and the holder never resumes to
release it. A sync call there never let another task run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.rules.resources import THREAD_LOCKS


def lock_regions(
    function: ast.AST,
    statements: list[ast.stmt],
    calls: list[ast.Call],
    type_of: Callable[[ast.expr], str | None],
) -> list[tuple[int, int, str, int, int]]:
    """Where coroutine ``function`` holds a thread lock: the lines of its ``with`` block, or
    those after its ``acquire()`` up to its ``release()``; each with the lock as written and
    the lines from where it is taken to where it is let go. ``statements``: its ``try`` and
    ``with`` statements, outer ones first; ``calls``: its ``acquire()`` and ``release()``
    calls; ``type_of``: what an expression names, or the class it holds an instance of
    (``cls()``)."""

    def is_lock(expr: ast.expr) -> bool:
        return (type_of(expr) or "").removesuffix("()") in THREAD_LOCKS

    regions = []
    for node in statements:
        if isinstance(node, ast.With):
            for item in node.items:
                if is_lock(item.context_expr):
                    shown = ast.unparse(item.context_expr)
                    first, last = node.body[0].lineno, node.body[-1].end_lineno
                    regions.append((first, last, shown, node.lineno, node.end_lineno))
    for shown, pairs in paired([c for c in calls if is_lock(c.func.value)]).items():
        for taken, freed in pairs:
            if taken is not None:  # held up to its release, or to the end of the function
                let_go = function.end_lineno if freed is None else freed.lineno
                last = let_go if freed is None else let_go - 1
                regions.append((taken.lineno + 1, last, shown, taken.lineno, let_go))
    return regions


def paired(calls: list[ast.Call]) -> dict[str, list[tuple[ast.Call | None, ast.Call | None]]]:
    """``acquire()`` and ``release()`` ``calls`` by their receiver as written, paired in line
    order: each acquire with the first release after it (``None``: none follows), and a
    release no acquire comes before with ``None``."""
    events: dict[str, list[ast.Call]] = {}
    for call in calls:
        events.setdefault(ast.unparse(call.func.value), []).append(call)
    pairs: dict[str, list[tuple[ast.Call | None, ast.Call | None]]] = {}
    for shown, found in events.items():
        taken = None
        for call in sorted(found, key=lambda c: (c.lineno, c.col_offset)):
            if call.func.attr == "acquire" and taken is None:
                taken = call
            elif call.func.attr == "release":
                pairs.setdefault(shown, []).append((taken, call))
                taken = None
        if taken is not None:
            pairs.setdefault(shown, []).append((taken, None))
    return pairs
