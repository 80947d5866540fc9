"""The sections a coroutine's fixes move together (``sections``), planned for the
module, and what they tell the project pass of the state beyond it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from deblock.analysis.lone_tests import Lines
from deblock.analysis.module_uses import state_key
from deblock.analysis.modules import maybe_project
from deblock.analysis.process_streams import ModuleStreams
from deblock.analysis.section_partners import PARAMETER
from deblock.analysis.sections import SectionPlanner, plan_module_sections
from deblock.analysis.shared_state import WRITE, positional_parameters
from deblock.analysis.statement_runs import segment_spans
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.walker import ModuleFacts
from deblock.rules.twins import TWIN_CALLS


class JudgedSections:
    """The judge's sections and the state they move or read."""

    def segments(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]) -> None:
        """Give each coroutine's summary its runs of statements between awaits that hold two
        or more of its call sites and twin findings: the project's findings at the sites
        may share a run with each other, or with these findings."""
        for record in facts.functions:
            summary = functions[record.qualname]
            if not (record.is_async and summary.sites):
                continue
            lines = [site.line for site in summary.sites]
            for candidate in record.calls:
                index = self._found.get(candidate.node)
                if index is not None and self.findings[index].code in TWIN_CALLS:
                    lines.append(self.findings[index].line)
            if len(lines) > 1 and (spans := segment_spans(record, lines)):
                summary.segments = spans  # set only when any, as the cache reads it back

    def sections(self, facts: ModuleFacts, lone: Lines, streams: ModuleStreams) -> None:
        """Attach to each coroutine's findings the sections a fix moves together (``lone``:
        the lines of the module's lone tests, ``lone_tests``; ``streams``: the module's
        writes of the standard streams)."""
        planners = []
        for record in facts.functions:
            found = {c.node: self._found[c.node] for c in record.calls if c.node in self._found}
            if record.is_async and found:
                planners.append(
                    SectionPlanner(
                        record,
                        found,
                        self.findings,
                        self._callees,
                        self.catalogue.call_returns,
                        self._helpers(facts),
                        self._bound(record),
                        self.lines,
                    )
                )
        if planners:
            state = self._module_state(facts)
            io = [access for _, access in self._sync_accesses(facts)]
            mine = {planner.record.node for planner in planners}
            others = [
                SectionPlanner.bare(record, state)
                for record in facts.functions
                if record.is_async and record.node not in mine
            ]
            plan_module_sections(planners, io, state, streams, lone, others)
        self._planners = planners

    def moved_globals(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, int, int, bool], ...]:
        """(module, name, first line, last line, whether it writes it) of the project
        modules' globals that a section of safe fixes moves into a thread (its lines): the
        module's own, another's it imports, and (class, ``self.x``) of its instance's
        (``state_key``; ``own``: the module's name and globals holding state; ``names``: its,
        ``module_names``); other modules' uses are the project pass's to weigh."""
        moved = set()
        for planner, inside in self._moved_sections():
            access = planner.state
            lines = [n.lineno for n in inside if hasattr(n, "lineno")]
            touched: dict[tuple[str, str], bool] = {}
            for resource, mode in (t for node in inside for t in access.touches(node)):
                if (key := self._key(planner, resource, own, names)) and key[0] != PARAMETER:
                    touched[key] = touched.get(key, False) or mode == WRITE
            moved |= {(*key, min(lines), max(lines), w) for key, w in touched.items()}
        return tuple(sorted(moved))

    def moved_streams(self) -> tuple[tuple[str, int, int], ...]:
        """(``stdout`` or ``stderr``, first line, last line) of the sections whose safe fixes
        write the stream in a thread, no other code of the module writing it
        (``SectionPlanner.moved_streams``): another module's writes would come between."""
        return tuple(sorted({span for p in self._planners for span in p.moved_streams}))

    def _moved_sections(self) -> Iterator[tuple[SectionPlanner, set[ast.AST]]]:
        """The nodes of each section that safe fixes move into a thread, with its planner."""
        for planner in self._planners:
            for _, inside in planner.sections:
                found = (self._found.get(node) for node in inside)
                if any(i is not None and self.findings[i].safe_fix for i in found):
                    yield planner, inside

    def mark_handed_state(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]) -> None:
        """Tell each coroutine's summary the state of its parameters its sections move
        (``FunctionSummary.moves``), and what of the state it hands a coroutine it awaits
        (its instance, to its own methods) the module writes (``loop_writes``), and, with
        runs, of its instance and the module's globals, which those runs read: the project
        pass weighs the two for another module's coroutine (``project.handed_sections``),
        and two reads of such state around an await of one that never suspends
        (``atomic_callers``), handed to it or not."""
        from deblock.analysis.handed_state import moved_parameters, written_handed

        for planner, inside in self._moved_sections():
            moved = moved_parameters(planner.state, inside)
            if moved:
                summary = functions[planner.record.qualname]
                summary.moves = (*summary.moves, *moved)
                summary.parameters = tuple(positional_parameters(planner.record))
        own = f"{self.module}."
        for record in facts.functions:
            summary = functions.get(record.qualname) if record.is_async else None
            awaited = [s for s in (summary.sites if summary else ()) if s.awaited]
            runs = bool(summary and summary.runs)
            if not runs:  # no runs: only another module's is weighed
                awaited = [s for s in awaited if not s.callee.startswith(own)]
            handed = {
                key for site in awaited if maybe_project(site.callee) for _, key in site.arguments
            }
            handed |= {"self" for site in awaited if site.on_instance}
            written = self._module_state(facts).written if handed or runs else ()
            if runs:  # other tasks' writes between its reads, handed or not
                handed |= {"self"} if record.instance else set()
                handed |= {name for owner, name in written if owner is None}
            if handed:
                kin = self.resolver.kin(record.instance[1]) if record.instance else frozenset()
                summary.loop_writes = written_handed(handed, written, kin)

    def reread_globals(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, int, int], ...]:
        """(module, name, first line, last line) of the project modules' globals that a run
        of a coroutine reads twice around a safe fix and the module never writes, a name
        imported from one among them, (``PARAMETER``, ``ledger.count``) of a parameter's
        attributes, and (class, ``self.x``) of its instance's attributes
        (``SectionPlanner.reread``, ``state_key``; ``own`` and ``names`` as ``moved_globals``
        takes them): an await there lets another module that writes them change them
        between, or a function of another module the module hands them to
        (``handed_state``)."""
        return tuple(sorted(self._beyond(lambda p: p.reread, own, names)))

    def read_beside(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, int, int, str], ...]:
        """(module, name, first line, last line, the other resource) of the project
        modules' globals, a name imported from one among them, and (class, ``self.x``) of
        its instance's attributes, that a run of a coroutine reads, which the module never
        writes, around a safe fix, with another resource other tasks may change
        (``SectionPlanner.beside``; ``own`` and ``names`` as ``moved_globals`` takes them):
        an await there lets another module that writes the state change it between the
        run's accesses of the two."""
        return tuple(sorted(self._beyond(lambda p: p.beside, own, names)))

    def read_pairs(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, str, str, int, int], ...]:
        """(module, name, module, name, first line, last line) of two states beyond the
        module (as ``read_beside`` takes them, or (``PARAMETER``, ``ledger.sold``) of a
        parameter's attribute: it may be any object's) that a run of a coroutine reads,
        which the module never writes, around a safe fix (``SectionPlanner.pairs``): an await
        there lets other modules that write both change one between the run's reads of the
        two."""
        found = set()
        for planner in self._planners:
            for one, another, first, last in planner.pairs:
                keys = [self._key(planner, r, own, names) for r in (one, another)]
                if all(keys) and keys[0] != keys[1]:
                    if self._safe_within(planner, first, last):
                        found.add((*keys[0], *keys[1], first, last))
        return tuple(sorted(found))

    def _beyond(self, noted, own: tuple[str, set[str]], names: dict[str, str]) -> set[tuple]:
        """The entries ``noted`` gives of each planner ((resource, first line, last line,
        more...)), as (owner, name, first line, last line, more...) of the state beyond the
        module the resource is (``_key``), when a safe fix lies within the lines."""
        found = set()
        for planner in self._planners:
            for resource, first, last, *more in noted(planner):
                key = self._key(planner, resource, own, names)
                if key and self._safe_within(planner, first, last):
                    found.add((*key, first, last, *more))
        return found

    @staticmethod
    def _key(planner, resource: str, own: tuple[str, set[str]], names: dict[str, str]):
        """What state beyond the module ``resource``, read in ``planner``'s coroutine, is
        (``state_key``), or (``PARAMETER``, ``ledger.count``) of a parameter's attribute."""
        head, dot, _ = resource.partition(".")
        if dot and head in planner.state.params and head != planner.state.self_name:
            return PARAMETER, resource
        record = planner.record
        instance = (planner.state.self_name, record.instance[1]) if record.instance else None
        return state_key(resource, instance, own, names)

    def _safe_within(self, planner, first: int, last: int) -> bool:
        """Whether a safe fix of ``planner``'s coroutine lies within lines ``first`` to
        ``last``."""
        inside = (self.findings[i] for i in planner.found.values())
        return any(f.safe_fix and first <= f.line <= last for f in inside)

    def split_declined_sections(self) -> None:
        """Offer as unsafe what is left of each declined section between the unsafe fixes
        of its calls (``SectionPlanner.split_declined``), the module's fixes settled."""
        for planner in self._planners:
            planner.split_declined(self.findings, self._found)
        self._planners = []
