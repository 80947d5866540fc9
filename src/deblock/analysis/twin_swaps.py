"""Twin findings of project classes: a sync method swapped for its coroutine twin,
withheld where the swap would change the program; breakers' handed code."""

from __future__ import annotations

import ast
from functools import partial
from typing import NamedTuple

from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import own_nodes
from deblock.analysis.passed_arguments import keyword_names
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.symbols import Obj, Ref, Symbol
from deblock.analysis.twins import (
    HANDS_A_FUNCTION,
    awaited_twin,
    no_twins,
    reaches,
    starts_tasks_on_the_loop,
    swap_hazard,
    threaded_code,
    twin_entry,
    unpaired_override,
)
from deblock.analysis.walker import Candidate
from deblock.rules.model import Blocking


class Swap(NamedTuple):
    """A twin finding of a project class, judged once every function is summarised."""

    entry: Blocking
    callee: Symbol
    shown: str
    candidate: Candidate
    handed_coroutine: bool
    handed_code: str | None  # the module's sync function a breaker's ``call`` is handed
    summary: FunctionSummary  # the coroutine making the call's
    caller: str  # its name
    receiver: str  # the class of the object called
    owner: str  # the class defining the sync method
    twin_owner: str  # the class defining the twin


class TwinSwaps:
    """The judge's twin findings and what a breaker's ``call`` is handed."""

    def settle_swaps(self, functions: dict[str, FunctionSummary]) -> None:
        """Report the twin findings of project classes; a swap that would change the
        program (the call passes a keyword the twin does not take, ...) is withheld. A pair
        that differs is no twins (``no_twins``), nor is an override and its base's coroutine
        (``unpaired_override``), nor a pair whose coroutine itself reaches the call (it runs
        the method on the event loop: no evidence that the method waits): the call is left
        to the project pass, as a call of a method without one."""

        def callees(qualname: str) -> list[str]:
            function = functions.get(qualname)
            return [] if function is None else function.callees()

        for swap in self._swaps:
            name, twin = swap.callee.qualname.rpartition(".")[2], swap.entry.async_twin
            signatures = (
                self.resolver.classes[swap.owner].signatures.get(name),
                self.resolver.classes[swap.twin_owner].signatures.get(twin),
            )
            base_own = self.resolver.owner(swap.twin_owner, name)
            owners = (swap.owner, swap.twin_owner, base_own)
            extends = name in self.resolver.classes[swap.owner].extends
            inside = reaches(f"{swap.twin_owner}.{twin}", swap.caller, callees)
            if no_twins(*signatures) or unpaired_override(owners, extends) or inside:
                self._project_site(swap.callee, swap.candidate, swap.summary, False)
                continue
            in_thread = threaded_code(
                self.resolver.classes[swap.twin_owner].in_thread.get(twin, ()),
                partial(self.resolver.owner, swap.receiver),
                swap.twin_owner,
            )
            awaited_at = awaited_twin(self._awaited, twin, self.resolver.owner, swap.twin_owner)
            self.report(
                swap.entry,
                swap.callee.qualname,
                swap.shown,
                swap.candidate,
                handed_coroutine=swap.handed_coroutine,
                handed_code=swap.handed_code,
                hazard=swap_hazard(
                    name,
                    twin,
                    signatures,
                    False,
                    owners,
                    in_thread,
                    awaited_at,
                    keyword_names(swap.candidate.node),
                ),
                loop_bound=starts_tasks_on_the_loop(signatures[0]),
            )

    def _handed(self, callee: Symbol, candidate: Candidate) -> Symbol | None:
        """What a breaker's ``call`` is handed to run (its first positional argument)."""
        handed = _given_to_run(callee, candidate.node)
        if handed is None:
            return None
        return self.resolver.resolve(handed, candidate.scope, candidate.reaching)

    def _handed_code(
        self, callee: Symbol, candidate: Candidate, handed: Symbol | None, coroutine
    ) -> str | None:
        """The project's own sync code a breaker's ``call`` at ``candidate`` runs: what it
        is ``handed``, not a ``coroutine`` function, or what its lambda calls. Swapped for
        ``call_async``, it would run in a worker thread."""
        if handed is not None:
            return handed.qualname if coroutine is False else None
        return self._lambda_callee(callee, candidate)

    def _lambda_callee(self, callee: Symbol, candidate: Candidate) -> str | None:
        """The project's own code a lambda handed to a breaker's ``call`` calls (``lambda:
        tally(x)``): the module's sync functions, or any of its package's."""
        handed = _given_to_run(callee, candidate.node)
        if not isinstance(handed, ast.Lambda):
            return None
        for node in own_nodes(handed.body):
            if node.__class__ is ast.Call:
                called = self.resolver.called(node.func, candidate.scope, candidate.reaching)
                if called is not None and (
                    self.resolver.is_coroutine(called) is False
                    or (maybe_project(called.qualname) and self._same_package(called.qualname))
                ):
                    return called.qualname
        return None

    def _creates_generator(self, callee: Ref | Obj | None) -> bool:
        """Whether ``callee`` is a sync generator method of this module's classes."""
        if not isinstance(callee, Obj) or callee.path.count(".") != 1:
            return False
        record = self.resolver.method_record(callee.cls, callee.path[1:])
        return record is not None and record.is_generator and not record.is_async

    def _blocking_entry(self, callee: Ref | Obj) -> Blocking | None:
        entry = self.catalogue.blocking(callee.qualname)
        if entry is not None or not isinstance(callee, Obj) or callee.path.count(".") != 1:
            return entry
        return twin_entry(
            callee.qualname,
            lambda name: self.resolver.method(callee.cls, name),
            self.twins,
            lambda name: self.resolver.signature(callee.cls, name),
        )


def _given_to_run(callee: Symbol, call: ast.Call) -> ast.expr | None:
    """The first positional argument of ``call`` when ``callee`` is a breaker's ``call``
    (a method of that name, ``HANDS_A_FUNCTION``)."""
    if callee.qualname.rpartition(".")[2] not in HANDS_A_FUNCTION or not call.args:
        return None
    return call.args[0]
