"""Tasks overtaking at zero sleeps: an await a fix adds before what other tasks reach in order.

A zero sleep hands tasks back in the order they came (``zero_sleeps``), so a coroutine that
suspends only there reaches its statements a fixed number of the loop's rounds after it
started: in ``await asyncio.sleep(0); ORDER.append(...)`` the append comes in the round after
the start, in ``await asyncio.sleep(0); await asyncio.sleep(0); ORDER.append(...)`` one round
later. Tasks started together then touch shared state in one order. A safe fix's await in a
coroutine that so far suspended only at zero sleeps hands its task on in the order its
thread ends, some rounds later: the statements after it in its run (its tail) then come
after what other tasks, suspending only at zero sleeps and as many of them at least, reach
in the original after that tail (fix_fuzz 560001: ``['removed', 'listed']`` became
``['listed', 'removed']``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from deblock.analysis.nodes import own_nodes
from deblock.analysis.shared_state import WRITE
from deblock.analysis.zero_sleeps import zero_sleeps
from deblock.rules.resources import shown_resource

if TYPE_CHECKING:
    from deblock.analysis.shared_state import ModuleState

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_ZERO = "zero sleeps (`asyncio.sleep(0)`), which hands tasks back in the order they came,"


def keep_overtaken(planners: list, others: list, state: ModuleState) -> None:
    """Decline each safe fix of ``planners``' coroutines (``sections.SectionPlanner``s)
    whose await comes after only zero sleeps, ``j`` of them, one at least (a first run may
    start at any time), and before statements of its run that touch a resource which a
    statement of the module's coroutines (``planners`` and ``others``), reached after only
    zero sleeps, ``j`` at least, touches too, one of them writing it."""
    if not planners:
        return
    callee_of = planners[0].callees.get
    reached = [
        (planner, depth, statement, _keyed(planner, state, planner.run_accesses([statement])))
        for planner in (*planners, *others)
        for depth, statement in _ordered_steps(planner, callee_of)
        if depth
    ]
    if not reached:
        return
    for planner in planners:
        zeros = set(zero_sleeps(planner.record, callee_of))
        for node, index in planner.found.items():
            finding = planner.findings[index]
            if finding.strategy is None:
                continue
            first, last = finding.section or (finding.line, finding.end_line)
            depth = _depth_at(planner, zeros, first)
            run = next((r for r in planner.segments if node in _nodes(r)), None)
            if not depth or run is None:  # a first run's start may come at any time
                continue
            tail = [s for s in run if s.lineno > last]
            touched = _keyed(planner, state, planner.run_accesses(tail))
            # another coroutine's statement first: its own other tasks' come last
            for other, at, statement, touches in sorted(reached, key=lambda r: r[0] is planner):
                conflict = _conflict(touched, touches) if at >= depth else None
                if conflict is not None:
                    planner.decline(index, _reason(conflict, other, statement), unsafe=True)
                    break


def _ordered_steps(
    planner, callee_of: Callable[[ast.AST], str | None]
) -> Iterator[tuple[int, ast.stmt]]:
    """The statements of the coroutine's body (its top level) reached from its start
    suspending only at zero sleeps, each with how many of them come before it; up to the
    first statement that suspends elsewhere."""
    zeros = set(zero_sleeps(planner.record, callee_of))
    others = [s for s in planner.record.suspensions if s not in zeros]
    depth = 0
    for statement in planner.function.body:
        inside = set(own_nodes(statement))
        if any(s in inside for s in others):
            return
        yield depth, statement
        depth += sum(1 for z in zeros if z in inside)


def _depth_at(planner, zeros: set[ast.AST], line: int) -> int | None:
    """How many zero sleeps come before ``line`` of the coroutine when all its suspensions
    before it are zero sleeps and none lies in a loop around it (a later round would come
    after them); None otherwise."""
    suspensions = set(planner.record.suspensions)
    before = [s for s in suspensions if s.lineno < line]
    if any(s not in zeros for s in before):
        return None
    for statement in planner.function.body:
        if statement.lineno <= line <= statement.end_lineno and isinstance(statement, _LOOPS):
            if any(s in suspensions for s in own_nodes(statement)):
                return None
    return len(before)


def _nodes(run: list[ast.stmt]) -> set[ast.AST]:
    return {n for s in run for n in own_nodes(s)}


def _keyed(planner, state: ModuleState, touched: dict[str, list[str]]) -> dict[tuple, list[str]]:
    """``touched`` by whose state each resource is across the module's functions (an
    instance's attribute by class, a global or an outside resource by name); a parameter's
    is left out (another function's parameter may hold another object)."""
    access, _, cls = state.access(planner.function)
    keyed: dict[tuple, list[str]] = {}
    for resource, modes in touched.items():
        if resource in access.params:
            continue
        key = state.key(resource, access, cls) or (None, resource)
        keyed.setdefault(key, []).extend(modes)
    return keyed


def _conflict(mine: dict[tuple, list[str]], theirs: dict[tuple, list[str]]) -> str | None:
    """A resource both touch, one of them writing it, as shown."""
    for key in sorted(mine.keys() & theirs.keys(), key=str):
        if WRITE in mine[key] or WRITE in theirs[key]:
            return shown_resource(key[1] if key[0] is None else f"self.{key[1]}")
    return None


def _reason(shown: str, other, statement: ast.stmt) -> str:
    return (
        f"the statements after it touch {shown}, which `{other.function.name}` (line "
        f"{statement.lineno}) touches too after {_ZERO} come in one order across tasks: an "
        "await here would let other tasks overtake this one before them"
    )
