"""Callers whose atomic runs a fix in a coroutine they await would split.

A coroutine that never suspends (``FunctionSummary.suspends`` false, and every coroutine it
awaits is such a one) runs whole when awaited: the caller's statements around the await
run with no other task in between (``analysis.atomic_runs``). A safe fix in it adds an
await, and its callers' runs split there. When a run reads and writes one resource (the
file system, a database, ``self.x`` or a global, the caller's or one the callee or what it
awaits in turn touches) across such an await, or reads twice one that other code writes (a
file system or database a blocking call of the project writes, ``self.x`` or a global the
module writes), or reads two such (a listing, then a count others move on as they make
files), the fixes that make the callee suspend are
declined, offered as unsafe: its own and those of what it awaits in turn, and the caller's
own safe fixes in the run (all those on the same resource, or of the same target). A callee
that suspends runs its statements before its first suspension with the caller's before the
await, and those after its last with the caller's after it: their fixes, and the caller's,
are weighed so too (what they touch: the callee's own findings there, and the caller's state
it reads or writes there, ``FunctionSummary.edges``). A callee's state includes that of its
parameters, which is the caller's where the call hands it its own (``CallSite.arguments``:
``helpers.number(self, key)`` writing ``owner.table`` writes the caller's ``self.table``).
An object the caller awaits a method of, or hands a coroutine it awaits, is state other code
writes when some module writes its class's instances' attributes or the global naming it
(``store.LEDGER.count += 1``), also when it is another module's (``store.LEDGER``, or
``LEDGER`` imported by name, whose ``count`` the caller's runs name ``LEDGER.count``:
``atomic_runs.awaited_objects``). A run that passes the entry of the caller's own
``async with`` on an asyncio lock between two such accesses goes on there at once only where
it finds the lock free: the fixes in any body of that lock are declined (``turn_bodies``;
fix_fuzz ``--lock-locals --turns`` 370019). A callee that comes with no suspension to each
of its ``async with`` blocks on an asyncio lock and suspends only in their bodies runs what
comes before, between and after the blocks in the order the tasks asked for the locks: the
caller's run goes on across the await as one piece, as around such blocks in its own body
(fix_fuzz ``--lock-locals --turns`` 398047); so does one that suspends elsewhere only at
zero sleeps (``analysis.zero_sleeps``), where tasks come back in the order they came.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import cache
from itertools import takewhile
from typing import NamedTuple

from deblock.analysis.atomic_runs import (
    ARGUMENT,
    ENTERED,
    LOCKED,
    RECEIVER,
    TAKE,
    TESTED,
    overlaps,
    own_key,
)
from deblock.analysis.duck_calls import duck_method
from deblock.analysis.free_locks import ORDERED_SHOWN
from deblock.analysis.returned_parameters import dropped_parameters
from deblock.analysis.section_partners import ANY
from deblock.analysis.shared_state import WRITE
from deblock.analysis.summary import ModuleSummary
from deblock.analysis.suspension_flow import first_after, firsts, last_before, lasts
from deblock.findings import Finding
from deblock.project.atomic_reach import reaching
from deblock.project.handed_sections import handed_key
from deblock.project.helper_writes import changed_arguments, helper_touches
from deblock.project.index import ProjectIndex, read_again
from deblock.project.kin_writes import KinWrites
from deblock.project.lock_names import lock_identity
from deblock.project.module_globals import changed_state, global_users, object_changers
from deblock.project.processes import Side
from deblock.project.reentered_awaits import reentered_spans
from deblock.project.server_calls import either, kept_writes, on_server
from deblock.project.shared_io import Span, decline_kept, span_order
from deblock.project.summaries import ModuleSummaries, qualified_state
from deblock.project.turn_bodies import TurnBodies
from deblock.rules.resources import SERVER, shown_resource


def atomic_spans(
    source: ModuleSummaries,
    findings: dict[str, list[Finding]],
    again: dict[str, ModuleSummary] | None = None,
    wanted: set[str] | None = None,
) -> dict[str, list[Span]]:
    """By path, the coroutines (or the caller's calls on a resource) whose safe fixes would
    split a caller's atomic run. ``findings``: every finding of the run, by path; ``again``:
    by path, the summaries of modules analysed again knowing which of the names they enter
    are other modules' asyncio locks or managers that never suspend (``ordered_locks``),
    read in place of their first ones: a coroutine that waits only at such a lock runs with
    its callers' statements. ``wanted``: the paths whose spans are asked for (a one-file
    run's), weighing only the callers that may decline a fix there (``atomic_reach``)."""
    index, summaries = read_again(source, again)
    callees = _Callees(index, findings, summaries, source)
    bodies = TurnBodies(index, callees.modules)
    kin = KinWrites(index, callees.modules)
    spans: dict[str, set[Span]] = defaultdict(set)
    callers = list(summaries)
    for summary in reaching(index, callers, wanted, bodies) if wanted is not None else callers:
        for qualname, function in summary.functions.items():
            guessed = callees.changed_parameters(summary.path, function) if function.runs else ()
            written = (
                (
                    *function.loop_writes,
                    *callees.received(summary.path, qualname, function),
                    *callees.imported_written(summary.path, qualname, _own_state(function)),
                    *kin.written(summary.path, qualname, _own_state(function)),
                    *guessed,
                )
                if function.runs
                else ()
            )
            for run in function.runs:
                locked = any(site == LOCKED for _, site, *_ in run)
                for piece in callees.pieces(summary.path, function, run):
                    touched = {r for event in piece for r in event.touched} - {*written}
                    more = callees.imported_written(summary.path, qualname, touched)
                    torn = callees.torn(summary.path, piece, (*written, *more), guessed)
                    where = (summary.path, qualname, function)
                    for culprit, does, crossed in torn:
                        if culprit[0] == _ENTRY:  # its own turn: any body of the lock
                            for path, span in bodies.spans(culprit[1:], where, does):
                                spans[path].add(span)
                            continue
                        waited = callees.waited(summary.path, run, function)
                        edges = crossed == {"edge"} or culprit[0] == "lines"
                        held = "turn" in crossed and "whole" not in crossed
                        across = (edges, locked, bool(waited), held, not crossed)
                        why = _reason(qualname, summary.path, function.line, does, across)
                        for path, span in callees.declined(culprit, where, why):
                            spans[path].add(span)
                        for path, span in bodies.spans(waited, where, does):
                            spans[path].add(span)
            for path, span in reentered_spans(callees, (summary.path, qualname, function)):
                spans[path].add(span)
            for name, does in function.turns:
                where = (summary.path, qualname, function)
                lock = lock_identity(index, name) if name else ""
                for path, span in bodies.spans((lock,), where, does):
                    spans[path].add(span)
    callees.release()
    kin.release()
    return {path: sorted(found, key=span_order) for path, found in spans.items()}


# The culprit of the entry of a caller's own ``async with`` on an asyncio lock its run
# passes (``atomic_runs.ENTERED``), with the lock: a fix in any body of it makes the run wait.
_ENTRY = "entry"


class _Event(NamedTuple):
    """What one statement of a caller's run does: the resources it touches (with whether
    it writes them), who a fix there would make suspend (``("own", resource)``: the
    caller's call; ``("callee", name)``; ``("lines", name, first, last)``: a callee's
    statements around its suspensions), the line of the caller's finding, the branches it
    lies in and the loops whose rounds run it again (``atomic_runs.Event``), and whether it
    awaits a coroutine: ``"whole"`` one that never suspends, ``"edge"`` one whose
    statements before its first suspension or after its last run with the caller's,
    ``"turn"`` (its head) one that suspends only in the body of an ``async with`` on an
    asyncio lock it comes to with no suspension (``_Callees._held_turn``); and the shared
    state it takes the next token of (``atomic_runs.TAKE``), or takes only to test it
    (``atomic_runs.TESTED``); whether its findings' calls on shared clients that name no
    resource write the server (None: it makes none; ``server_calls``); and the resources a
    coroutine it awaits whole, or the head or tail of one that suspends, reads, then writes
    (``_Callees._rewritten``: a counter file read, then written back)."""

    position: int
    touched: dict[str, bool]
    culprit: tuple | None
    line: int
    branches: tuple[tuple[int, int], ...]
    loops: tuple[int, ...]
    awaits: str = ""
    taken: frozenset[str] = frozenset()
    tested: frozenset[str] = frozenset()
    server: bool | None = None
    rewritten: frozenset[str] = frozenset()

    def apart(self, other: _Event) -> bool:
        """Whether the two lie in different branches of one ``if`` or ``match``."""
        if not (self.branches and other.branches):
            return False
        mine = dict(self.branches)
        return any(mine.get(line, branch) != branch for line, branch in other.branches)


class _Callees:
    """The project's coroutines as callers' runs see them: whether one never suspends,
    whether a safe fix in it (or in one it awaits) would make it, what it touches. Any
    object a module's state may hold is written only by the modules that may run beside
    it (``source``'s ``ModuleSummaries.meeting``)."""

    def __init__(
        self,
        index: ProjectIndex,
        findings: dict[str, list[Finding]],
        summaries,
        source: ModuleSummaries,
    ):
        self.index = index
        self.modules = {summary.path: summary for summary in summaries}
        self.source = source
        self.findings = {p: sorted(fs, key=lambda f: f.line) for p, fs in findings.items()}
        self.lines = {p: [f.line for f in fs] for p, fs in self.findings.items()}
        # the resources (files, databases) some blocking call of the project writes
        self.written = {f.resource for fs in findings.values() for f in fs if f.writes}
        self.atomic = cache(self._atomic)
        self.gained = cache(self._gained)
        self.touches = cache(self._touches)
        self.rewritten = cache(self._rewritten)
        self.servers = cache(self._servers)
        self.state = cache(self._state_of)
        self.edges = cache(self._edges)
        self.named = cache(self._named)
        self._visiting: dict[str, set[str]] = defaultdict(set)  # by question: in progress
        # by side (``ModuleSummaries.side``), the classes whose instances' attributes some
        # module beside it writes, and whether some module beside it changes some object
        self.instances_written = cache(self._instances_written)
        self.objects = cache(self._objects)
        # the project modules' globals some module writes or changes, by qualified name
        # (``ProjectIndex.global_name``), with the objects whose attributes it writes
        # through a name imported (``LEDGER.count = n``, ``from store import LEDGER``:
        # ``ModuleSummary.reaches``' module is the object)
        reached = [(m, name) for s in summaries for m, name, writes in s.reaches if writes]
        self.globals_written = {".".join(index.global_name(m, name)) for m, name in reached}
        # and those, and the instances' attributes (``Desk.log``), that a module hands a
        # sync function changing them (``helpers.tally(store.LEDGER)``)
        changed = changed_state(index, summaries)
        self.globals_written |= {f"{owner}.{name.removeprefix('self.')}" for owner, name in changed}

    def release(self) -> None:
        """Drop the memos: each holds this object through its bound method, a cycle that
        a run (its collector paused) would keep to its end with the index and summaries it
        reaches (cold ``-j 1`` on the bench corpus: ~+40 MB at its peak)."""
        memos = ("atomic", "gained", "touches", "rewritten", "servers", "state", "edges", "named")
        memos += ("instances_written", "objects")
        for memo in memos:
            delattr(self, memo)

    def changed_parameters(self, path: str, function) -> tuple[str, ...]:
        """The parameters coroutine ``function``'s runs (in the module at ``path``) touch,
        when some module's code beside it changes some object
        (``module_globals.object_changers``): a parameter may hold any object, a caller's
        ``tallies.TALLY`` that ``TALLY.add()`` moves on, or its ``LOG`` that
        ``LOG.append(x)`` does (read whole, ``len(log)``)."""
        if function.run_parameters and self.objects(self.source.side(path)):
            return function.run_parameters
        return ()

    def _objects(self, side: Side | None) -> bool:
        summaries = self.source.meeting(side, self.modules.values())
        return bool(object_changers(self.index, summaries, global_users(self.index, summaries)))

    def _instances_written(self, side: Side | None) -> frozenset[str]:
        summaries = self.source.meeting(side, self.modules.values())
        return frozenset(c for s in summaries for c in s.instances_written)

    def received(self, path: str, qualname: str, function) -> list[str]:
        """The state of coroutine ``function`` (``qualname``, in the module at ``path``; as
        its runs name it) that it awaits a method of (``RECEIVER``: ``LEDGER.peek()``) or
        hands a coroutine it awaits (``peek(LEDGER)``), when some module writes the
        attributes of that object's class's instances (``ModuleSummary.instances_written``;
        for a method, of a class defining it too: each a duck-typed call may run): state
        other code writes."""
        found = []
        for site in function.sites:
            callees = self.index.coroutines(site.callee, site, path) if site.arguments else ()
            for place, key in site.arguments if callees else ():
                defining = {c.rpartition(".")[0] for c in callees} if place == RECEIVER else ()
                if key != "self" and self._written(path, qualname, key, defining):
                    found.append(self._object_key(path, key, ANY) or own_key(key))
        return found

    def imported_written(self, path: str, qualname: str, touched: set[str]) -> list[str]:
        """The state ``touched`` by coroutine ``qualname`` (in the module at ``path``; its own
        runs' or, as it names them, its callees') that is another module's global
        (``store.STATE``, ``pkg.store.LOG``, ``STATE`` imported by name), when some module
        writes it: state other code writes (the caller's module's own writes are its
        ``loop_writes``)."""
        caller = self.modules.get(path)
        if caller is None:  # summarised since: ``_written`` knows none of it
            return []
        return [
            key
            for key in sorted(touched)
            if key.partition(".")[0] in caller.names and self._written(path, qualname, key, ())
        ]

    def _written(self, path: str, qualname: str, key: str, classes) -> bool:
        """Whether some module writes the attributes of the object that state ``key`` of
        coroutine ``qualname`` (in the module at ``path``) names: of an instance of its
        class or of one of its bases, or of one of ``classes``; or the global naming it, or,
        but for the instance's, one holding it (``STATE.sales`` of ``from store import
        STATE`` is written where ``store.STATE.sales += 1`` is, which names the global). An
        attribute of the instance its class gives no type, or a parameter's state, may hold
        any object: written when some module writes the attributes of any class's
        instances. Only the modules that may run beside it write (``meeting``)."""
        written = self.instances_written(self.source.side(path))
        if not written.isdisjoint(classes):
            return True
        caller = self.modules.get(path)
        head, dot, rest = key.partition(".")
        if head == "self":
            of = f"{qualname.rpartition('.')[0]}.{rest}"
            if self.index.untyped(of):  # any object: one handed to its class, maybe
                return bool(written)
        elif caller is not None and head in caller.names:
            module, _, name = caller.names[head].rpartition(".")
            of = ".".join(self.index.global_name(module, name) if module else (name,)) + dot + rest
        elif key.startswith(ARGUMENT):  # a parameter's: any object, maybe
            return bool(written)
        elif caller is not None:
            of = f"{caller.module}.{key}"
        else:
            return False
        held = [of] if head == "self" else self._holders(of)
        return any(
            h in self.globals_written
            or any(c in written for c in self.index.mro(self.index.normalize(h)))
            for h in held
        )

    def _holders(self, name: str) -> list[str]:
        """Dotted ``name`` and the names of the objects holding it, longest first, up to
        its module (``store.STATE.sales``, ``store.STATE``)."""
        parts = name.split(".")
        held = [".".join(parts[:end]) for end in range(len(parts), 0, -1)]
        return list(takewhile(lambda h: not self.index.source.is_module(h), held))

    def _object_key(self, path: str, key: str, attribute: str) -> str | None:
        """The state of a coroutine in the module at ``path``, as its runs name it, that an
        ``attribute`` of the object its state ``key`` names is, when ``key`` is a name the
        module imports from another (``LEDGER.count`` for ``LEDGER``, as ``StateAccess``
        names it); None for any other (the object itself is)."""
        caller = self.modules.get(path)
        qualname = caller.names.get(key) if caller and "." not in key else None
        if qualname and "." in qualname and key not in caller.instances:
            if self.index.module(qualname) is None:  # an object, not a module
                return f"{key}.{attribute}"
        return None

    def waited(self, path: str, run: tuple, function) -> set[str]:
        """The locks (``lock_identity``; ``""``: one not named) at which a coroutine ``run``
        (of coroutine ``function``, of the module at ``path``) awaits waits its turn
        (``FunctionSummary.ordered``)."""
        awaited = [function.sites[site] for _, site, *_ in run if site >= 0]
        return {
            lock_identity(self.index, name) if name else ""
            for site in awaited
            if site.awaited
            for callee in self.index.coroutines(site.callee, site, path)
            if self.atomic(callee)
            for name, _, _ in self.index.function(callee)[1].ordered
        }

    def _entered(self, function, line: int) -> str:
        """The lock (as ``waited`` names them) of coroutine ``function``'s own ``async
        with`` whose body starts at ``line``."""
        name = next((name for name, first, _ in function.ordered if first == line), "")
        return lock_identity(self.index, name) if name else ""

    def pieces(self, path: str, function, run: tuple) -> list[list[_Event]]:
        """``run`` (of a coroutine of the module at ``path``) cut where it awaits a
        coroutine that suspends (or is not the project's): what such a callee runs before
        its first suspension ends a piece, what it runs after its last starts the next.
        A loop cut so goes on from its last piece into its first (``_rounds``)."""
        pieces: list[list[_Event]] = [[]]
        cuts: list[tuple[int, tuple[int, ...]]] = []  # the piece each starts, its loops
        for position, site, resource, mode, line, branches, loops in run:
            if site == ENTERED:  # where the run waits its turn, should the lock be taken
                culprit = (_ENTRY, self._entered(function, line))
                pieces[-1].append(_Event(position, {}, culprit, 0, branches, loops))
                continue
            if site == LOCKED:
                continue
            if site < 0:
                culprit = ("own", resource) if line else None
                touched = {resource: mode == WRITE} if mode else {}
                taken = frozenset({resource} if mode == TAKE else ())
                tested = frozenset({resource} if mode == TESTED else ())
                event = _Event(position, touched, culprit, line, branches, loops, "", taken, tested)
                pieces[-1].append(event)
                continue
            called = function.sites[site]
            if not called.awaited:  # a sync call: what the project's findings there touch
                touched = self._called(path, called)
                found = self._between(path, called.line, called.line)
                server = kept_writes(f for f in found if f.col == called.col)
                event = _Event(position, touched, None, 0, branches, loops, server=server)
                pieces[-1].append(event)
                continue
            callees = self.index.coroutines(called.callee, called, path)
            whole = [callee for callee in callees if self.atomic(callee)]
            callee = callees[0] if len(callees) == 1 else None  # a duck-typed call's: many
            edges = self.edges(callee, called.caught) if callee is not None and not whole else None
            handed: dict[str, bool] = {}
            if (whole or edges is not None) and called.arguments:
                pieces[-1], handed = _handing(pieces[-1], called, position)
            for k, one in enumerate(whole):  # one of them runs (a duck-typed call's)
                culprit = ("callee", one) if self.gained(one) else None
                state = self._state(path, called, one, self.state(one))
                touched = {**self.touches(one), **state, **handed}
                which = ((-1 - position, k),) if len(whole) > 1 else ()
                event = _Event(position, touched, culprit, 0, (*branches, *which), loops, "whole")
                event = event._replace(rewritten=self.rewritten(one), server=self.servers(one))
                pieces[-1].append(event)
            if whole:
                continue
            seen = (path, called, position, branches, loops)
            held = edges is not None and self._held_turn(callee)
            if edges is not None:  # what it runs before its first suspension ends this piece
                head = self._part(callee, 0, edges[2], seen)
                head = head._replace(awaits="turn") if held else head
                nested = self._nested(callee, edges[0], seen, True, (), called.caught)
                if nested:  # the handing is the part of the coroutine it hands it on to
                    nested[0] = nested[0]._replace(touched={**nested[0].touched, **handed})
                else:
                    head = head._replace(touched={**head.touched, **handed})
                pieces[-1] += [head, *self._inner(callee, 0, edges[2], seen), *nested]
            # a way out that passes no suspension runs the callee whole with the caller's
            # statements around the await: no cut (``never_suspending_way``)
            unsuspended = edges is not None and edges[1] < self.index.function(callee)[1].line
            if not (held or unsuspended):
                pieces.append([])
                cuts.append((len(pieces) - 1, tuple(loops)))
            if edges is not None:  # and what it runs after its last starts the next
                pieces[-1] += self._nested(callee, edges[3], seen, False, (), called.caught)
                pieces[-1].append(self._part(callee, edges[1] + 1, 0, seen))
                pieces[-1] += self._inner(callee, edges[1] + 1, 0, seen)
        pieces = _rounds(pieces, cuts, 1 + max(event[0] for event in run))
        pieces = [_on_server(piece) for piece in pieces]
        return [piece for piece in pieces if len(piece) > 1 or any(e.loops for e in piece)]

    def _held_turn(self, qualname: str) -> bool:
        """Whether coroutine ``qualname`` suspends only in the bodies of its ``async with``
        blocks on an asyncio lock (``FunctionSummary.ordered``) or at zero sleeps
        (``FunctionSummary.zero_sleeps``), itself (``FunctionSummary.unordered``) and in its
        awaits that may (``_suspending``), so comes to each block with no suspension but
        those since it started or left the last: awaited, what it runs before, between and
        after comes in the order the tasks asked for the locks and slept, one piece as
        around such blocks in the caller's own body (fix_fuzz ``--lock-locals --turns``
        398047; two blocks, ``lock_held_turns_callee``; a zero sleep first,
        ``zero_sleep_callee``). Its suspensions after a block whose body returns
        (``FunctionSummary.returned_turn``) do not count: a task returning there held its
        turn (``lock_returned_in_callee``)."""
        summary, function = self.index.function(qualname)
        bodies = [(first, last) for _, first, last in function.ordered]
        past = function.returned_turn or function.end_line
        return (
            bool(bodies or function.zero_sleeps)
            and not any(line <= past for line in function.unordered)
            and all(
                any(first <= site.line <= last for first, last in bodies)
                for site in function.sites
                if site.line <= past and self._suspending(site, summary.path)
            )
        )

    def _called(self, path: str, site) -> dict[str, bool]:
        """The resources a sync call ``site`` in the module at ``path`` touches: those of
        the findings at its span (a project helper's that blocks further down, DBK801), the
        module state the helper writes or reads and the module-level instance whose method
        it runs (``helper_touches``: ``n = registry.size()``, ``await pause()`` whose sleep
        a fix awaits, ``registry.push(n)``), and the caller's state it hands a
        parameter the helper changes in place (``changed_arguments``: after a callee's tail
        read ``LEDGER.count``, ``ledgers.tally(LEDGER)`` writes it; fix_fuzz ``--objects
        --writes`` 515087; or hands on to another module's that does, ``changed_places``):
        the attributes of it the modules changing it write on some object
        (``ModuleSummary.attributes_written``), or, where one writes none, all of it."""
        found = self._between(path, site.line, site.line)
        touched = [(f.resource, f.writes) for f in found if f.resource and f.col == site.col]
        touched += helper_touches(self.index, self.modules.get(path), site)
        for key, attributes in changed_arguments(self.index, site):
            touched += [(f"{key}.{a}", True) for a in attributes] or [(key, True)]
        return _merged(touched)

    def _part(self, qualname: str, first: int, last: int, seen: tuple, outer: tuple = ()) -> _Event:
        """The event of the statements of coroutine ``qualname`` from line ``first`` to
        ``last`` (0: its first or last line), awaited as ``seen``: (the caller's path, the
        call site there, its place in the caller's run, its branches and loops). What its
        findings there touch (a lazy result's where it is iterated: ``FunctionSummary.lazy``)
        and what they touch of the caller's state (``FunctionSummary.edges``; ``outer``:
        the callers awaiting that caller in turn, ``_nested``'s, whose state it is named
        as), and a culprit when one of those findings has a safe fix."""
        path, site, position, branches, loops = seen
        summary, function = self.index.function(qualname)
        first, last = first or function.line, last or function.end_line
        found = self._between(summary.path, first, last)
        state = [
            (_owned(summary.path, key), writes)
            for line, key, writes in function.edges
            if first <= line <= last
        ]
        touched = _merged(
            [
                *((f.resource, f.writes) for f in found if f.resource),
                *((key, writes) for line, key, writes in function.lazy if first <= line <= last),
                *self._state(path, site, qualname, _merged(state), outer).items(),
            ]
        )
        culprit = ("lines", qualname, first, last) if any(f.safe_fix for f in found) else None
        event = _Event(position, touched, culprit, 0, branches, loops, "edge")
        rewritten = self.rewritten(qualname, first, last)
        return event._replace(server=kept_writes(found), rewritten=rewritten)

    def _inner(self, qualname: str, first: int, last: int, seen: tuple) -> list[_Event]:
        """An event for each coroutine that coroutine ``qualname`` awaits from line
        ``first`` to ``last`` (0: its first or last line) that never suspends, awaited as
        ``seen`` (``_part``): what it touches runs there with the caller's statements, and a
        safe fix that would make it suspend (``gained``) would split them (``coroutine_0``'s
        tail lists a directory lazily, then awaits ``coroutine_1``, whose child process a fix
        moves into a thread; its caller then removes a file: ``bench/fix_fuzz.py --objects
        --modules 2`` seed 107175)."""
        path, site, position, branches, loops = seen
        function = self.index.function(qualname)[1]
        first, last = first or function.line, last or function.end_line
        events = []
        for inner, callee in self.index.awaited_as(qualname):
            if first <= inner.line <= last and self.atomic(callee):
                touched = self.touches(callee)
                culprit = ("callee", callee) if self.gained(callee) else None
                if touched or culprit:
                    event = _Event(position, touched, culprit, 0, branches, loops, "edge")
                    events.append(event._replace(server=self.servers(callee)))
        return events

    def _nested(
        self, callee: str, lines, seen: tuple, head: bool, outer=(), caught: bool = False
    ) -> list:
        """The events of what a coroutine that suspends, awaited by coroutine ``callee`` at
        a suspension that may come first (``head``; else last; ``lines``), runs before its own
        first suspension (after its last), in turn: it runs with ``callee``'s statements
        there, which run with the caller's (``seen``, ``_part``'s; ``bench/fix_fuzz.py
        --objects --writes`` seed 119571: a ledger's ``bump`` moves the count on after its
        sleep, its caller then sleeps by ``time.sleep``, whose fix let other tasks' bumps
        in before the caller's caller reads the count). ``caught``: a handler around an
        await on the way here may catch what it raises (``CallSite.caught``)."""
        path, site, position, branches, loops = seen
        summary, function = self.index.function(callee)
        caller_outer, outer = outer, ((path, site, callee), *outer)
        events = []
        for inner_site in function.sites:
            if inner_site.line not in lines or not inner_site.awaited or inner_site.bridged:
                continue
            found = self.index.coroutines(inner_site.callee, inner_site, summary.path)
            if len(found) != 1 or found[0] in {c for _, _, c in outer} or self.atomic(found[0]):
                continue
            catching = caught or inner_site.caught
            inner, edges = found[0], self.edges(found[0], catching)
            if edges is None:
                continue
            first, last = (0, edges[2]) if head else (edges[1] + 1, 0)
            here = (summary.path, inner_site, position, branches, loops)
            own = [
                self._part(inner, first, last, here, outer),
                *self._inner(inner, first, last, here),
            ]
            if any(key == "self" for place, key in inner_site.arguments if place != RECEIVER):
                # ``callee`` hands its instance on: all of it, to code not seen here
                handed = {_owned(summary.path, f"self.{ANY}"): True}
                handed = self._state(path, site, callee, handed, caller_outer)
                own[0] = own[0]._replace(touched={**own[0].touched, **handed})
            ends = edges[0] if head else edges[3]
            deeper = self._nested(inner, ends, here, head, outer, catching)
            events += [*own, *deeper] if head else [*deeper, *own]
        return events

    def _edges(self, qualname: str, caught: bool = False) -> tuple | None:
        """Where coroutine ``qualname`` suspends: where it does so itself, and its awaits of
        what may suspend (a coroutine that is not atomic, or not the project's); None when
        none is known. First, the lines of the suspensions that may come first, by flow
        (``firsts``: an await in another's argument, ``nested_head_argument``; one in either
        branch, ``nested_head_branch``). Second, the last line: the earliest that may come
        last before a way out (``FunctionSummary.exits``, by flow; ``caught``, awaited where
        a handler may catch what it raises: its calls that may raise too, ``raising``), or
        the line before the coroutine's where a way passes none: a task leaving there runs
        on from it with the caller (``lock_written_returned``, ``returned_before_suspending``,
        ``call_raised_before_suspending``). Third, the last line a statement may run on
        before any suspension (``first_after``; at least the line before the first): its
        head (``head_after_skipped_suspension``). Fourth, the lines of all the suspensions
        that may come last before a way out (``lasts``; ``nested_tail_branch``)."""
        summary, function = self.index.function(qualname)
        sites = [s.line for s in function.sites if self._suspending(s, summary.path)]
        lines = [*function.suspended, *sites]
        if not lines:
            return None
        path = summary.path
        calm = {s.line for s in function.sites if s.awaited and not self._suspending(s, path)}
        points = {line for line, *_ in function.preceding}.difference(calm)
        exits = function.exits + function.raising if caught else function.exits
        ways = last_before(function.preceding, exits, points)
        last = min([max(lines), *(since or function.line - 1 for _, since in ways)])
        head = first_after(function.preceding, function.reach, points)
        first = firsts(function.preceding, points) or {min(lines)}
        ends = lasts(function.preceding, exits, points) or {last}
        return first, last, max(head, min(lines) - 1), ends

    def _suspending(self, site, path: str) -> bool:
        """Whether a coroutine's call ``site`` (in the module at ``path``) is an await that
        may suspend: of a coroutine that is not atomic, or not the project's."""
        return site.awaited and not site.bridged and not self._whole(site, path)

    def torn(
        self,
        path: str,
        piece: list[_Event],
        loop_writes: tuple[str, ...] = (),
        guessed: tuple[str, ...] = (),
    ) -> list[tuple[tuple, str, frozenset[str]]]:
        """The culprits whose fixes would add an await among ``piece``'s events that read
        and write one resource, or write two, or read twice one that other code writes (a
        file system or database a blocking call of the project writes; ``loop_writes``: state
        the caller's module writes), across an await of a coroutine, each with what they
        touch (``_between``; a run that awaits none between them is the module's own
        sections' to keep) and the kinds of the awaits crossed (``_Event.awaits``: ``"edge"``
        for a suspending coroutine's edges, ``_part``); two events in different branches of
        an ``if`` never run both. An event in a loop's rounds comes again after all of the
        loop's events, its own too (``atomic_runs.Event``). Only the events that await or
        stand for a fix matter between two others: a piece with none of either tears
        nothing, but a token taken (``_token_order``), whose order the fix's own await
        tears too. ``guessed``: those of ``loop_writes`` that are parameters, written only in
        that they may hold an object some module changes: not enough for two reads of two
        things to tear."""
        weighed = [event for event in piece if event.awaits or event.culprit]
        tokens = any(event.taken or event.tested for event in piece)
        if not (tokens or any(e.awaits for e in weighed)) or not any(e.culprit for e in weighed):
            return []
        elsewhere = self.written.union(loop_writes)
        known = elsewhere.difference(guessed)
        written = {r for event in piece for r, writes in event.touched.items() if writes}
        # a blocking call's resource (the file system) one event writes and another, in
        # another branch, only reads: what one call reads is what the calls that took the
        # tokens before it wrote (a listing counts the files they made); or one that an
        # event in a taken token's branch only reads and another there writes (a counter
        # file read, then written back), or that a coroutine awaited there reads, then writes
        ticketed = {e.branches for e in piece if e.taken}
        ordered = {
            r
            for e in piece
            for r, writes in e.touched.items()
            if r[:4] == "the " and not writes
            for other in piece
            if other.touched.get(r)
            and (other.apart(e) or e.branches == other.branches and e.branches in ticketed)
        }
        ordered.update(r for e in piece if e.branches in ticketed for r in e.rewritten)
        torn = []
        touching = [event for event in piece if event.touched]
        for i, first in enumerate(touching):
            for last in touching[i if first.loops else i + 1 :]:
                between = _between(first, last, written, elsewhere, known, ordered)
                if not between or first.apart(last):
                    continue
                loops = {*first.loops, *last.loops}
                within = [
                    e
                    for e in weighed
                    if (first.position <= e.position <= last.position or loops & {*e.loops})
                    and not (e.apart(first) or e.apart(last))
                ]
                # a held callee's head before ``first`` at its place only starts the piece
                late = [
                    e
                    for e in within
                    if e.awaits != "turn" or e is first or not _ahead(e, first, piece)
                ]
                crossed = frozenset(e.awaits for e in late if e.awaits)
                # a token's order: torn across any callee's statements that run with the
                # run (a whole one's, a suspending one's head or tail), or by the fix's own
                # await
                if between.token or crossed:
                    torn += [
                        (e.culprit, between, crossed)
                        for e in within
                        if e.culprit and self._splits(path, e, first)
                    ]
        return _strongest(torn)

    def _splits(self, path: str, event: _Event, first: _Event) -> bool:
        """Whether a fix that ``event``'s culprit stands for would make the caller suspend
        there, after ``first``: a coroutine awaited, a finding with a safe fix, or an entry
        of its own lock (``_ENTRY``) after ``first``, where it would wait its turn."""
        if event.culprit[0] == _ENTRY:
            return first.position < event.position
        return bool(event.awaits) or self._fixed(path, event.culprit[1], event.line)

    def declined(self, culprit: tuple, where: tuple, why: str):
        """(path, span) of each coroutine (or its lines) whose fixes ``culprit`` stands for;
        ``where``: the caller's path, name and summary."""
        kind, name = culprit[:2]
        if kind == "lines":
            summary = self.index.function(name)[0]
            yield summary.path, (*culprit[2:], why, name, None)
            return
        if kind == "own":
            path, caller, function = where
            yield path, (function.line, function.end_line, why, caller, name)
            return
        for qualname in self.gained(name):
            summary, callee = self.index.function(qualname)
            yield summary.path, (callee.line, callee.end_line, why, qualname, None)

    def _state(
        self, path: str, site, callee: str, touched: dict, outer: tuple = ()
    ) -> dict[str, bool]:
        """The caller's state of what coroutine ``callee`` ``touched`` (``_state_of``),
        awaited at call ``site`` in the module at ``path`` (``_seen``), as it names it: its
        ``self.x``, its module's globals, and other modules' globals (the callee's own, or
        what it names of its imports) as the caller names them (``local_names``); with
        ``outer`` (``_nested``'s callers awaiting that caller in turn, each (path, site,
        the coroutine it awaits)), as the outermost names it."""
        seen = self._seen(path, site, callee, touched)
        for caller, call, middle in outer:
            seen, path = self._seen(caller, call, middle, _merged(seen)), caller
        state = []
        for (module, key), writes in seen:
            if module is None or module == path:
                state.append((key, writes))
            elif module == ARGUMENT:  # a parameter of its own, as its runs name it
                state.append((key.partition(".")[0], writes))
            elif module in self.modules and path in self.modules:
                state += [(named, writes) for named in self.named(path, module, key)]
        return _merged(state)

    def _named(self, path: str, module: str, key: str) -> tuple[str, ...]:
        """How the module at ``path`` names state ``key`` of the module at ``module``."""
        qualified = qualified_state(self.modules[module], key)
        return tuple(self.index.local_names(self.modules[path], qualified))

    def _seen(self, path: str, site, callee: str, touched: dict) -> list:
        """What of coroutine ``callee``'s state ``touched`` (by (module, key)) is that of
        the coroutine awaiting it at call ``site`` in the module at ``path``: the instance's
        ``self.x`` when called on its own instance, the state it is called on otherwise
        (``RECEIVER``: ``LEDGER``, ``self.ledger``), modules' globals, and what of its
        parameters' the caller's arguments are (``handed_key``: the caller's parameters'
        too), by (module, key) too; not a parameter it only hands back (``return log``,
        ``return n, log``) when the caller drops what holds it (``returned_parameters``)."""
        receiver = dict(site.arguments).get(RECEIVER)
        # a parameter it only hands back, to a caller dropping the result: read by none
        returned = self.index.function(callee)[1].returned
        dropped = dropped_parameters(returned, site.dropped) if site.dropped else ()
        seen = []
        for (module, key), writes in touched.items():
            if module == ARGUMENT and key.partition(".")[0] in dropped:  # ``log``, ``box.items``
                continue
            if module == ARGUMENT:
                argument = handed_key(site, self.index.function(callee)[1].parameters, key)
                if argument and "." in key:  # an attribute of another module's object
                    argument = self._object_key(path, argument, key.partition(".")[2]) or argument
                seen += [(_owned(path, argument), writes)] if argument else []
            elif module is None and receiver:  # its instance is the object it is called on
                shown = self._object_key(path, receiver, key.partition(".")[2]) or receiver
                seen.append((_owned(path, shown), writes))
            elif module is not None or site.on_instance:
                seen.append(((module, key), writes))
        return seen

    def _fixed(self, path: str, key: str, line: int) -> bool:
        """Whether the caller's own finding at ``line`` on resource ``key`` (or of target
        ``key``, touching none) has a safe fix."""
        found = self._between(path, line, line)
        return any(f.safe_fix and (f.resource or f.target) == key for f in found)

    def _between(self, path: str, first: int, last: int) -> list[Finding]:
        lines = self.lines.get(path, [])
        found = self.findings.get(path, [])
        return found[bisect_left(lines, first) : bisect_right(lines, last)]

    def _own(self, qualname: str) -> list[Finding]:
        summary, function = self.index.function(qualname)
        return self._between(summary.path, function.line, function.end_line)

    def _awaited_once(self, question: str, qualname: str) -> list[tuple]:
        """The coroutines ``qualname`` awaits, each with its call site there
        (``index.awaited_as``), none while ``question`` is already asked of it (a cycle of
        awaits)."""
        visiting = self._visiting[question]
        return [] if qualname in visiting else self.index.awaited_as(qualname)

    def _over(self, question: str, qualname: str, answer):
        """``answer(callees)`` for ``qualname``, asked with its awaited coroutines marked
        in progress (a cycle answers with none)."""
        callees = self._awaited_once(question, qualname)
        self._visiting[question].add(qualname)
        try:
            return answer(callees)
        finally:
            self._visiting[question].discard(qualname)

    def _atomic(self, qualname: str) -> bool:
        summary, function = self.index.function(qualname)
        path = summary.path
        if function.suspends or any(_unmatched(self.index, s, path) for s in function.sites):
            return False
        return self._over("atomic", qualname, lambda cs: all(self._whole(s, path) for s, _ in cs))

    def _whole(self, site, path: str) -> bool:
        """Whether awaited call ``site`` (in the module at ``path``) may run a project
        coroutine that never suspends (one of a duck-typed call's)."""
        callees = self.index.coroutines(site.callee, site, path)
        return any(self.atomic(callee) for callee in callees)

    def _gained(self, qualname: str) -> tuple[str, ...]:
        """``qualname`` and the coroutines it awaits that a safe fix makes suspend, when
        it never suspends: where the fixes are."""
        if not self.atomic(qualname):
            return ()
        inner = self._over(
            "gained", qualname, lambda cs: [g for _, c in cs for g in self.gained(c)]
        )
        own = any(f.safe_fix for f in self._own(qualname))
        return tuple(dict.fromkeys([*([qualname] if own else []), *inner]))

    def _touches(self, qualname: str) -> dict[str, bool]:
        """The resources ``qualname`` touches, with whether it writes them (what it awaits
        included)."""
        found = [(f.resource, f.writes) for f in self._own(qualname) if f.resource]
        inner = self._over(
            "touches", qualname, lambda cs: [t for _, c in cs for t in self.touches(c).items()]
        )
        return _merged([*found, *inner])

    def _rewritten(self, qualname: str, first: int = 0, last: int = 0) -> frozenset[str]:
        """The resources coroutine ``qualname`` reads, then writes, from line ``first`` to
        ``last`` (0: its first or last line; ``_part``'s head or tail of one that suspends):
        one of its findings or the coroutines it awaits (in their lines' order, a read
        first at one line) reads it before one writes it, or one of those coroutines does
        both so."""
        summary, function = self.index.function(qualname)
        first, last = first or function.line, last or function.end_line
        found = self._between(summary.path, first, last)
        own = [(f.line, f.writes, f.resource) for f in found if f.resource]

        def answer(callees: list[tuple]) -> frozenset[str]:
            callees = [(s, c) for s, c in callees if first <= s.line <= last]
            inner = [(s.line, w, r) for s, c in callees for r, w in self.touches(c).items()]
            read: dict[str, int] = {}
            for line, writes, resource in sorted([*own, *inner]):
                if not writes:
                    read.setdefault(resource, line)
            written = {
                r for line, writes, r in [*own, *inner] if writes and read.get(r, line + 1) <= line
            }
            return frozenset(written.union(*(self.rewritten(c) for _, c in callees)))

        return self._over("rewritten", qualname, answer)

    def _servers(self, qualname: str) -> bool | None:
        """Whether ``qualname``'s calls on shared clients that name no resource write the
        server (``kept_writes``), what it awaits included; None when it makes none."""
        inner = self._over("servers", qualname, lambda cs: [self.servers(c) for _, c in cs])
        return either([kept_writes(self._own(qualname)), *inner])

    def _state_of(self, qualname: str) -> dict[tuple[str | None, str], bool]:
        """The state coroutine ``qualname`` touches, with whether it writes it, each as
        (module, key): its instance's ``self.x`` (no module), modules' globals (by path)
        and its parameters' (``ARGUMENT``); what the coroutines it awaits touch of its
        state too (``_seen``)."""
        summary, function = self.index.function(qualname)
        own = [(_owned(summary.path, key), writes) for key, writes in function.state]
        inner = self._over(
            "state",
            qualname,
            lambda cs: [
                seen for s, c in cs for seen in self._seen(summary.path, s, c, self.state(c))
            ],
        )
        return _merged([*own, *inner])


def _own_state(function) -> set[str]:
    """The state coroutine ``function``'s runs touch at its own statements."""
    return {r for run in function.runs for _, site, r, mode, *_ in run if site < 0 and mode}


def _unmatched(index: ProjectIndex, site, path: str) -> bool:
    """Whether ``site`` (in the module at ``path``) awaits a duck-typed call that no project
    coroutine answers: what it runs is not the project's, and may suspend."""
    duck = site.awaited and not site.bridged and duck_method(site.callee) is not None
    return duck and not index.coroutines(site.callee, site, path)


def _owned(path: str, key: str) -> tuple[str | None, str]:
    """A coroutine's state ``key`` (``FunctionSummary.edges``, ``state``) with whose it is:
    its instance's (None; ``self``: all of it), a parameter's (``ARGUMENT``, without the
    mark) or the globals' of its module at ``path``."""
    if key.startswith(ARGUMENT):
        return ARGUMENT, key[len(ARGUMENT) :]
    return (None if key == "self" or key.startswith("self.") else path), key


def _handing(piece: list[_Event], site, position: int) -> tuple[list[_Event], dict]:
    """``piece`` without the caller's write, in the statement at ``position``, of all of its
    instance (``self.*``: handed to code not seen here) when it hands it to the project
    coroutine awaited at ``site`` (``CallSite.arguments``): the callee's part, returned too,
    to be added to the callee's event. (Its reads of the arguments are no events of its
    runs, ``atomic_runs.handed_nodes``; other reads in the statement are its own.)"""
    handed = {key for place, key in site.arguments if place != RECEIVER}
    instance = f"self.{ANY}" if "self" in handed else None
    left, moved = [], {}
    for event in piece:
        if event.position == position:
            touched = event.touched
            moved.update((r, w) for r, w in touched.items() if r == instance and w)
            event = event._replace(touched={r: w for r, w in touched.items() if r not in moved})
        left.append(event)
    return left, moved


def _on_server(piece: list[_Event]) -> list[_Event]:
    """``piece``, its calls on shared clients that name no resource (``_Event.server``)
    touching the server beside another event's server access (``on_server``): a callee's
    (``take``'s get on a channel its caller made, ``held_server_one_module``), a sync call
    kept on the loop (``held_server_connected``)."""
    members = [(e.server, SERVER in e.touched) for e in piece]
    lifted = []
    for event, writes in zip(piece, on_server(members), strict=True):
        if writes is not None:
            writes = writes or event.touched.get(SERVER, False)
            event = event._replace(touched={**event.touched, SERVER: writes})
        lifted.append(event)
    return lifted


def _rounds(pieces: list[list[_Event]], cuts: list[tuple], later: int) -> list[list[_Event]]:
    """``pieces`` (``_Callees.pieces``) with the loops their ``cuts`` (the piece each starts,
    its loops) cut: their events come again in the next round only after a suspension, so
    no more in the loop's rounds within a piece; but its last piece's events in the loop
    run on into its first piece's in the next round, a piece of their own (those of the
    next round placed ``later``)."""
    cut = {loop for _, loops in cuts for loop in loops}
    if not cut:
        return pieces

    def kept(events: list[_Event], shift: int = 0) -> list[_Event]:
        return [
            e._replace(position=e.position + shift, loops=tuple(k for k in e.loops if k not in cut))
            for e in events
        ]

    rounds = []
    for loop in cut:
        starts = [start for start, loops in cuts if loop in loops]
        last = [e for e in pieces[starts[-1]] if loop in e.loops]
        first = [e for e in pieces[starts[0] - 1] if loop in e.loops]
        rounds.append(kept(last) + kept(first, later))
    return [kept(piece) for piece in pieces] + rounds


def _ahead(event: _Event, other: _Event, piece: list[_Event]) -> bool:
    """Whether ``event`` comes before ``other`` in ``piece``, at its place."""
    if event.position != other.position:
        return False
    return next(e for e in piece if e is event or e is other) is event


def _merged(accesses: list) -> dict:
    """Each resource of ``accesses`` (resource, whether it writes it) once, writing when
    one of its accesses does."""
    merged: dict = {}
    for resource, writes in accesses:
        merged[resource] = merged.get(resource, False) or writes
    return merged


def _strongest(torn: list[tuple[tuple, _Tear, frozenset]]) -> list[tuple[tuple, str, frozenset]]:
    """``torn``'s entries once each, and of each culprit's only those of the strongest kind
    of tear it stands for (``_Tear.kind``), and of those the ones crossing no held turn's
    ordered suspensions (``"turn"``) when any: the reason a decline gives is the plainest."""
    kinds: dict[tuple, tuple[int, bool]] = {}
    for culprit, tear, crossed in torn:
        kind = (tear.kind, "turn" in crossed)
        kinds[culprit] = min(kinds.get(culprit, kind), kind)
    kept = [
        (c, tear.does, crossed)
        for c, tear, crossed in torn
        if (tear.kind, "turn" in crossed) == kinds[c]
    ]
    return list(dict.fromkeys(kept))


class _Tear(NamedTuple):
    """What two events do that a task between them could tear, and its kind: the lower,
    the plainer (``_between``'s order); ``token``: a token's order (``_token_order``),
    torn by the fix's own await too, with no await of a coroutine crossed."""

    kind: int
    does: str
    token: bool = False


def _between(
    first: _Event,
    last: _Event,
    written: set[str],
    elsewhere: set[str],
    known: set[str],
    ordered: set[str],
) -> _Tear | None:
    """What two events of a piece (``written``: the resources it writes) do that a task
    between them could tear: read and write one resource, or write two, one each, whose
    order across tasks must stay the same (or take the next token of one, ``next(CALLS)``,
    and write state, or touch one ``ordered``: ``_token_order``), or read twice one that
    other code writes (``elsewhere``: another task's write between the two reads shows them
    different states), or write one and read another that other code writes by name, in either
    order (another task's write of it would come between, where no task's came before), or
    read two that other code is known to write (``known``: its writes between them would
    show the second read a state the first one's never came with); None when none."""
    mine, theirs = first.touched, last.touched
    same = sorted(
        min(a, b, key=len)
        for a in mine
        for b in theirs
        if (mine[a] or theirs[b]) and overlaps(a, b)
    )
    if same:
        return _Tear(0, f"reads and writes {shown_resource(same[0])}")
    reread = sorted(r for r in mine.keys() & theirs.keys() if _written_elsewhere(r, elsewhere))
    if reread:  # two rounds of one loop read it twice too
        return _Tear(1, f"reads {shown_resource(reread[0])} twice, {_others(reread[0], known)}")
    ours, others = sorted(mine.keys() & written), sorted(theirs.keys() & written)
    pair = next(((a, b) for a in ours for b in others if a != b), None)
    if pair:
        return _Tear(2, f"writes {shown_resource(pair[0])} and {shown_resource(pair[1])}")
    if token := _token_order(first, last, ordered):
        return _Tear(2, token, token=True)
    for a, b in ((a, b) for a in sorted(mine) for b in sorted(theirs) if a != b):
        shown, other = shown_resource(a), shown_resource(b)
        if mine[a] and b in elsewhere:
            return _Tear(3, f"writes {shown}, then reads {other}, {_others(b, known)}")
        if theirs[b] and a in elsewhere:
            return _Tear(3, f"reads {shown}, {_others(a, known)}, then writes {other}")
    both = [
        (a, b)
        for a in sorted(mine)
        for b in sorted(theirs)
        if a != b and _written_elsewhere(a, known) and _written_elsewhere(b, known)
    ]
    if both and first is not last:
        shown, other = map(shown_resource, both[0])
        return _Tear(4, f"reads {shown}, then {other}, both of which other code writes")
    return None


def _token_order(first: _Event, last: _Event, ordered: set[str]) -> str | None:
    """What one of two events does taking the next token of shared state and the other
    writing other state (not a resource a blocking call touches, such as the file system:
    per-call files keep no order), or touching one in ``ordered`` (one that events in
    different branches write and only read: a listing counts the files the calls numbered
    before it made; or that events in a token's branch read and write: a counter file):
    the order of the tasks' writes shows the order they took their tokens in; None when
    neither does. A token only tested shows only in the branch the run takes: it counts
    against an event in a branch it is not in."""
    for taker, other in ((first, last), (last, first)):
        branched = not {*other.branches} <= {*taker.branches}
        for token in sorted({*taker.taken, *(taker.tested if branched else ())}):
            touched = sorted(
                (r, writes)
                for r, writes in other.touched.items()
                if r != token and (r in ordered or writes and r[:4] != "the ")
            )
            if touched:
                shown, (resource, writes) = shown_resource(token), touched[0]
                does = "writes" if writes else "reads"
                return f"takes the next token of {shown} and {does} {shown_resource(resource)}"
    return None


def _others(resource: str, known: set[str]) -> str:
    """What other code does to ``resource``, as a reason says it: known to write it, or,
    for a parameter, only maybe (it may hold an object some module changes)."""
    if _written_elsewhere(resource, known):
        return "which other code writes"
    return "which may hold an object other code changes"


def _written_elsewhere(resource: str, elsewhere: set[str]) -> bool:
    """Whether other code writes ``resource`` (``elsewhere``: ``self.*``, any of the
    instance; ``LEDGER.*``, any of an object another module holds)."""
    head, dot, _ = resource.partition(".")
    return resource in elsewhere or bool(dot) and f"{head}.{ANY}" in elsewhere


def _reason(qualname: str, path: str, line: int, does: str, across: tuple) -> str:
    """Why: ``across`` says whether the awaits crossed are all a suspending coroutine's
    edges, whether the run passes an ``asyncio.Lock`` (``atomic_runs.LOCKED``), whether
    a coroutine it awaits waits its turn at one (``FunctionSummary.ordered``), and whether
    one suspends only in the bodies of such blocks it runs into (``_held_turn``) and none
    that never suspends: said when the fix is not the callee's own at its edges, which run
    with the caller's in any case; and whether none is crossed (a token taken, then the
    fix's own finding: ``_token_order``)."""
    edges, locked, turn, held, inline = across
    shown = qualname.rpartition(".")[2]
    if held and not edges:
        return (
            f"`{shown}` ({path}:{line}) {does} across an await of a coroutine that suspends "
            "only where tasks go on in the order they came: in the bodies of its `async with` "
            f"blocks on {ORDERED_SHOWN} that hands itself on in the order it was asked, each "
            "come to with no other suspension since the last, or at zero sleeps "
            "(`asyncio.sleep(0)`), so every task does so in one order; an await a fix adds "
            "there would let other tasks' come in between"
        )
    if inline:
        return (
            f"`{shown}` ({path}:{line}) {does} with no suspension in between, so the tasks "
            "do so in the order they took their tokens; an await a fix adds there would let "
            "them go on in another"
        )
    if edges:
        awaits = (
            "an await of a coroutine whose statements before its first suspension or after "
            "its last run with it"
        )
    elif turn:
        awaits = f"awaits of coroutines that suspend only to wait their turn at {ORDERED_SHOWN}"
    else:
        awaits = "awaits of coroutines that never suspend"
    if turn and not locked:
        return (
            f"`{shown}` ({path}:{line}) {does} across {awaits}, which hands itself on in the "
            "order it was asked, so every task does so in one order; an await a fix adds "
            "there would let other tasks' come in between"
        )
    if locked:
        return (
            f"`{shown}` ({path}:{line}) {does} across {awaits} and {ORDERED_SHOWN} that "
            "hands itself on in the order it was asked, so every task does so in one order; "
            "an await a fix adds there would let other tasks' come in between"
        )
    return (
        f"`{shown}` ({path}:{line}) {does} across {awaits}, so no other "
        "task runs in between; an await a fix adds there would let them in"
    )


def keep_atomic_alone(findings: list[Finding], summary: ModuleSummary) -> list[Finding]:
    """``findings`` of a module analysed alone (standard input, text a fix produced), the
    fixes that would split one of its own callers' atomic runs declined: ``atomic_spans``
    over its own summary (the runner asks only when a coroutine of it has runs)."""
    spans = atomic_spans(ModuleSummaries([summary]), {summary.path: findings})
    return decline_kept(findings, spans.get(summary.path, []))
