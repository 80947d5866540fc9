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
    events: dict[str, list[tuple[int, str]]] = {}  # lock (as written) -> its acquire/release
    for node in statements:
        if isinstance(node, ast.With):
            for item in node.items:
                if is_lock(item.context_expr):
                    shown = ast.unparse(item.context_expr)
                    first, last = node.body[0].lineno, node.body[-1].end_lineno
                    regions.append((first, last, shown, node.lineno, node.end_lineno))
    for call in calls:
        lock, method = call.func.value, call.func.attr
        if is_lock(lock):
            events.setdefault(ast.unparse(lock), []).append((call.lineno, method))
    for shown, calls in events.items():
        taken = None
        for line, method in sorted(calls):
            if method == "acquire" and taken is None:
                taken = line
            elif method == "release" and taken is not None:
                regions.append((taken + 1, line - 1, shown, taken, line))
                taken = None
        if taken is not None:
            regions.append((taken + 1, function.end_lineno, shown, taken, function.end_lineno))
    return regions
