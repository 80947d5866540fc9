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


def cleanup_regions(function: ast.AST, statements: list[ast.stmt]) -> list[tuple[int, int, str]]:
    """The lines of coroutine ``function``'s cleanup code, where an await a fix adds would
    meet cancellation, each with why. ``statements``: its ``try`` and ``with`` statements,
    outer ones first. (A fix that moves a whole ``try`` into a thread moves its cleanup
    with it: the await is then outside.)"""
    if getattr(function, "name", None) == "__aexit__":
        return [(function.lineno, function.end_lineno, _CLEANUP.format("in `__aexit__`"))]
    cleanup = []
    for statement in statements:
        if isinstance(statement, ast.Try | ast.TryStar):
            if statement.finalbody:
                cleanup.append((*lines_of(statement.finalbody), _CLEANUP.format("in a `finally`")))
            for handler in statement.handlers:
                if catches_cancellation(handler):
                    where = "in an `except` that catches cancellation"
                    cleanup.append((*lines_of(handler.body), _CLEANUP.format(where)))
    return cleanup


def cancelling_scopes(statements: list[ast.stmt]) -> list[tuple[int, int, str]]:
    """The blocks of timeouts and cancel scopes, where an await a fix adds (or the scope
    itself, moved into a thread) would meet cancellation, each with why."""
    return [(first, last, _SCOPE.format(shown)) for first, last, shown in scope_regions(statements)]


def scope_regions(statements: list[ast.stmt]) -> list[tuple[int, int, str]]:
    """The blocks of timeouts and cancel scopes among ``statements`` (a function's ``with``
    statements, outer ones first): their lines, each with the scope as shown
    (``timeout(...)``)."""
    return [
        (*lines_of(statement.body), f"{last_name(item.context_expr)}(...)")
        for statement in statements
        if isinstance(statement, ast.With | ast.AsyncWith)
        for item in statement.items
        if isinstance(item.context_expr, ast.Call)
        and last_name(item.context_expr) in _CANCEL_SCOPES
    ]


def interrupt_regions(statements: list[ast.stmt]) -> list[tuple[int, int, str]]:
    """The bodies of the ``try`` statements (of ``statements``) with a handler that names
    ``KeyboardInterrupt``, each with why: with Python's own SIGINT handler (a loop run by
    ``run_until_complete``, ``asyncio.run`` before 3.11) Ctrl-C is raised where the main
    thread is, in the blocking call, as the handler expects (mcp's example clients answer it
    at their ``input`` prompt). A worker thread never gets it: it would be raised in the
    loop's wait instead, past the handler."""
    return [
        (*lines_of(statement.body), _INTERRUPT)
        for statement in statements
        if isinstance(statement, ast.Try | ast.TryStar)
        and any(_names(handler, "KeyboardInterrupt") for handler in statement.handlers)
    ]


_CLEANUP = (
    "it runs {}: an await there could itself be cancelled, skipping the rest of the "
    "cleanup (trio and anyio cancel every await in a cancelled scope)"
)
_SCOPE = (
    "it runs inside `{}`: awaited, it could be cut short by the scope, which on the event "
    "loop never fired during it"
)


_INTERRUPT = (
    "it runs in a `try` that catches `KeyboardInterrupt`: Ctrl-C is raised in it, on the "
    "main thread; in a worker thread it never would be, and the loop's wait would get it"
)


def lines_of(body: list[ast.stmt]) -> tuple[int, int]:
    """The first and last lines of the statements ``body``."""
    return body[0].lineno, body[-1].end_lineno


def catches_cancellation(handler: ast.ExceptHandler) -> bool:
    """Whether ``handler`` catches the exception cancellation raises."""
    return handler.type is None or _names(handler, *_CANCELLATION)


def _names(handler: ast.ExceptHandler, *names: str) -> bool:
    """Whether ``handler`` names one of the exception classes ``names``."""
    if handler.type is None:
        return False
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(last_name(name) in names for name in caught)


def region_of(regions: list[tuple[int, int, str]], line: int) -> str | None:
    """The why of the first region holding ``line``, if one does."""
    return next((why for first, last, why in regions if first <= line <= last), None)
