"""Sections: statements of a coroutine that a fix must move into a worker thread as one unit.

Between two suspension points (``await``, ``async for``, ``async with``, ``yield``) a
coroutine runs with no other task interleaving: each synchronous segment is atomic. A fix
that adds an ``await`` inside a segment lets other tasks run there. When a segment touches
a shared resource (the file system, a database, ``self.x``, a global or nonlocal, a
mutable argument) more than once and writes it, the statements from its first access to
its last form a section: the fix moves them into one thread helper run by one caller at a
time, so concurrent callers stay serialised as they were. A section that cannot move
(it returns midway, leaves a loop, calls what must stay on the event loop) is declined,
and so is a thread-affine value (a sqlite3 connection) made or used outside one section.
The unsafe fixes of a declined section's own calls split it with their awaits: what is left
between them that can move is offered as unsafe too.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Iterator
from functools import cached_property
from itertools import takewhile
from typing import TYPE_CHECKING

from deblock.analysis.checked_writes import CheckedWrites
from deblock.analysis.confined_objects import ConfinedObjects
from deblock.analysis.fix_shapes import ITERATION
from deblock.analysis.lone_tests import Lines, in_lines
from deblock.analysis.nodes import own_nodes, parents
from deblock.analysis.process_streams import TORN, ModuleStreams, stream_reason
from deblock.analysis.section_accesses import SectionAccesses
from deblock.analysis.section_chains import SectionChains
from deblock.analysis.section_moves import SectionMoves
from deblock.analysis.section_partners import keep_partners, unlocked
from deblock.analysis.section_rereads import SectionRereads
from deblock.analysis.shared_state import WRITE, ModuleState, positional_parameters, whole_reads
from deblock.analysis.started_overtaking import keep_started
from deblock.analysis.state_splits import atomic_reason, listed
from deblock.analysis.statement_exits import jumps_out, returns_in
from deblock.analysis.statement_runs import statement_runs
from deblock.analysis.temporary_files import in_temporary, makes_private, temporary_names
from deblock.analysis.zero_sleep_overtaking import keep_overtaken
from deblock.findings import Finding, decline
from deblock.rules.network import TOKEN_CALLS
from deblock.rules.resources import RESOURCE_OF_CODE, shown_resource
from deblock.rules.twins import TWIN_CALLS

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord

_BRIDGE = "to-thread"
_EXTERNAL = frozenset(RESOURCE_OF_CODE.values())
_PROJECT_CODE = "the state of project code that blocks"


def plan_module_sections(
    planners: list[SectionPlanner],
    sync_io: list[tuple[str, str]],
    state: ModuleState,
    streams: ModuleStreams,
    lone: Lines = (),
    others: list[SectionPlanner] = (),
) -> None:
    """Attach section facts (or the reason a safe fix is declined) to the findings of a
    module's coroutines, each with its planner; ``sync_io`` are the accesses of the
    blocking calls of the module's sync functions (``sync_access``); ``streams``: its
    writes of the process's standard streams; ``lone``: the lines of its lone tests
    (``lone_tests``); ``others``: planners of its coroutines with no findings, which may
    overtake a fixed one (``keep_overtaken``).

    A resource one of the module's calls writes and its calls touch more than once is
    shared between them: every call of a coroutine that touches it joins a section, so
    the module's lock serialises it with the sections that write it, as the event loop
    did (a call moved into a thread alone could read a file while another thread
    rewrites it). Sync functions count: a section a fix made is one. A section that uses
    ``self.x`` or a global which code left on the event loop uses too (one of them
    writing it) is declined: the lock does not serialise the loop. So is one that reads
    such state more than once where the module writes it elsewhere: on the loop no write
    came between those reads.
    """
    touched: dict[str, list[str]] = {}
    accesses = [a for p in planners for a in p.external_accesses()] + sync_io
    for resource, mode in accesses:
        touched.setdefault(resource, []).append(mode)
    shared = {r for r, modes in touched.items() if WRITE in modes and len(modes) > 1}
    for planner in planners:
        planner.run(shared, state, streams, lone)
        planner.mark_resources()
    keep_overtaken(planners, others, state)
    keep_started(planners, others, state)
    locked = {node for planner in planners for _, inside in planner.sections for node in inside}
    for planner in planners:
        for indices, inside in planner.sections:
            partners = state.partners(planner.function, inside)
            why = state.conflict(planner.function, inside, locked - inside)
            for index in indices:
                planner.findings[index] = planner.findings[index]._replace(state=partners)
                reason = planner.findings[index].section_reason
                if why:
                    atomic = f"the statements that {reason} must stay atomic, but {why}"
                    planner.decline(index, atomic, unsafe=True)
    for planner in planners:
        planner.keep_shared_arguments(state)
    findings = planners[0].findings if planners else []
    for resource in shared:
        unlocked(findings, resource, lone)
    keep_partners(findings)


class SectionPlanner(
    SectionAccesses, SectionChains, SectionRereads, CheckedWrites, SectionMoves, ConfinedObjects
):
    """Plans the sections of one coroutine (``record``, the walk's).

    ``found`` maps the coroutine's finding nodes to their index in ``findings``;
    ``callees`` maps its calls to the qualified names they resolve to; ``helpers``: the
    module's sync functions' writes of shared state (``HelperEffects``); ``bound``: its nodes
    that must stay on the event loop's thread (``thread_bound.Bound``); ``lines``: the
    module's (``positions.LineIndex``).

    Its concerns are mixed in, sharing its state: what statements touch
    (``section_accesses``), runs joined across blocks' edges (``section_chains``), what a
    run reads twice (``section_rereads``), tests before writes (``checked_writes``), making
    or declining a section (``section_moves``) and what must stay within one
    (``confined_objects``).
    """

    def __init__(
        self, record: FunctionRecord, found, findings, callees, call_returns, helpers, bound, lines
    ):
        self.record = record
        self.function = record.node
        self.bound = bound
        self.lines = lines
        self.found = found
        self.findings = findings
        self.callees = callees
        self.call_returns = call_returns
        self.state = helpers.access(record)
        # Names of files and databases only this call uses (temporary files): not shared.
        self.private = temporary_names(
            self.function,
            [n for n, i in found.items() if makes_private(findings[i].code, findings[i].target, n)],
        )
        self.placed: set[int] = set()
        self.shared: set[str] = set()
        self.module_state: ModuleState | None = None
        self.lone = False  # a lone test (``lone_tests``): no other task runs its statements
        self.sections: list[tuple[list[int], set[ast.AST]]] = []  # (findings, nodes) moved
        self.blocked: list[list[ast.stmt]] = []  # the sections declined whole
        # (the ``async with`` on an asyncio lock, what the runs do): runs that go on through
        # the wait at its entry or exit and touch what other tasks change (``_keep_joined``):
        # an await in any body of the lock would let other code in while they wait there
        self.turns: list[tuple[ast.AsyncWith, str]] = []
        # (the ``async with`` on a free lock, what the runs do): sections held on the event
        # loop because they take it, where no holder waits (``_section``): an await in a
        # body of the lock elsewhere (another module's, reaching the instance) would let
        # other code in between their statements
        self.free_turns: list[tuple[ast.AsyncWith, str]] = []
        # (state, or a name imported from another module; first line, last line): read
        # twice by statements of a run, which the module does not write (another module
        # may: ``Judge.reread_globals``)
        self.reread: set[tuple[str, int, int]] = set()
        # (state, or a name imported from another module; first line, last line; what
        # else the run touches that other tasks may change): read by a run that also
        # touches the other, which the module does not write (another module may:
        # ``Judge.read_beside``)
        self.beside: set[tuple[str, int, int, str]] = set()
        # (one state, another; first line, last line): both read by a run in statements from
        # the first to the last, neither written by the module (other modules may write
        # both: ``Judge.read_pairs``)
        self.pairs: set[tuple[str, str, int, int]] = set()
        # (``stdout`` or ``stderr``, first line, last line): a section that writes the stream
        # in its thread, with no other writer of it in the module (another module's may be:
        # ``project.streams``)
        self.moved_streams: set[tuple[str, int, int]] = set()
        # (two reads of a parameter whole, why): a section holding both would race the
        # module's code that may change the object on the event loop (``_parameter_rereads``)
        self.unheld: list[tuple[set[ast.AST], str]] = []
        self.segments = statement_runs(record)

    def external_accesses(self) -> Iterator[tuple[str, str]]:
        """Each access of the file system or a database by the coroutine's calls, those
        in statements that await too (a ``while`` test, a call given an ``await``)."""
        for segment in self.segments:
            for statement in segment:
                for resource, modes in self._accesses(statement).items():
                    if resource in _EXTERNAL:
                        yield from ((resource, mode) for mode in modes)
        spans = sorted(
            ((s.lineno, s.col_offset), (s.end_lineno, s.end_col_offset))
            for segment in self.segments
            for s in segment
        )
        starts = [start for start, _ in spans]
        for node in self.found:
            i = bisect_right(starts, (node.lineno, node.col_offset)) - 1
            if i < 0 or spans[i][1] < (node.end_lineno, node.end_col_offset):
                yield from self._resource_access(node)  # in no run: its statement awaits

    def keep_shared_arguments(self, state: ModuleState) -> None:
        """Decline a lone call's thread bridge when it hands the thread an object the
        event loop changes in place meanwhile (``json.dump(self.items, fh)``)."""
        for node, index in self.found.items():
            finding = self.findings[index]
            if finding.strategy == _BRIDGE and isinstance(node, ast.Call):
                why = state.handed(self.function, node)
                if why is not None:
                    self.decline(index, why, unsafe=True)

    def mark_resources(self) -> None:
        """Name on each finding the resource its call touches, and whether it writes."""
        for node, index in self.found.items():
            access = next(self._resource_access(node), None)
            if access is not None:
                resource, mode = access
                finding = self.findings[index]
                self.findings[index] = finding._replace(resource=resource, writes=mode == WRITE)

    def run(
        self, shared: set[str], state: ModuleState, streams: ModuleStreams, lone: Lines = ()
    ) -> None:
        """Plan with ``shared``: the resources other accesses of the module write; ``state``:
        the module's uses of ``self.x`` and globals; ``streams``: its writes of the process's
        standard streams; ``lone``: the lines of the module's lone tests."""
        from deblock.analysis.apart_twins import apart_swaps

        self.shared, self.module_state = shared, state
        self.lone = in_lines(self.function.body[0].lineno, lone)
        in_runs: set[int] = set()
        for segment in self.segments:
            indices = [self.found[n] for s in segment for n in own_nodes(s) if n in self.found]
            in_runs.update(indices)
            apart = apart_swaps([self.findings[i] for i in indices])
            span = (segment[0].lineno, segment[-1].end_lineno)
            for index, finding in zip(indices, apart, strict=True):
                if finding.code in TWIN_CALLS:
                    finding = finding._replace(segment=span)
                self.findings[index] = finding
            if indices:
                self._segment(segment)
                self._keep_process_state(segment, indices)
        self.keep_chains()
        for node, index in self.found.items():
            if index not in self.placed and self._affine(self.findings[index], node):
                why = "it is not made and used between the same two awaits"
                if self.findings[index].target.rpartition(".")[0] in TOKEN_CALLS:
                    why = "it would be bridged alone, apart from its other calls on the lock"
                self.decline(index, self._affinity_reason(node, why))
            elif index not in in_runs:
                self._keep_outside_runs(node, index)
        self._keep_checks()
        self._keep_path_checks()
        self._keep_streams(streams)

    def handed(self, call: ast.Call, callee: SectionPlanner) -> frozenset[str]:
        """The names of coroutine ``callee`` that hold a temporary file of this one's
        (``self.private``, or a path built in one): the parameters ``call`` binds to one,
        which ``callee`` never rebinds, and what it binds to them (``temporary_names``).
        Each call's own file (``tempfile``'s are distinct by construction), where a
        parameter alone may be handed the same path by every caller."""
        if not self.private:
            return frozenset()
        places = positional_parameters(callee.record, bound=call.func.__class__ is ast.Attribute)
        given = takewhile(lambda a: a.__class__ is not ast.Starred, call.args)
        bound = [*zip(places, given, strict=False), *((k.arg, k.value) for k in call.keywords)]
        walked = ast.walk(callee.function)
        stored = {
            n.id for n in walked if n.__class__ is ast.Name and n.ctx.__class__ is not ast.Load
        }
        params = {p for p, v in bound if p and p not in stored and in_temporary(v, self.private)}
        return frozenset(temporary_names(callee.function, [], frozenset(params)))

    @classmethod
    def bare(cls, record: FunctionRecord, state: ModuleState) -> SectionPlanner:
        """A planner of coroutine ``record``, which has no findings, only to ask what its
        statements touch of the module's ``state`` (``contended_in``, ``reentries``) and the
        turns its runs take at an ordered lock (``turns``: a coroutine with no blocking call
        of its own may wait its turn where it finds a lock free)."""
        planner = cls(record, {}, [], {}, None, state.helpers, None, None)
        planner.module_state = state
        if record.ordered_locks:
            planner.keep_chains()
        return planner

    def _keep_outside_runs(self, node: ast.AST, index: int) -> None:
        """Decline the safe fix of a call on a resource the module shares that runs in a
        statement that awaits (a ``while`` test, the items of a ``with`` block that awaits):
        no section can take it, and moved alone into a thread it would not take their lock."""
        access = next(self._resource_access(node), None)
        if self.findings[index].strategy and access and access[0] in self.shared:
            why = (
                "it runs in a statement that awaits: it cannot join the sections that keep this"
                f" module's calls on {access[0]} atomic, and alone in a thread it would not take"
                " their lock"
            )
            self.decline(index, why, unsafe=True)

    def _keep_streams(self, streams: ModuleStreams) -> None:
        """Decline the safe fix of a call, or a section, that writes the process's
        ``sys.stdout`` or ``sys.stderr`` (``stream_writes``) when something else may write the
        same stream while its thread runs: the coroutine elsewhere, another function of the
        module (``streams``), or, with no lock around it (no section), the coroutine's own
        other calls, each in its thread. On the loop a write in pieces (``json.dump``) comes
        whole; in a thread other writes come between its pieces (aiologger 0.7.0's
        ``Handler.handle_error``: its newline on the loop; its stream handlers), and threads
        writing one stream at once tear its buffer. No lock the fix takes reaches the writers
        on the loop, nor other modules' (not weighed)."""
        own = [(at, name) for _, function, at, name in streams.writes if function is self.function]
        if not own:
            return
        for node, index in self.found.items():
            finding = self.findings[index]
            if finding.strategy is None:
                continue
            if finding.section:
                start, end = (finding.section[0], 0), (finding.section[1] + 1, 0)
            else:
                start = (node.lineno, node.col_offset)
                end = (node.end_lineno, node.end_col_offset)
            moved = sorted({name for at, name in own if start <= at < end})
            if not moved:
                continue
            beside = [
                (f"line {at[0]}", name)
                for at, name in own
                if name in moved and not start <= at < end
            ] + [
                (f"`{qualname}` at line {at[0]}", name)
                for qualname, function, at, name in streams.writes
                if name in moved and function is not self.function
            ]
            if beside:
                where, name = beside[0]
                why = stream_reason(name, where)
            elif not finding.section:
                why = (
                    f"it writes `sys.{moved[0]}` in a worker thread no lock holds: the "
                    "coroutine's other calls would write the stream from their threads at once, "
                    f"and {TORN}"
                )
            else:
                self.moved_streams.update((name, *finding.section) for name in moved)
                continue
            self.decline(index, why, unsafe=True)

    def _keep_process_state(self, segment: list[ast.stmt], indices: list[int]) -> None:
        """Decline the safe fixes of a run of statements that changes what the whole
        process sees (``atomic_reason``)."""
        why = atomic_reason(segment, self.bound.process)
        for index in indices if why else ():
            if self.findings[index].strategy is not None:
                self.decline(index, why, unsafe=True)

    # -- sections -----------------------------------------------------------

    def _segment(self, statements: list[ast.stmt], split: bool = False) -> None:
        """Plan the sections of run ``statements``; ``split``: they are what is left of a
        declined section between its calls' own unsafe fixes (``split_declined``)."""
        spans: list[tuple[int, int, str]] = []
        accesses = [self._accesses(s) for s in statements]
        external = {r for a in accesses for r in a} & _EXTERNAL
        opaque = [self._opaque(s) for s in statements]
        for touched in (t for t, unknown in zip(accesses, opaque, strict=True) if unknown):
            for resource in external:  # project code that blocks may touch the same files
                touched.setdefault(resource, []).append(WRITE)
        for resource in sorted({r for a in accesses for r in a}):
            where = [i for i, a in enumerate(accesses) if resource in a]
            modes = [mode for i in where for mode in accesses[i][resource]]
            name = shown_resource(resource)
            if WRITE in modes and len(modes) > 1:
                spans.append((where[0], where[-1], f"read and write {name}"))
            elif resource in self.shared:
                why = (
                    f"write {name}, which other calls of this module use"
                    if WRITE in modes
                    else f"read {name}, which this module also writes"
                )
                spans.append((where[0], where[-1], why))
            elif resource in self.state.params:
                spans += self._parameter_rereads(statements, resource)
            elif self._read_sites(statements[where[0] : where[-1] + 1], self._reads(resource)) > 1:
                if self.module_state.writes(self.function, resource):
                    why = f"read {name} twice, which this module also writes"
                    spans.append((where[0], where[-1], why))
                else:
                    lines = (statements[where[0]].lineno, statements[where[-1]].end_lineno)
                    self.reread.add((resource, *lines))
        touched = {r for a in accesses for r in a}
        for name in sorted(self._aliases.keys() - touched):  # read through its aliases alone
            spans += self._parameter_rereads(statements, name)
        self._imported_rereads(statements)
        spans += self._together(accesses, opaque)
        self._read_beside(statements, accesses, opaque)
        spans += self._lifetimes(statements)
        for first, last, resources in _merged(spans):
            chosen = statements[first : last + 1]
            if len(chosen) == 1 and isinstance(chosen[0], ast.AsyncWith):
                self._segment(chosen[0].body, split)  # a free lock's: what it holds moves
                continue
            branch = self._narrowed(chosen)
            if branch is not None:
                self._segment(branch, split)
                continue
            if statements[-1] is self.function.body[-1] and returns_in(chosen):
                last = len(statements) - 1  # on to the coroutine's end: the helper returns
            chosen = statements[first : last + 1]
            indices = [self.found[n] for s in chosen for n in own_nodes(s) if n in self.found]
            if split:
                self._split_section(chosen, indices, resources)
            elif any(self._fixable(self.findings[i]) for i in indices):
                self._section(chosen, indices, resources)

    def _narrowed(self, chosen: list[ast.stmt]) -> list[ast.stmt] | None:
        """The one branch of an ``if``, ``chosen`` alone, that holds its findings, when its
        test is steady (``steady_test``) and the branch neither returns nor leaves a loop: its
        sections are planned in it alone, and the test and the other branch stay on the loop
        (pyatv 0.18.0's ``artwork_save``: its ``else`` prints). On the path through the other
        branch nothing is moved and no await added; on the path through this one the run is
        what precedes the ``if`` and the branch, and no statement before the ``if`` shares a
        section with it (else ``chosen`` would hold more), nor one after it."""
        from deblock.analysis.steady_tests import steady_test

        statement = chosen[0]
        if len(chosen) > 1 or statement.__class__ is not ast.If:
            return None
        holding = [
            branch
            for branch in (statement.body, statement.orelse)
            if any(n in self.found for s in branch for n in own_nodes(s))
        ]
        if len(holding) != 1 or returns_in(holding[0]) or jumps_out(holding[0]):
            return None
        return holding[0] if steady_test(statement.test, self.function) else None

    def _together(self, accesses: list[dict[str, list[str]]], opaque: list[bool]):
        """The statements from the first to the last that touch a contended resource, when
        the run (``accesses``: its statements') touches more than one: on the event loop the
        run's accesses of all of them come in one piece, so every task's order is the same
        across them (a file's keys and a table's); an await between two lets another task's
        come between on one of them and not the other. Project code that blocks
        (``opaque``: which statements call it) may write anything."""
        accesses, contended = self._contended_in(accesses, opaque)
        if len(contended) < 2:
            return []
        where = [i for i, touched in enumerate(accesses) if touched.keys() & set(contended)]
        if where[0] == where[-1]:
            return []  # one statement: what it hands a thread is weighed as it is handed
        return [(where[0], where[-1], f"touch {listed(contended)} together")]

    def _contended_in(
        self, accesses: list[dict[str, list[str]]], opaque: list[bool]
    ) -> tuple[list[dict[str, list[str]]], list[str]]:
        """The ``accesses`` of a run's statements, with what project code that blocks may
        write (``opaque``: which statements call it), and the resources among them other
        tasks may change while the run waits (``_contended``), sorted."""
        modes: dict[str, list[str]] = {}
        accesses = [
            {**touched, _PROJECT_CODE: [WRITE]} if unknown else touched
            for touched, unknown in zip(accesses, opaque, strict=True)
        ]
        for touched in accesses:
            for resource, kinds in touched.items():
                modes.setdefault(resource, []).extend(kinds)
        return accesses, sorted(r for r, kinds in modes.items() if self._contended(r, kinds))

    def _read_beside(
        self, statements: list[ast.stmt], accesses: list[dict[str, list[str]]], opaque: list[bool]
    ) -> None:
        """Note the state run ``statements`` only reads, which the module never writes
        (``accesses``: its statements'; a name imported from another module read whole
        too, ``whole_reads``), when the run also touches a resource other tasks may change
        (``_contended_in``), in another statement: the statements from the first to the
        last that touch either. Another module may write the state (``Judge.read_beside``),
        and then the two are contended, to be kept together as ``_together`` keeps them.
        So too two such states, in ``pairs``: other modules may write both."""
        accesses, contended = self._contended_in(accesses, opaque)
        imported = self.state.imported
        keys = [
            {*touched, *(node.id for node in whole_reads([statement], imported, self.state))}
            for touched, statement in zip(accesses, statements, strict=True)
        ]
        where: dict[str, list[int]] = {}  # the statements touching each
        for i, touched in enumerate(keys):
            for resource in touched:
                where.setdefault(resource, []).append(i)
        others = sorted(where.keys() & set(contended))
        read = sorted(where.keys() - set(contended) - _EXTERNAL)
        for resource in read if contended else ():
            lines = self._lines(statements, [where[r] for r in (resource, *others)])
            if lines:
                self.beside.add((resource, *lines, contended[0]))
        for i, resource in enumerate(read):
            for other in read[i + 1 :]:
                lines = self._lines(statements, [where[resource], where[other]])
                if lines:
                    self.pairs.add((resource, other, *lines))

    @staticmethod
    def _lines(statements: list[ast.stmt], where: list[list[int]]) -> tuple[int, int] | None:
        """The first and last lines of ``statements`` from the first to the last of those
        at ``where`` (the indices of each resource's), when they are not one statement."""
        first, last = min(w[0] for w in where), max(w[-1] for w in where)
        return (statements[first].lineno, statements[last].end_lineno) if first < last else None

    def _contended(self, resource: str, modes: list[str]) -> bool:
        """Whether other tasks may change ``resource`` while a run that touches it (with
        ``modes``) waits: the run writes it (another call of it may too), or other code does."""
        if WRITE in modes:
            return True
        if resource in _EXTERNAL:
            return resource in self.shared
        return self.module_state.writes(self.function, resource)

    def decline(self, index: int, reason: str, unsafe: bool = False) -> None:
        self.findings[index] = decline(self.findings[index], reason, unsafe)

    def _fixable(self, finding: Finding) -> bool:
        """Whether ``finding`` has a fix a section can make: an iteration's is its loop's."""
        movable = finding.unfixable in (None, ITERATION)
        return movable and bool(finding.strategy or finding.unsafe_strategy)

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        return parents(self.function)


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, list[str]]]:
    """Overlapping ``(first, last, why)`` spans joined."""
    merged: list[tuple[int, int, list[str]]] = []
    for first, last, resource in sorted(spans):
        if merged and first <= merged[-1][1]:
            start, end, resources = merged[-1]
            merged[-1] = (start, max(end, last), [*resources, resource])
        else:
            merged.append((first, last, [resource]))
    return merged
