"""Why an await a fix adds at a line of a coroutine would change the program."""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.cancellation import (
    cancelling_scopes,
    cleanup_regions,
    interrupt_regions,
    region_of,
)
from deblock.analysis.free_locks import free_lock_reason
from deblock.analysis.resolver import Resolver
from deblock.analysis.shared_state import ModuleState
from deblock.analysis.started_tasks import starts_tasks, task_regions
from deblock.analysis.stateful_managers import manager_regions
from deblock.analysis.statement_runs import statement_runs
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.findings import Finding

if TYPE_CHECKING:  # imported where a module's findings need them (most modules have none)
    from deblock.analysis.raced_cleanup import FileWork


class AwaitHazards:
    """Why an await a fix adds at a line of coroutine ``record`` would change the program:
    cancellation meeting it, a task it started taking a step before it is used
    (``started_tasks``), other tasks running before a patch lands (``patches``), a thread
    lock held there, a raise the code expects; each kind of region found once, when first
    asked for."""

    def __init__(
        self,
        record: FunctionRecord,
        facts: ModuleFacts,
        type_of: Callable[[ast.expr], str | None],
        patching: bool,
        state: Callable[[], ModuleState],
        files: FileWork,
        mocked_outside: list[tuple[frozenset[str], str]],
        hierarchy: Resolver,
    ):
        from deblock.analysis.shared_iterations import SharedIterations

        self.record, self.type_of = record, type_of
        self.hierarchy = hierarchy  # the module's classes' method orders (a base's sides)
        self.files = files  # what tells code touching the file system
        self.mocked_outside = mocked_outside  # mocks in place for all of its run
        self.iterations, self.state = SharedIterations(record, state), state
        self.patching, self.tasks = patching, facts.tasks  # whether the module names one
        self.statements, self.lock_calls = facts.inside(record.node)

    @cached_property
    def _cleanup(self) -> list[tuple[int, int, str]]:
        return cleanup_regions(self.record.node, self.statements)

    @cached_property
    def _scopes(self) -> list[tuple[int, int, str]]:
        return cancelling_scopes(self.statements)

    @cached_property
    def _raced(self) -> list[tuple[int, int, int, int, str]]:
        from deblock.analysis.raced_cleanup import raced_regions

        return raced_regions(self.statements, self.files)

    def raced(self, line: int, finding: Finding) -> str | None:
        """Why moving ``finding``'s file-system call at ``line`` into a worker thread
        would let a cancelled coroutine's cleanup race it (``raced_cleanup``), if it would:
        a call on a private file too (in a temporary directory its ``with`` removes)."""
        if not self.files.blocks(finding.target):
            return None
        from deblock.analysis.raced_cleanup import raced_at

        return raced_at(self._raced, line, finding.section)

    @cached_property
    def _interrupted(self) -> list[tuple[int, int, str]]:
        return interrupt_regions(self.statements)

    @cached_property
    def _tasks(self) -> list[tuple[int, int, str]]:
        if not (self.tasks and starts_tasks(c.node for c in self.record.calls)):
            return []
        return task_regions(self.record.node, statement_runs(self.record))

    @cached_property
    def _patches(self) -> list[tuple[int, int, str]]:
        from deblock.analysis.patches import patch_regions, patches_state

        if not (self.patching and patches_state(self.record.calls)):
            return []
        return patch_regions(self.record.node, self.record.suspensions)

    @cached_property
    def _mocked(self) -> list[tuple[int, int, frozenset[str], str]]:
        from deblock.analysis.patches import mocked_regions

        if not self.patching:
            return []
        node = self.record.node
        whole = (node.body[0].lineno, node.end_lineno)  # type: ignore[union-attr]
        outside = [(*whole, replaced, why) for replaced, why in self.mocked_outside]
        return outside + mocked_regions(node)

    def mocked(self, line: int, strategy: str) -> str | None:
        """Why a fix of ``strategy`` at ``line`` would await a mock the coroutine put in
        place of the async library's function it awaits, if it would."""
        from deblock.analysis.patches import awaited_by

        awaited = awaited_by(strategy)
        return next(
            (why for a, b, replaced, why in self._mocked if a <= line <= b and replaced & awaited),
            None,
        )

    @cached_property
    def _locks(self) -> list[tuple[int, int, str, int, int]]:
        from deblock.analysis.held_locks import lock_regions

        return lock_regions(self.record.node, self.statements, self.lock_calls, self.type_of)

    @cached_property
    def _managers(self) -> list[tuple[int, int, str]]:
        if not any(s.__class__ in (ast.With, ast.AsyncWith) for s in self.statements):
            return []
        helpers = self.state().helpers
        return manager_regions(self.statements, self.type_of, helpers, self.hierarchy)

    @cached_property
    def _raising(self) -> list[tuple[int, int, str]]:
        from deblock.analysis.expected_raises import raise_regions

        return raise_regions(self.statements)

    def why(self, line: int, section: tuple[int, int] | None) -> str | None:
        """Why an await at ``line`` (in ``section``, which may take a lock's whole block
        into its thread) would change the program, if it would."""
        why = (
            _cleanup_staying(self._cleanup, line, section)
            or region_of(self._scopes, line)
            or region_of(self._interrupted, line)
            or region_of(self._tasks, line)
            or region_of(self._patches, line)
        )
        if why is not None:
            return why
        why = self.iterations.why(line, section)
        if why is not None:
            return why
        why = free_lock_reason(self.record, line)
        if why is not None:
            return why
        for first, last, shown, taken, freed in self._locks:
            inside = section is not None and section[0] <= taken and freed <= section[1]
            if first <= line <= last and not inside:
                return (
                    f"it runs while `{shown}`, a thread lock, is held: an await would let "
                    "other tasks run with it taken, and the first to take it would block "
                    "the event loop for good"
                )
        return region_of(self._managers, line)

    def raises(self, line: int) -> str | None:
        """Why unwrapping a bridge at ``line`` would change what the code observes."""
        why = region_of(self._raising, line)
        return None if why is None else f"{why}, and the bridge itself may be what raises"


def _cleanup_staying(
    regions: list[tuple[int, int, str]], line: int, section: tuple[int, int] | None
) -> str | None:
    """The why of the first cleanup region holding ``line`` that stays on the loop: not
    one ``section`` moves into its thread with the whole ``try`` (it starts before it)."""
    for first, last, why in regions:
        moved = section is not None and section[0] < first and last <= section[1]
        if first <= line <= last and not moved:
            return why
    return None
