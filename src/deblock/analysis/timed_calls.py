"""Coroutines that run under a caller's timeout or cancel scope.

``await asyncio.wait_for(work(), 1)`` cancels ``work`` at its first await after the
deadline. While ``work`` blocked (``time.sleep``), the deadline could not cut it short: it
ran to its end, and ``wait_for`` returned its result. An await a fix adds in ``work`` (or in
a coroutine it awaits) is where the deadline lands: the rest of it is skipped, and the
caller gets ``TimeoutError``. So are calls awaited inside the caller's own ``async with
asyncio.timeout(...)`` (or anyio's and trio's scopes). The module pass follows such calls to
its own coroutines (``timed_coroutines``: the module alone, as ``fix_source`` and the
LibCST codemods see it), the project pass to every module's (``project.deadlines``); both
with ``awaited_in_turn``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from deblock.analysis.modules import maybe_project

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord

# Functions that run the coroutine they are given under a deadline.
_WAITS = frozenset({"asyncio.wait_for", "asyncio.tasks.wait_for"})


def timed_calls(
    functions: list[FunctionRecord],
    callees: dict[ast.AST, str],
    scope_at: Callable[[FunctionRecord, int], str | None],
) -> list[tuple[ast.Call, str]]:
    """The calls whose coroutine a caller runs under a deadline, each with the deadline as
    shown: those handed to ``asyncio.wait_for``, and those awaited inside a timeout or
    cancel scope (``scope_at(record, line)``: the scope holding that line, if any).
    ``callees``: what the coroutines' calls resolve to."""
    found = []
    for record in functions:
        for candidate in record.calls if record.is_async else ():
            call = candidate.node
            inner = _waited_for(call, callees)
            if inner is not None:
                found.append((inner, f"`{ast.unparse(call.func)}(...)`"))
            elif candidate.awaited and maybe_project(callees.get(call, "builtins")):
                scope = scope_at(record, call.lineno)
                if scope is not None:
                    found.append((call, f"`{scope}`"))
    return found


def timed_coroutines(
    functions: list[FunctionRecord],
    callees: dict[ast.AST, str],
    timed: list[tuple[ast.Call, str]],
) -> dict[str, str]:
    """The module's coroutines that run under a caller's deadline (``timed_calls``), and
    those they await in turn, each with why (other modules' are the project pass's)."""
    coroutines = {record.qualname: record for record in functions if record.is_async}
    reasons: dict[str, str] = {}
    for call, shown in timed:
        if callees.get(call) in coroutines:
            reasons.setdefault(callees[call], deadline_reason(shown, f"line {call.lineno}"))

    def awaited(coroutine: str) -> list[str]:
        calls = coroutines[coroutine].calls
        return [callees[c.node] for c in calls if c.awaited and callees.get(c.node) in coroutines]

    return awaited_in_turn(reasons, awaited)


def awaited_in_turn(
    reasons: dict[str, str], awaited: Callable[[str], Iterable[str]]
) -> dict[str, str]:
    """``reasons`` (coroutine → why), with the coroutines they await in turn
    (``awaited(coroutine)``: the coroutines it awaits), each with the why of the first that
    reaches it."""
    reasons = dict(reasons)
    pending = list(reasons)
    while pending:
        why = reasons[pending[-1]]
        for callee in awaited(pending.pop()):
            if callee not in reasons:
                reasons[callee] = why
                pending.append(callee)
    return reasons


def deadline_reason(shown: str, place: str) -> str:
    """Why a coroutine run under deadline ``shown`` (set at ``place``) gets no await."""
    return (
        f"it runs under the deadline of {shown} ({place}): awaited, it could be cut short "
        "there, where blocking it always ran to its end"
    )


def _waited_for(call: ast.AST, callees: dict[ast.AST, str]) -> ast.Call | None:
    """The call whose coroutine ``call`` hands ``asyncio.wait_for``, with a deadline."""
    if not (isinstance(call, ast.Call) and callees.get(call) in _WAITS and call.args):
        return None
    deadline = call.args[1] if len(call.args) > 1 else None
    deadline = next((k.value for k in call.keywords if k.arg == "timeout"), deadline)
    if deadline is None or (isinstance(deadline, ast.Constant) and deadline.value is None):
        return None
    return call.args[0] if isinstance(call.args[0], ast.Call) else None
