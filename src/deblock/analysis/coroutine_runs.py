"""Each coroutine's runs of statements between the awaits of its call sites, and the
state they touch (``atomic_runs``): the project pass keeps callers' runs atomic."""

from __future__ import annotations

import ast

from deblock.analysis.caught_calls import caught_calls
from deblock.analysis.duck_calls import DUCK
from deblock.analysis.free_locks import ordered_names, turn_names
from deblock.analysis.inserting_reads import inserting_arguments
from deblock.analysis.modules import maybe_project
from deblock.analysis.parameter_calls import plain_arguments
from deblock.analysis.returned_parameters import dropped_results, returned_parameters
from deblock.analysis.sections import SectionPlanner
from deblock.analysis.shared_state import READ, WRITE, parameter_names, positional_parameters
from deblock.analysis.summary import CallSite, FunctionSummary
from deblock.analysis.test_paths import is_test_module
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.findings import Finding


class CoroutineRuns:
    """The judge's awaited runs of the module's coroutines."""

    def mark_awaited_runs(
        self,
        facts: ModuleFacts,
        functions: dict[str, FunctionSummary],
        entries: set[str],
        shared: dict[str, str],
    ) -> None:
        """Tell each coroutine's summary whether (and from which line to which) it suspends
        other than by awaiting its call sites, and the runs of statements only those awaits
        cross, with what they touch (``atomic_runs``): the project pass keeps callers' runs
        atomic. A coroutine no other task runs beside has none: a test pytest runs, or the
        program's first task (``entries``, by name), in a module that starts no task.
        ``shared``: the module's conditions made on another lock (``free_locks.conditions``)."""
        from deblock.analysis.atomic_runs import (
            ARGUMENT,
            argument_state,
            awaited_runs,
            called_runs,
            callee_state,
            edge_state,
            exits,
            handed_nodes,
            own_exits,
            own_head,
            own_suspensions,
            receiver_state,
            receivers,
            returned_turn,
            skipping,
            state_touches,
            taken,
            unordered_suspensions,
        )
        from deblock.analysis.zero_sleeps import zero_sleeps

        alone = self._alone(facts, entries) if not facts.tasks else set()
        planners = {planner.record.qualname: planner for planner in self._planners}
        globals_ = reached = None
        name_of = self.name_in
        for record in facts.functions:
            summary = functions.get(record.qualname) if record.is_async else None
            if summary is None:
                continue
            sites = self._call_sites(record, summary)
            for call in caught_calls(record, sites):
                summary.sites[sites[call]].caught = True
            summary.suspended = own_suspensions(record, sites)
            flowed = exits(record, self._callees.get)
            summary.preceding, summary.exits, summary.reach, summary.raising = flowed
            zeros = zero_sleeps(record, self._callees.get) if record.suspensions else []
            summary.zero_sleeps = tuple(sorted({node.lineno for node in zeros}))
            if record.ordered_locks or record.free_locks or zeros:
                summary.unordered = unordered_suspensions(record, sites, zeros)
            if record.ordered_locks or record.free_locks:
                summary.ordered = ordered_names(record, facts, name_of, shared)
                summary.returned_turn = returned_turn(record)
                state = self._module_state(facts)
                planner = planners.get(record.qualname) or SectionPlanner.bare(record, state)
                summary.turns = turn_names(planner, record, facts, name_of, shared)
                summary.reentries = planner.reentries(sites)
            # its awaits of duck-typed calls suspend, but where the project pass finds the
            # method a project's coroutine that never does: its edges and lazy uses lie there
            known = {c: i for c, i in sites.items() if not summary.sites[i].callee.startswith(DUCK)}
            suspended = (
                own_suspensions(record, known) if len(known) < len(sites) else summary.suspended
            )
            if record.qualname in alone:
                continue
            found = (self._found.get(c.node) for c in record.calls)
            mine = [self.findings[i] for i in found if i is not None]
            if globals_ is None:
                globals_ = self._helpers(facts).globals | self._awaited_objects(facts, functions)
                reached = globals_ | self._project_imports()
            # awaited, it runs whole: the state it touches counts in its callers' runs,
            # should a fix of its own or of a coroutine it awaits make it suspend, or a fix of
            # the caller's come between what it touches and the caller's own accesses. Its
            # callers may be in other modules (``helpers.coroutine_0()``, writing its
            # ``COUNT`` or ``LEDGER.count`` of ``from ledgers import LEDGER``, after the
            # caller read it: ``bench/fix_fuzz.py --objects --modules 2`` seed 109175).
            whole = not summary.suspends and (bool(reached) or record.instance is not None)
            access = self._helpers(facts).access(record)
            received = []  # the calls on an object of its state: the callee's self is it
            dropped = dropped_results(record) if sites else {}
            for call, i in sites.items():  # what of its state it hands the coroutines
                summary.sites[i].dropped = dropped.get(call, ())
                project = maybe_project(summary.sites[i].callee)
                receiver = receiver_state(call, access, globals_) if project else ()
                received += [call] if receiver else []
                summary.sites[i].arguments = argument_state(call, access, globals_) + receiver
            # what it reads of its state, a coroutine it awaits on its instance (or of its
            # module), or one it hands that state, may write, or read
            shares = any(
                self._shares_state(summary.sites[i]) or summary.sites[i].arguments
                for i in sites.values()
            )
            looked_up = receivers(received) | _imported_callees(record, reached - globals_)
            called = self._call_sites(record, summary, awaited=False)
            if called:
                writes = bool(record.state_writes or record.sets_items)
                resources = [f.line for f in mine if f.resource]
                arguments = {
                    call: argument_state(call, access, globals_)
                    for call in called
                    if isinstance(call, ast.Call)
                }
                reaching = {c.node: c for c in record.calls}
                for call, handed in arguments.items():
                    site = summary.sites[called[call]]
                    site.arguments = handed
                    site.plain = plain_arguments(call, handed, self.resolver, reaching[call])
                    site.inserting = inserting_arguments(call, handed, record)
                others = reached - globals_
                summary.called = called_runs(
                    record, called, access, writes, resources, arguments, others, looked_up
                )
            # a token of shared state taken beside findings of its own: their fixes' awaits
            # let the tasks go on in another order than they took their tokens in
            tokened = bool(mine) and bool(taken(record.node.body, access))
            runs = (
                tokened
                or len(sites) > 1
                or (
                    sites
                    and (
                        record.state_writes or mine or shares or called or _repeated(record, sites)
                    )
                )
            )
            # what it does to its parameters' state its callers' arguments may be
            handed = tuple(positional_parameters(record))
            # it may suspend: what it touches of that state before its first suspension and
            # after its last runs with its callers' statements around the await
            edged = (summary.suspends or bool(sites)) and (
                bool(reached) or record.instance is not None or bool(handed)
            )
            state = None
            if whole or edged or handed or tokened or (runs and (record.state_writes or shares)):
                touches, skipped = state_touches(record, access, reached - globals_), looked_up
                state = skipping(touches, skipped)
            if edged:
                # its state up to a raising call too: a caller may catch it (``raising``)
                ways = summary.exits + summary.raising
                returns = own_exits(record, sites, summary.preceding, ways)
                head = own_head(record, sites, summary.preceding, summary.reach)
                params = access.params
                summary.edges = edge_state(state, suspended, reached, params, returns, head)
            planner = planners.get(record.qualname)
            lazy = planner is not None and (suspended or runs)
            uses = planner.lazy_uses() if lazy else []
            if suspended:
                # a lazy result does its I/O where it is iterated, maybe past a suspension
                summary.lazy = tuple((line, key, mode == WRITE) for line, key, mode in uses)
            if runs:
                touched = [_touch(f) for f in mine]
                # its reads of the arguments handing its state are the calls' part
                handing = state is not None and handed_nodes(sites, access, globals_)
                ran = skipping(touches, skipped | handing) if handing else state
                summary.runs = awaited_runs(record, sites, touched, ran, reached, uses, called)
                named = {key for run in summary.runs for _, _, key, mode, *_ in run if mode}
                summary.run_parameters = tuple(sorted(named & parameter_names(record)))
            if whole or (handed and not summary.suspends):
                own = callee_state(state, reached, access.params)
                argued = tuple(t for t in own if t[0].startswith(ARGUMENT))
                summary.state = own if whole else argued
            keys = [key for _, key, _ in summary.edges] + [key for key, _ in summary.state]
            keys += [key for i in sites.values() for _, key in summary.sites[i].arguments]
            if any(key.startswith(ARGUMENT) for key in keys):
                summary.parameters = handed
                summary.returned = returned_parameters(record, access.params, access.callees)

    def _project_imports(self) -> set[str]:
        """The names the module imports from what may be the project (``import helpers``,
        ``from ledgers import LEDGER``): the state their attributes reach (``helpers.COUNT``,
        ``LEDGER.count``) is other modules' globals, which a coroutine of theirs it awaits
        may touch (``atomic_runs``' runs, ``callee_state``, ``edge_state``)."""
        return {name for name, qualname in self.imported.items() if maybe_project(qualname)}

    def _awaited_objects(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]):
        """The other modules' objects the module's coroutines await methods of
        (``atomic_runs.awaited_objects``): state of theirs as the module's globals are."""
        from deblock.analysis.atomic_runs import awaited_objects

        helpers = self._helpers(facts)
        found: set[str] = set()
        for record in facts.functions:
            if record.is_async and record.qualname in functions:
                found |= awaited_objects(record, helpers.access(record), self.imported)
        return found

    def _shares_state(self, site: CallSite) -> bool:
        """Whether the coroutine ``site`` awaits may touch its caller's state: a method of
        the caller's instance, or a coroutine of its module."""
        return site.on_instance or site.callee.startswith(f"{self.module}.")

    def _alone(self, facts: ModuleFacts, entries: set[str]) -> set[str]:
        """The coroutines no other task runs beside, in a module that starts no task: tests
        (pytest runs one at a time) and the program's first task (``entries``)."""
        test = is_test_module(self.path)
        alone = set()
        for record in facts.functions:
            outer, _, name = record.qualname.rpartition(".")
            if (test and name.startswith("test")) or (
                name in entries and outer == facts.scope.qualname
            ):
                alone.add(record.qualname)
        return alone

    def _call_sites(
        self, record: FunctionRecord, summary: FunctionSummary, awaited: bool = True
    ) -> dict:
        """The calls coroutine ``record`` awaits (with ``awaited`` false: makes with no
        await, another module's sync function maybe, whose effects the project pass knows)
        that are its call sites (not bridged), each with the site's index in ``summary``."""
        spans = {
            s.span: i for i, s in enumerate(summary.sites) if s.awaited == awaited and not s.bridged
        }
        return {
            c.node: i
            for c in record.calls
            if c.awaited == awaited and spans and (i := spans.get(self._span(c.node))) is not None
        }


def _touch(finding: Finding) -> tuple[int, str, str]:
    """A finding's line, resource and mode (its target and no mode when it touches no
    resource), as a coroutine's run records it (``atomic_runs``)."""
    mode = (WRITE if finding.writes else READ) if finding.resource else ""
    return finding.line, finding.resource or finding.target, mode


def _imported_callees(record: FunctionRecord, imports: set[str]) -> set[ast.AST]:
    """The functions and methods ``record`` calls as attributes of names the module imports
    (``helpers.save``, ``LEDGER.add`` of ``imports``): looked up, not state it reads."""
    return {
        call.node.func
        for call in record.calls
        if call.node.__class__ is ast.Call
        and call.node.func.__class__ is ast.Attribute
        and call.node.func.value.__class__ is ast.Name
        and call.node.func.value.id in imports
    }


def _repeated(record: FunctionRecord, sites: dict[ast.AST, int]) -> bool:
    """Whether a loop of coroutine ``record`` awaits one of ``sites`` again in its next
    round (read only for a lone site: two or more make a run whatever their loops)."""
    from deblock.analysis.atomic_runs import loop_rounds

    looped = loop_rounds(record.node.body)
    return any(looped(node.lineno) for node in sites)
