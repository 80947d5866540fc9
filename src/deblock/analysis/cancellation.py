"""Where cancellation meets a call a fix would await.

In cleanup code (a ``finally`` block, an ``except`` that catches cancellation, an async
context manager's ``__aexit__``) the await could itself be cancelled (trio and anyio cancel
every await inside a cancelled scope; asyncio a task cancelled again), and the rest of the
cleanup would be skipped: a sync call there always ran to its end. Inside a timeout or a
cancel scope the await could be cut short by it, where on the loop the scope never fired
during the call (its cancellation waited for the next await).
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import last_name

# Context managers that cancel their block (on a deadline, or when cancelled elsewhere).
_CANCEL_SCOPES = frozenset(
    {"timeout", "timeout_at", "fail_after", "fail_at", "move_on_after", "move_on_at", "CancelScope"}
)
# Exceptions that cancellation raises at an ``await`` (and the classes above them).
_CANCELLATION = frozenset(
    {"CancelledError", "Cancelled", "get_cancelled_exc_class", "BaseException"}
)


def in_cleanup(function: ast.AST, node: ast.AST) -> str | None:
    """Where ``node`` (inside ``function``) runs as cleanup, if it does."""
    if getattr(function, "name", None) == "__aexit__":
        return "it runs in `__aexit__`, as its block ends (cancelled too)"
    for statement in ast.walk(function):
        if not isinstance(statement, ast.Try | ast.TryStar):
            continue
        if statement.finalbody and holds(statement.finalbody, node):
            return "it runs in a `finally` block"
        for handler in statement.handlers:
            if holds(handler.body, node) and catches_cancellation(handler):
                return "it runs in an `except` that catches cancellation"
    return None


def in_cancel_scope(function: ast.AST, node: ast.AST) -> str | None:
    """The timeout or cancel scope (as written) whose block holds ``node``, if any."""
    for statement in ast.walk(function):
        if isinstance(statement, ast.With | ast.AsyncWith) and holds(statement.body, node):
            for item in statement.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and last_name(call) in _CANCEL_SCOPES:
                    return f"{last_name(call)}(...)"
    return None


def catches_cancellation(handler: ast.ExceptHandler) -> bool:
    """Whether ``handler`` catches the exception cancellation raises."""
    if handler.type is None:
        return True
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(last_name(name) in _CANCELLATION for name in caught)


def holds(body: list[ast.stmt], node: ast.AST) -> bool:
    """Whether ``node`` lies within the statements ``body``."""
    return body[0].lineno <= node.lineno and node.end_lineno <= body[-1].end_lineno
