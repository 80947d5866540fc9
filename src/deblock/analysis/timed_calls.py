"""Coroutines that run under a caller's timeout or cancel scope.

``await asyncio.wait_for(work(), 1)`` cancels ``work`` at its first await after the
deadline. While ``work`` blocked (``time.sleep``), the deadline could not cut it short: it
ran to its end, and ``wait_for`` returned its result. An await a fix adds in ``work`` (or in
a coroutine it awaits) is where the deadline lands: the rest of it is skipped, and the
caller gets ``TimeoutError``. So are calls awaited inside the caller's own ``async with
asyncio.timeout(...)`` (or anyio's and trio's scopes).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord

# Functions that run the coroutine they are given under a deadline.
_WAITS = frozenset({"asyncio.wait_for", "asyncio.tasks.wait_for"})
_WHY = (
    "it runs under the deadline of {} (line {}): awaited, it could be cut short there, "
    "where blocking it always ran to its end"
)


def timed_coroutines(
    functions: list[FunctionRecord],
    callees: dict[ast.AST, str],
    scope_at: Callable[[FunctionRecord, int], str | None],
) -> dict[str, str]:
    """The module's coroutines that run under a caller's deadline, each with why: those a
    coroutine hands ``asyncio.wait_for``, those it awaits inside a timeout or cancel scope
    (``scope_at(record, line)``: the scope holding that line, if any), and those they
    await in turn. ``callees``: what the coroutines' calls resolve to."""
    coroutines = {record.qualname: record for record in functions if record.is_async}
    timed: dict[str, str] = {}
    for record in coroutines.values():
        for candidate in record.calls:
            call = candidate.node
            inner = _waited_for(call, callees)
            if inner is not None and callees.get(inner) in coroutines:
                shown = f"`{ast.unparse(call.func)}(...)`"
                timed.setdefault(callees[inner], _WHY.format(shown, call.lineno))
            elif candidate.awaited and callees.get(call) in coroutines:
                scope = scope_at(record, call.lineno)
                if scope is not None:
                    timed.setdefault(callees[call], _WHY.format(f"`{scope}`", call.lineno))
    pending = list(timed)
    while pending:
        why = timed[pending[-1]]
        for candidate in coroutines[pending.pop()].calls:
            callee = callees.get(candidate.node)
            if candidate.awaited and callee in coroutines and callee not in timed:
                timed[callee] = why
                pending.append(callee)
    return timed


def _waited_for(call: ast.AST, callees: dict[ast.AST, str]) -> ast.Call | None:
    """The call whose coroutine ``call`` hands ``asyncio.wait_for``, with a deadline."""
    if not (isinstance(call, ast.Call) and callees.get(call) in _WAITS and call.args):
        return None
    deadline = call.args[1] if len(call.args) > 1 else None
    deadline = next((k.value for k in call.keywords if k.arg == "timeout"), deadline)
    if deadline is None or (isinstance(deadline, ast.Constant) and deadline.value is None):
        return None
    return call.args[0] if isinstance(call.args[0], ast.Call) else None
