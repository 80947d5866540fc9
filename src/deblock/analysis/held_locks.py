"""Thread locks a coroutine holds on the event loop's thread.

While a coroutine holds a ``threading.Lock`` (in its ``with`` block, or between its
``acquire()`` and ``release()``), an await would let other tasks run with the lock taken:
the first of them to take it blocks the loop's thread, and the holder never resumes to
release it. A sync call there never let another task run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.cancellation import holds
from deblock.rules.resources import THREAD_LOCKS


def held_lock(
    function: ast.AST, node: ast.AST, type_of: Callable[[ast.expr], str | None]
) -> tuple[str, int, int] | None:
    """The thread lock ``function`` holds where ``node`` runs, if any: as written, with the
    lines from where it is taken to where it is let go; ``type_of``: what an expression
    names, or the class it holds an instance of (``cls()``)."""

    def is_lock(expr: ast.expr) -> bool:
        return (type_of(expr) or "").removesuffix("()") in THREAD_LOCKS

    events: dict[str, list[tuple[int, str]]] = {}  # lock (as written) -> its acquire/release
    for statement in ast.walk(function):
        if isinstance(statement, ast.With) and holds(statement.body, node):
            for item in statement.items:
                if is_lock(item.context_expr):
                    return ast.unparse(item.context_expr), statement.lineno, statement.end_lineno
        if isinstance(statement, ast.Call) and isinstance(statement.func, ast.Attribute):
            lock, method = statement.func.value, statement.func.attr
            if method in ("acquire", "release") and is_lock(lock):
                events.setdefault(ast.unparse(lock), []).append((statement.lineno, method))
    for lock, calls in events.items():
        taken = None
        for line, method in sorted(calls):
            if line > node.lineno:
                if taken is not None and method == "release":
                    return lock, taken, line
                break
            taken = line if method == "acquire" else None
        if taken is not None:
            return lock, taken, function.end_lineno
    return None
