"""Why no await may be added at a line of a coroutine's run of statements: the run changes
what the whole process sees, or reads and writes shared state around that line (the project
pass's call sites, which get no section).
"""

from __future__ import annotations

import ast
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.nodes import own_nodes
from deblock.analysis.shared_state import WRITE, HelperEffects, StateAccess
from deblock.analysis.thread_bound import first_bound
from deblock.rules.resources import shown_resource

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord


def listed(resources: list[str]) -> str:
    """Resources as a reason lists them: ``the file system, `a` and `b```."""
    names = [shown_resource(r) for r in resources]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def atomic_reason(segment: list[ast.stmt], changes: dict[ast.AST, str]) -> str | None:
    """Why no await may be added in run of statements ``segment``, if it changes what the
    whole process sees (``changes``: ``Bound.process``; ``os.environ``, ``os.chdir``): the
    loop's other tasks would run under a change none of them saw on the loop."""
    why = first_bound((n for s in segment for n in own_nodes(s)), changes)
    return why and f"the statements between the same two awaits must stay atomic: {why}"


def atomic_reason_at(
    runs: list[list[ast.stmt]], line: int, changes: dict[ast.AST, str], splits: StateSplits | None
) -> str | None:
    """Why no await may be added at ``line`` of a coroutine (``runs``: its
    ``statement_runs``): its run of statements changes what the whole process sees
    (``atomic_reason``), or reads and writes shared state before and after it (``splits``)."""
    for segment in runs:
        if segment[0].lineno <= line <= segment[-1].end_lineno:
            why = atomic_reason(segment, changes) if changes else None
            return why or (splits and splits.reason(segment, line))
    return None


class StateSplits:
    """The statements of a coroutine's runs without an await that read and write one piece
    of shared state (``self.x``, a global, a mutable argument): an await a fix adds among
    them lets other tasks in between. The project pass's call sites get no section, so
    their fixes are kept out. Only runs holding a write the walk saw are read
    (``FunctionRecord.state_writes``), or a line of ``handing``: a breaker's call that runs
    a sync function of the project (``HelperEffects.runs``)."""

    def __init__(self, record: FunctionRecord, helpers: HelperEffects, handing: list[int]):
        self.record, self.helpers = record, helpers
        self.writes = [*record.state_writes, *handing]
        self._spans: dict[int, list[tuple[int, int, str]]] = {}  # by the run's first line

    def reason(self, segment: list[ast.stmt], line: int) -> str | None:
        """Why an await added at ``line`` of run ``segment`` falls between such statements."""
        first, last = segment[0].lineno, segment[-1].end_lineno
        if not any(first <= write <= last for write in self.writes):
            return None
        if first not in self._spans:
            self._spans[first] = self._written(segment)
        at = next((i for i, s in enumerate(segment) if s.lineno <= line <= s.end_lineno), -1)
        held = (does for start, end, does in self._spans[first] if start <= at <= end)
        does = next(held, None)
        return (
            does and f"an await there would let other tasks run between the statements that {does}"
        )

    @cached_property
    def _state(self) -> StateAccess:
        return self.helpers.access(self.record)

    def _written(self, segment: list[ast.stmt]) -> list[tuple[int, int, str]]:
        """(first, last statement, what they do) of each resource the run reads and writes,
        and of all those it writes when they are more than one: every task writes them in
        the same order."""
        uses: dict[str, list[tuple[int, str]]] = {}
        for i, statement in enumerate(segment):
            for node in own_nodes(statement):
                for resource, mode in self._state.touches(node):
                    uses.setdefault(resource, []).append((i, mode))
        written = sorted(r for r, where in uses.items() if any(m == WRITE for _, m in where))
        spans = [
            (where[0][0], where[-1][0], f"read and write {shown_resource(resource)}")
            for resource in written
            if len(where := uses[resource]) > 1
        ]
        if len(written) > 1:
            where = sorted(i for r in written for i, _ in uses[r])
            spans.append((where[0], where[-1], f"write {listed(written)}"))
        return spans
