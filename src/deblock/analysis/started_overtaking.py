"""Tasks a coroutine starts, overtaking it at an await a fix adds.

``asyncio.create_task(note(i))`` (or ``ensure_future``, a ``TaskGroup``'s ``create_task``,
``asyncio.gather(note(i), ...)``, anyio's or trio's ``start_soon(note, i)``) hands the task
to the loop, which runs it only when the starting coroutine next suspends: on the loop the
statements that follow the start in the same run all come before any of the task's. An
await a fix adds among them lets the task run first: in ``create_task(note(i));
time.sleep(0.002); ORDER.append(("main", i))`` every ``note`` appended after its starter, and
before it once the sleep was awaited. Such a fix is declined when the statements after it
touch what the started coroutine touches (its whole body and the module's coroutines it
calls: it may run to its end while a thread works), one of them writing it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import last_name, own_nodes
from deblock.analysis.started_tasks import STARTS
from deblock.analysis.zero_sleep_overtaking import Walks, conflict, keyed

if TYPE_CHECKING:
    from deblock.analysis.shared_state import ModuleState

_STARTS = STARTS | {"gather"}  # ``gather`` wraps each coroutine it is handed in a task
_STARTS_SOON = frozenset({"start_soon"})  # handed the coroutine function and its arguments


def keep_started(planners: list, others: list, state: ModuleState) -> None:
    """Decline each safe fix of ``planners``' coroutines (``sections.SectionPlanner``s)
    whose await comes after a start of a task, in the same run, of one of the module's
    coroutines (``planners`` and ``others``) when the run's statements after the fix touch
    a resource the started coroutine touches, one of them writing it. Not in a lone test
    (``lone_tests``)."""
    if not planners:
        return
    callee_of = planners[0].callees.get
    coroutines = {p.record.qualname: p for p in (*planners, *others)}
    walks = Walks(coroutines, callee_of)
    for planner in (p for p in planners if not p.lone):
        _keep(planner, coroutines, walks, state)


def _keep(planner, coroutines: dict, walks: Walks, state: ModuleState) -> None:
    """Decline ``planner``'s safe fixes that a task started before them would overtake."""
    for node, index in planner.found.items():
        finding = planner.findings[index]
        if finding.strategy is None:
            continue
        first, last = finding.section or (finding.line, finding.end_line)
        run = next((r for r in planner.segments if any(node is n for n in _nodes(r))), None)
        if run is None:
            continue
        tail = [s for s in run if s.lineno > last]
        after = keyed(planner, state, planner.run_accesses(tail))
        for _, statement, owner, names in walks.after(planner, run[-1]):  # in the same run
            for key, modes in keyed(owner, state, owner.run_accesses([statement], names)).items():
                after.setdefault(key, []).extend(modes)
        if not after:
            continue
        for start, started in _started(run, first, coroutines, walks.callee_of):
            touched = _touched(started, coroutines, walks.callee_of)
            shown = next(
                (c for p in touched if (c := conflict(after, keyed(p, state, _body(p))))), None
            )
            if shown is not None:
                planner.decline(index, _reason(shown, started, start), unsafe=True)
                break


def _started(run: list[ast.stmt], first: int, coroutines: dict, callee_of) -> list:
    """(the start's line, the started coroutine's planner) for each task start of one of
    ``coroutines`` in ``run`` before line ``first``."""
    starts = []
    for node in (n for s in run for n in own_nodes(s)):
        if node.__class__ is not ast.Call or node.lineno >= first:
            continue
        name = last_name(node)
        if name in _STARTS:
            handed = [a for a in node.args if a.__class__ is ast.Call]
            names = [callee_of(a) for a in handed]
        elif name in _STARTS_SOON and node.args:
            names = [_function_name(node.args[0], coroutines)]
        else:
            continue
        starts.extend((node.lineno, coroutines[n]) for n in names if n in coroutines)
    return starts


def _function_name(handed: ast.expr, coroutines: dict) -> str | None:
    """The qualified name of the module-level coroutine function ``handed`` names, if it
    names one."""
    if handed.__class__ is not ast.Name:
        return None
    return next(
        (
            name
            for name, planner in coroutines.items()
            if planner.function.name == handed.id and planner.record.scope.kind == "module"
        ),
        None,
    )


def _touched(started, coroutines: dict, callee_of) -> list:
    """``started`` and the module's coroutines it calls, directly or through others."""
    reached = [started]
    for planner in reached:
        for call in planner.record.calls:
            callee = coroutines.get(callee_of(call.node))
            if callee is not None and callee not in reached:
                reached.append(callee)
    return reached


def _body(planner) -> dict[str, list[str]]:
    return planner.run_accesses(planner.function.body)


def _nodes(run: list[ast.stmt]) -> list[ast.AST]:
    return [n for s in run for n in own_nodes(s)]


def _reason(shown: str, started, line: int) -> str:
    return (
        f"the statements after it touch {shown}, which `{started.function.name}` (line "
        f"{started.function.lineno}) touches too, in a task started at line {line} before "
        "them: on the event loop it cannot run before these statements, and an await here "
        "would let it"
    )
