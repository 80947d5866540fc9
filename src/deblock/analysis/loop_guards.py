"""Sync functions that refuse to run where an event loop runs, before they block.

trio's ``from_thread.run_sync`` and asgiref's ``AsyncToSync`` start with a guard::

    try:
        trio.lowlevel.current_task()  # or asyncio.get_running_loop()
    except RuntimeError:
        pass  # no loop here: go on and wait
    else:
        raise RuntimeError("this is a blocking function; call it from a thread")

Called from a coroutine, such a function raises at its guard: what follows never runs on
the loop, so it cannot block it.
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import last_name

# Calls that succeed only where an async library's loop runs (raise ``RuntimeError`` or
# the library's own error elsewhere).
_LOOP_PROBES = frozenset(
    {"current_task", "get_running_loop", "current_trio_token", "current_root_task"}
)


def loop_guard_line(function: ast.FunctionDef) -> int | None:
    """The line of sync ``function``'s top-level guard that raises where an event loop
    runs, if it has one: none of what comes from there on runs on the loop."""
    for statement in function.body:
        if (
            isinstance(statement, ast.Try)
            and statement.handlers
            and statement.orelse
            and any(_probes(s) for s in statement.body)
            and any(isinstance(node, ast.Raise) for s in statement.orelse for node in ast.walk(s))
        ):
            return statement.lineno
    return None


def _probes(statement: ast.stmt) -> bool:
    """Whether ``statement`` only calls a loop probe (and may name what it returns)."""
    value = statement.value if isinstance(statement, ast.Expr | ast.Assign) else None
    return isinstance(value, ast.Call) and last_name(value) in _LOOP_PROBES
