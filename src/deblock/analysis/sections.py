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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import cached_property
from itertools import product, takewhile
from typing import TYPE_CHECKING

from deblock.analysis.fix_shapes import ITERATION, SECTION_STRATEGY, awaits_in
from deblock.analysis.free_locks import ORDERED_SHOWN
from deblock.analysis.joined_runs import in_body, inner_bodies, joined_chains, preceding
from deblock.analysis.lone_tests import Lines, in_lines
from deblock.analysis.nodes import (
    SCOPES,
    call_arguments,
    last_name,
    own_nodes,
    parents,
    statements_below,
    up_to_statement,
    walk,
)
from deblock.analysis.own_files import kept_elsewhere, made_apart, one_file, unpacked
from deblock.analysis.positions import lies_between as _between
from deblock.analysis.scopes import Kind
from deblock.analysis.section_partners import ANY, keep_partners, unlocked
from deblock.analysis.shared_connections import opens_shared
from deblock.analysis.shared_state import (
    READ,
    WRITE,
    HelperEffects,
    ModuleState,
    StateAccess,
    positional_parameters,
    whole_reads,
)
from deblock.analysis.stream_objects import CONFIGURES, LOG_METHODS, StreamObjects
from deblock.analysis.thread_bound import first_bound, frame_bound
from deblock.analysis.zero_sleep_overtaking import keep_overtaken
from deblock.analysis.zero_sleeps import zero_sleeps
from deblock.findings import Finding, decline
from deblock.rules import BY_CODE
from deblock.rules.network import TOKEN_CALLS
from deblock.rules.resources import (
    FILE_SYSTEM,
    NOT_THREAD_SAFE,
    OPENS,
    PRIVATE_DATABASES,
    PRIVATE_FILE_CODES,
    READS,
    RESOURCE_OF_CODE,
    SERVER,
    THREAD_AFFINE,
    resource_of,
    shown_resource,
)
from deblock.rules.twins import TWIN_CALLS

if TYPE_CHECKING:
    from deblock.analysis.positions import LineIndex
    from deblock.analysis.walker import FunctionRecord

_BRIDGE = "to-thread"
# Strategies whose fix keeps the call on the event loop because what it calls is shared
# with other tasks (a circuit breaker's state): such a call cannot ride along. (A twin's
# sync method can: in the thread it is the thread bridge, an unsafe fix.)
_SHARED_WITH_TASKS = frozenset({"call-async", "unwrap-bridge"})
# Families of project code that blocks: what it touches is not known here.
_OPAQUE_FAMILIES = frozenset({"twins", "project"})
_LOOPS = (ast.For, ast.While)
# The phrase of a span that holds a handle's lifetime (``_lifetimes``).
_LIFETIME = "make and use "
_ROUNDS = (ast.For, ast.AsyncFor, ast.While)
_EXTERNAL = frozenset(RESOURCE_OF_CODE.values())
# Values that are new objects (``SectionPlanner._fresh``): displays, eager comprehensions,
# and what these builtins make.
_FRESH_VALUES = (
    ast.Constant,
    ast.JoinedStr,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
)
_FRESH_CALLS = frozenset(
    f"builtins.{name}"
    for name in ("list", "dict", "set", "frozenset", "sorted", "str", "bytes", "int", "float")
)
# Calls that build a path on their first argument, which must be a ``str``, ``bytes`` or
# ``os.PathLike`` (they raise ``TypeError`` on any other object): ``_paths``.
_PATH_BUILDERS = frozenset({"os.path.join", "pathlib.Path", "pathlib.PurePath", "os.fspath"})
# Why a helper's ``return`` cannot become the coroutine's (``generator_returns``).
FROM_GENERATOR = "from an async generator, which cannot return a helper's result"
# Bindings of what a call made: ``name = call()``, ``with call() as name``.
_MADE = frozenset({Kind.VALUE, Kind.ENTERED})
_JOINS = frozenset({"join", "Path", "PurePath", "str", "fspath"})  # a path built on another
_PROJECT_CODE = "the state of project code that blocks"
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FORKS = 6  # conditional expressions whose ways ``_path_reads`` weighs one by one, at most


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


# Beside a project function that touches the server, a shared client of any library does
# (``SectionPlanner._through_own``).
_ANY_LIBRARY = "*"


def _makes_handle(finding: Finding) -> bool:
    """Whether the blocking call makes a handle on a file, a database or a server the
    standard library's clients talk to (a third-party protocol client's, pika's
    ``BlockingConnection``, is none: ``resource_of``)."""
    resource = RESOURCE_OF_CODE.get(finding.code)
    if resource == SERVER:
        return resource_of(finding.code, finding.target) is not None
    return resource is not None or finding.code in PRIVATE_FILE_CODES


class SectionPlanner:
    """Plans the sections of one coroutine (``record``, the walk's).

    ``found`` maps the coroutine's finding nodes to their index in ``findings``;
    ``callees`` maps its calls to the qualified names they resolve to; ``helpers``: the
    module's sync functions' writes of shared state (``HelperEffects``); ``bound``: its nodes
    that must stay on the event loop's thread (``thread_bound.Bound``); ``lines``: the
    module's (``positions.LineIndex``).
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

    def keep_chains(self) -> None:
        """Weigh each chain of runs that run on into each other across the edges of blocks
        (``joined_chains``): its fixes (``_keep_joined``, ``_keep_reentered``; ``_keep_slept``
        for those across a zero sleep, but in a lone test, whose statements no other task
        runs), and the turns it takes at an ordered lock (``turns``)."""
        touched: dict[int, dict[str, list[str]]] = {}
        ordered = self.record.ordered_locks
        before = preceding(self.function.body) if len(ordered) > 1 else {}
        zeros = zero_sleeps(self.record, self.callees.get) if self.record.suspensions else []
        for chain, block, by_lock in joined_chains(
            self.function.body, self.segments, ordered, self.record.plain_withs, zeros
        ):
            if block.__class__ is ast.Expr:  # a zero sleep's
                if not self.lone:
                    self._keep_slept(chain, block)
                continue
            ends = []
            for run in (chain[0], chain[-1]):
                if id(run) not in touched:
                    touched[id(run)] = self.run_accesses(run)
                ends.append(touched[id(run)])
            self._keep_joined(chain, ends, block, by_lock)
            self._keep_reentered(chain, ordered, before)

    def run_accesses(
        self, run: list[ast.stmt], private: frozenset[str] = frozenset()
    ) -> dict[str, list[str]]:
        """Each resource the statements of ``run`` touch, with one mode per access;
        ``private``: more names of temporary files than ``self.private``, such as
        parameters a caller handed its own."""
        touched: dict[str, list[str]] = {}
        for statement in run:
            for resource, modes in self._accesses(statement, private).items():
                touched.setdefault(resource, []).extend(modes)
        return touched

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

    def _keep_joined(
        self,
        chain: list[list[ast.stmt]],
        touched: list[dict[str, list[str]]],
        block: ast.stmt,
        by_lock: bool,
    ) -> None:
        """Decline the safe fixes of a chain of runs that run on into each other across the
        edges of blocks (``joined_chains``, from ``block``; ``by_lock``: in one order, around
        an ``asyncio.Lock``) when its first and last runs (what they touch: ``touched``)
        both touch a resource and one of them writes it, or both read one that other tasks
        may change, or each touches another that they may change (``_contended``): no
        section holds them, and a fix's await in any of its runs would let other tasks in
        between; but for those in the lock's body, where no other holder comes in."""
        paired = self._paired(touched)
        if paired is None:
            return
        does, says = paired
        if any(block is lock for lock in self.record.ordered_locks):
            self.turns.append((block, says))
        why = (
            f"the statements that {does} run on into each other across the "
            f"edge of the block at line {block.lineno}, with no await between: no section "
            "can hold them, and an await there would let other tasks in"
        )
        span = (block.body[0].lineno, block.body[-1].end_lineno) if by_lock else (0, -1)
        inside = [span[0] <= run[0].lineno <= span[1] for run in chain]
        if by_lock:
            where = f"{'in' if inside[0] else 'before'} and {'in' if inside[-1] else 'after'}"
            again = ""
            if chain[0] is chain[-1]:  # come back to at the loop's next round
                where, again = "in", " and in it at the loop's next round"
            why = (
                f"the statements that {does} {where} the `async with` at line "
                f"{block.lineno}{again}, on {ORDERED_SHOWN} that hands itself on in the order it "
                "was asked, come in one order across tasks: an await there would let other "
                "tasks' come in between"
            )
        runs = [run for run, held in zip(chain, inside, strict=True) if not held]
        for node in (n for run in runs for s in run for n in own_nodes(s) if n in self.found):
            if self.findings[self.found[node]].strategy is not None:
                self.decline(self.found[node], why, unsafe=True)

    def _paired(self, touched: list[dict[str, list[str]]]) -> tuple[str, str] | None:
        """What two pieces of a coroutine (``touched``: what each touches) do that other
        tasks' same pieces may come between, when they both touch a resource and one of them
        writes it, or both read one that other tasks may change, or each touches another
        that they may change (``_contended``): the phrase after "the statements that", and
        after "the chain". None when they do nothing of the kind."""
        modes = {
            r: [*touched[0].get(r, []), *touched[1].get(r, [])] for r in (*touched[0], *touched[1])
        }
        both = touched[0].keys() & touched[1].keys()
        written = sorted(r for r in both if WRITE in modes[r])
        reread = sorted(r for r in both if self._contended(r, modes[r]))
        contended = [sorted(r for r in t if self._contended(r, modes[r])) for t in touched]
        pair = next(((a, b) for a in contended[0] for b in contended[1] if a != b), None)
        if written:
            shown = shown_resource(written[0])
            return f"read and write {shown}", f"reads and writes {shown}"
        if reread:
            shown = shown_resource(reread[0])
            return f"read {shown} twice", f"reads {shown} twice"
        if pair:
            shown = f"{shown_resource(pair[0])} and {shown_resource(pair[1])}"
            return f"touch {shown}", f"touches {shown}"
        return None

    def _keep_slept(self, chain: list[list[ast.stmt]], zero: ast.stmt) -> None:
        """Decline each safe fix in a chain of runs joined across zero sleeps (from the one
        at ``zero``; ``joined_chains``) whose await would come between statements of the
        chain that touch what other tasks' same statements touch (``_paired``), one of them
        in another run: tasks come back from a zero sleep in the order they went in, so
        every task's statements before it and after it come in one order, and the fix's
        await hands tasks on in the order their threads end. What the fix moves into its
        thread runs in that order too (the sections' lock is taken in any order), so it is
        weighed with the statements after it against the earlier runs. Its own run's
        statements before it, against those it moves and after, are its sections' to keep
        (``_segment``)."""
        for k, run in enumerate(chain):
            runs = [[s for r in chain[:k] for s in r], [s for r in chain[k + 1 :] for s in r]]
            for node in (n for s in run for n in own_nodes(s) if n in self.found):
                finding = self.findings[self.found[node]]
                if finding.strategy is None:
                    continue
                first = finding.section[0] if finding.section else finding.line
                head = [s for s in run if s.end_lineno < first]
                from_fix = [s for s in run if s.end_lineno >= first]
                paired = self._paired(
                    [self.run_accesses([*runs[0], *head]), self.run_accesses(runs[1])]
                ) or self._paired([self.run_accesses(runs[0]), self.run_accesses(from_fix)])
                if paired is not None:
                    why = (
                        f"the statements that {paired[0]} before and after the zero sleep at "
                        f"line {zero.lineno} (`asyncio.sleep(0)`), which hands tasks back in "
                        "the order they came, come in one order across tasks: an await "
                        "between them would let other tasks' come in between"
                    )
                    self.decline(self.found[node], why, unsafe=True)

    def _keep_reentered(
        self, chain: list[list[ast.stmt]], ordered: list[ast.AsyncWith], before: dict
    ) -> None:
        """Decline the safe fixes of a chain's runs from an ordered lock's body (or right
        after it) up to another ``async with`` on an asyncio lock (``lock_reentries.
        reentered``; ``before``: ``joined_runs.preceding``) whose body touches what other
        tasks may change (``_contended``): an await in the first body, or between the two,
        would change the order in which tasks come to the second."""
        from deblock.analysis.lock_reentries import before_second, reentered, reentry_reason

        found = reentered(chain, ordered, before)
        if found is None:
            return
        taken, again = found
        contended = self.contended_in(again.body)
        if not contended:
            return
        shown = shown_resource(contended[0])
        for run in before_second(chain, again):
            left = not in_body(taken, run[0])
            why = reentry_reason(
                f"it runs {'after' if left else 'in'}",
                taken.lineno,
                "the coroutine",
                again.lineno,
                "no await",
                shown,
                left,
            )
            for node in (n for s in run for n in own_nodes(s) if n in self.found):
                if self.findings[self.found[node]].strategy is not None:
                    self.decline(self.found[node], why, unsafe=True)

    def contended_in(self, statements: list[ast.stmt]) -> list[str]:
        """The resources ``statements`` touch that other tasks may change (``_contended``),
        sorted."""
        accesses = self.run_accesses(statements)
        return sorted(r for r, modes in accesses.items() if self._contended(r, modes))

    def reentries(self, sites: dict[ast.AST, int]) -> tuple[tuple, ...]:
        """The coroutine's runs from an ordered lock's body on into another ``async with``
        on an asyncio lock across its awaits of ``sites`` (its awaited call sites, by call),
        whose body touches what other tasks may change (``lock_reentries.awaited_reentries``)."""
        from deblock.analysis.lock_reentries import awaited_reentries

        suspensions = self.record.suspensions
        through = frozenset(n for n in suspensions if n.__class__ is ast.Await and n.value in sites)
        runs = statement_runs(self.record, through) if through else []
        return awaited_reentries(self.record, runs, through, self.contended_in)

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

    def _keep_checks(self) -> None:
        """Decline the safe fix of a call that runs after a test of shared state with no
        await between, when the coroutine writes that state after an await that follows the
        call (``if self.listener: return`` ... ``await serve()`` ... ``self.listener = v``):
        the test and its write were apart already, but only for that await, which the loop
        may end in one turn; a thread's await before it lets other tasks pass the same test
        and write it long after, each over the other's (asyncssh 2.24.1's agent listener)."""
        points = self._suspension_points
        tests = [n.test for n in own_nodes(self.function) if isinstance(n, (ast.If, ast.While))]
        checked = [
            ((node.lineno, node.col_offset), resource)
            for test in tests
            for node in own_nodes(test)
            for resource, mode in self.state.touches(node)
            if mode == READ and resource not in self.state.params  # an argument's: the caller's
        ]
        written = [
            ((node.lineno, node.col_offset), resource)
            for node in own_nodes(self.function)
            for resource, mode in self.state.touches(node)
            if mode == WRITE
        ]
        for node, index in self.found.items():
            if index in self.placed or self.findings[index].strategy is None:
                continue
            start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
            for at, resource in checked:
                if not at < start or _between(points, at, start):
                    continue
                write = next((w for w, r in written if r == resource and w > end), None)
                if write is not None and _between(points, end, write):
                    why = (
                        f"it runs between the test of {shown_resource(resource)} at line "
                        f"{at[0]} and the write of it at line {write[0]}, after an await: the "
                        "thread's await would widen that window, letting other tasks pass the "
                        "test meanwhile and write it over each other"
                    )
                    self.decline(index, why, unsafe=True)
                    break

    def _keep_path_checks(self) -> None:
        """Decline the safe fix of a call that runs after a test of a path with no await
        between (``if path.exists(): raise ...``, on a name the analysis could not type, so
        no finding), when it or a call after it with no await between writes the file system
        and takes that name (``temp.rename(path)``): on the loop the test and the write come in
        one piece, so one call of the coroutine creates the file and the others find it; a
        thread's await between them lets other tasks pass the test too, and each writes over
        the other (aiocoap 0.4.17's file server: its ``If-None-Match`` and ``If-Match`` PUTs)."""
        points = self._suspension_points
        checked = self._path_tests()
        if not checked:
            return
        written = [
            ((node.lineno, node.col_offset), node)
            for node, index in self.found.items()
            if node.__class__ is ast.Call
            and resource_of(self.findings[index].code, self.findings[index].target) == FILE_SYSTEM
            and self.findings[index].target not in READS
        ]
        for node, index in self.found.items():
            if self.findings[index].strategy is None:
                continue
            start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
            for at, name in checked:
                if not at < start or _between(points, at, start):
                    continue
                write = next(
                    (
                        (w, call)
                        for w, call in written
                        if w >= start and not _between(points, end, w) and _takes(call, name)
                    ),
                    None,
                )
                if write is not None:
                    why = (
                        f"it runs after the test of `{name}` at line {at[0]}, up to the write of "
                        f"the file system that takes it at line {write[0][0]}, with no await: "
                        "the thread's await would let other tasks pass the same test meanwhile "
                        "and write over each other"
                    )
                    self.decline(index, why, unsafe=True)
                    break

    def _path_tests(self) -> list[tuple[tuple[int, int], str]]:
        """Where the coroutine tests a path the analysis could not type (a call of
        ``exists``, ``stat``... on a name, no finding), and the name: a call the coroutine
        branches on, in an ``if``/``while`` test (``if path.exists():``), in what is bound
        to a name such a test reads, or to a name read in turn in such a binding (``now =
        path.stat().st_size`` ... ``if now != size:``; a walrus's too), in a ``try`` a
        handler of which leaves (``except FileNotFoundError: raise``), or in a statement of
        a ``with contextlib.suppress(...)`` body that others follow (they run only when it
        did not raise): aiocoap's ``If-Match`` form does two."""
        nodes = list(own_nodes(self.function))
        tested = {n for t in nodes if t.__class__ in _BRANCHES for n in own_nodes(t.test)}
        bound = _feeding(nodes, {n.id for n in tested if n.__class__ is ast.Name})
        guarded = {
            n
            for t in nodes
            if t.__class__ in _TRIES and any(h.body[-1].__class__ in _LEAVES for h in t.handlers)
            for statement in t.body
            for n in own_nodes(statement)
        }
        guarded |= {
            n
            for w in nodes
            if w.__class__ in _WITHS and any(_suppresses(i.context_expr) for i in w.items)
            for i, statement in enumerate(w.body[:-1])
            if not self._removal_tests_itself(w.body[i:])
            for n in own_nodes(statement)
        }
        return [
            ((node.lineno, node.col_offset), node.func.value.id)
            for node in nodes
            if node.__class__ is ast.Call
            and node.func.__class__ is ast.Attribute
            and node.func.attr in _PATH_TESTS
            and node.func.value.__class__ is ast.Name
            and node not in self.found  # typed, it is a finding the sections weigh
            and (node in tested or node in bound or node in guarded)
        ]

    def _removal_tests_itself(self, statements: list[ast.stmt]) -> bool:
        """Whether the first of a ``suppress`` body's ``statements`` only probes a path,
        without following a symlink, its value unused, and the next removes that path, the
        last of them to block: ``path.lstat()`` then ``os.remove(path)``. The removal
        resolves the path as the probe does, raises what the probe would raise at its own
        time and succeeds only where the probe would pass: whatever runs between them, the
        pair gives what it would give run at once when the removal runs, as the removal
        alone would. ``stat()`` follows a symlink the removal does not: another task making
        the path a dangling link between them lets the removal take a link the probe would
        have failed on (``runtime_declined/stat_removed``)."""
        test, following, *rest = statements
        if test.__class__ is not ast.Expr or following.__class__ is not ast.Expr:
            return False
        probe, call = test.value, following.value
        index = self.found.get(call)
        return (
            index is not None
            and self.findings[index].target in _REMOVALS
            and not call.keywords
            and len(call.args) == 1
            and call.args[0].__class__ is ast.Name
            and call.args[0].id == _unfollowed_probe(probe)
            and not any(n in self.found for s in rest for n in own_nodes(s))
        )

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
                    f"and {_TORN}"
                )
            else:
                self.moved_streams.update((name, *finding.section) for name in moved)
                continue
            self.decline(index, why, unsafe=True)

    @cached_property
    def _suspension_points(self) -> list[tuple[int, int]]:
        """Where the coroutine suspends (``FunctionRecord.suspensions``), sorted."""
        return sorted((n.lineno, n.col_offset) for n in self.record.suspensions)

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
        return [(where[0], where[-1], f"touch {_listed(contended)} together")]

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

    def _parameter_rereads(self, statements: list[ast.stmt], name: str):
        """The spans of run ``statements`` that read parameter ``name`` twice: an attribute
        of it (``ledger.count``) when the module writes that attribute of some object (it
        may be this one), or the parameter whole (``len(log)``, ``log[0]``, a method's call,
        ``log.copy()``), unless its value cannot change (``_immutable``), when the module
        changes some object (``ModuleState.changer``: a section would race it; one its
        reads as text, ``str(log)``, may show: ``plain_text``); else each is
        noted (``log.*`` whole): another module may write it (a parameter may hold any
        object, ``Judge.reread_globals``)."""
        from deblock.analysis.plain_text import text_reads

        reads: dict[str, list[tuple[int, ast.AST]]] = {}
        steady = self._immutable(name)
        for i, statement in enumerate(statements[: self._rebound_at(statements, name) + 1]):
            for node, attribute in self._parameter_reads(statement, name):
                if not (steady and attribute == ANY):
                    reads.setdefault(attribute, []).append((i, node))
        spans = []
        for attribute, found in sorted(reads.items()):
            first, last = found[0][0], found[-1][0]
            sites = {node for _, node in found}
            if self._read_sites(statements[first : last + 1], sites.__contains__) < 2:
                continue
            shown = f"{name}.{attribute}"
            changer = attribute == ANY and self.module_state.changer(
                all(node in text_reads(statements[i], self.callees) for i, node in found)
            )
            if changer:
                self.unheld.append(({found[0][1], found[-1][1]}, f"`{name}` may be {changer}"))
                spans.append((first, last, f"read `{name}` twice"))
            elif attribute != ANY and self.module_state.writes(self.function, name, found[0][1]):
                spans.append((first, last, f"read `{shown}` twice, which this module also writes"))
            else:
                self.reread.add((shown, statements[first].lineno, statements[last].end_lineno))
        self._parameter_pairs(statements, name, reads)
        return spans

    def _parameter_pairs(
        self, statements: list[ast.stmt], name: str, reads: dict[str, list[tuple[int, ast.AST]]]
    ) -> None:
        """Note in ``pairs`` two attributes of parameter ``name`` the run reads
        (``_parameter_rereads``' ``reads``: by attribute, the statements' places and nodes)
        in different statements: this module or others may write both, of any object
        (``ledger.sold``, ``ledger.paid``; ``Judge.read_pairs``)."""
        attributes = [a for a in sorted(reads) if a != ANY]
        for i, one in enumerate(attributes):
            for other in attributes[i + 1 :]:
                places = [place for place, _ in (*reads[one], *reads[other])]
                first, last = min(places), max(places)
                if first < last:
                    lines = (statements[first].lineno, statements[last].end_lineno)
                    self.pairs.add((f"{name}.{one}", f"{name}.{other}", *lines))

    def _rebound_at(self, statements: list[ast.stmt], name: str) -> int:
        """The index of the first of run ``statements`` that binds parameter ``name`` anew
        to a new value (``_fresh``: ``text = sorted(text)``, ``log = []``), when the coroutine
        binds it to nothing else: what it reads of the name after that is its own object,
        no other code's (its value's reads are the parameter's). Else the last index."""
        rebound = self.record.own_scope.bindings[name][1:]
        if rebound and all(b.kind is Kind.VALUE and self._fresh(b.expr) for b in rebound):
            for i, statement in enumerate(statements):
                if statement.__class__ is ast.Assign and len(statement.targets) == 1:
                    target = statement.targets[0]
                    if target.__class__ is ast.Name and target.id == name:
                        return i
        return len(statements) - 1

    def _fresh(self, value: ast.expr | None) -> bool:
        """Whether ``value`` is a new object no other code holds: a constant, a display or
        comprehension (not a generator, which reads lazily), or the result of a builtin
        that makes one (``sorted(x)``, ``list(x)``, ``str(x)``)."""
        if value.__class__ in _FRESH_VALUES:
            return True
        return value.__class__ is ast.Call and self.callees.get(value) in _FRESH_CALLS

    def _parameter_reads(self, statement: ast.stmt, name: str) -> list[tuple[ast.AST, str]]:
        """The nodes of ``statement`` that read parameter ``name`` (``StateAccess.touches``),
        each with the attribute it reads (``ledger.count``) or ``ANY``: the parameter whole
        (``len(log)``; a method called on it, ``log.copy()``). But a name an attribute is
        read on (``ledger`` of ``ledger.count``: the attribute's read), the name returned or
        bound to another whole (``return log``, ``kept = log``: ``kept``'s reads are its,
        ``_aliases``), which reads none of the object, a key (``COUNTS[name]``: its hash and
        equality, which a key held in a dict keeps), a function called (``parse(fh)``: what
        it does is the call's) and, whole, in a nested function's body, which runs only when
        called."""
        everything = list(own_nodes(statement))
        nodes = [n for n in everything if (name, READ) in self.state.touches(n)]
        aliases = self._aliases.get(name, ())
        nodes += [
            n
            for n in everything
            if n.__class__ is ast.Name and n.id in aliases and n.ctx.__class__ is ast.Load
        ]
        calls = [n for n in everything if n.__class__ is ast.Call]
        methods = {c.func for c in calls if c.func.__class__ is ast.Attribute}
        passed = {n.value for n in nodes if n.__class__ is ast.Attribute}
        passed.update(n.value for n in everything if _passes(n) and n.value.__class__ is ast.Name)
        passed.update(n.slice for n in everything if n.__class__ is ast.Subscript)
        passed.update(c.func for c in calls if c.func.__class__ is ast.Name)
        found = [
            (n, ANY if n in methods else self.state.attribute(n, name) or ANY)
            for n in nodes
            if n not in passed
        ]
        if statement.__class__ in _DEFINITIONS:  # its body reads nothing until called
            return [(n, attribute) for n, attribute in found if attribute != ANY]
        return found

    @cached_property
    def _aliases(self) -> dict[str, set[str]]:
        """By parameter, the coroutine's names bound once, to it whole (``kept = log``),
        where it is not bound anew: a read of one reads the parameter's object."""
        bindings = self.record.own_scope.bindings
        aliases: dict[str, set[str]] = {}
        for node in self.record.own_code:
            if node.__class__ is ast.Assign and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if target.__class__ is ast.Name and value.__class__ is ast.Name:
                    if value.id in self.state.params and len(bindings[value.id]) == 1:
                        if len(bindings.get(target.id, ())) == 1:
                            aliases.setdefault(value.id, set()).add(target.id)
        return aliases

    def _immutable(self, name: str) -> bool:
        """Whether parameter ``name`` holds a value nothing changes, as far as the code
        shows: annotated so (``steady_parameters``) or handed as the path of a call on the
        file system (``_paths``), and not changed in place by the coroutine."""
        return name in self._steady and name not in self.state.changed

    @cached_property
    def _steady(self) -> set[str]:
        from deblock.analysis.immutable_types import steady_parameters

        return steady_parameters(self.record) | self._paths

    @cached_property
    def _paths(self) -> set[str]:
        """The parameters the coroutine hands a call on the file system as its path
        (``open(path)``, its first argument), or as the first argument of a path built for
        it (``open(os.path.join(root, "a"))``, ``_PATH_BUILDERS``): a ``str``, ``bytes`` or
        ``PurePath``, none of which changes (an ``os.PathLike`` of the project's own, whose
        ``__fspath__`` reads state, is not weighed)."""
        roots = (
            self._path_root(node.args[0])
            for node, index in self.found.items()
            if node.__class__ is ast.Call
            and node.args
            and resource_of(self.findings[index].code, self.findings[index].target) == FILE_SYSTEM
        )
        return {root.id for root in roots if root.__class__ is ast.Name}

    def _path_root(self, path: ast.expr) -> ast.expr:
        """What path ``path`` is built on through ``_PATH_BUILDERS``: ``root`` for
        ``os.path.join(root, "a")``, ``path`` itself if none builds it."""
        while path.__class__ is ast.Call and path.args and self.callees.get(path) in _PATH_BUILDERS:
            path = path.args[0]
        return path

    def _imported_rereads(self, statements: list[ast.stmt]) -> None:
        """Note each name imported from another module (``from store import LOG``) that run
        ``statements`` reads twice as a value (``len(LOG)``; not called: ``tick()``): no
        state of this module, which never changes it, but another module may
        (``Judge.reread_globals``)."""
        reads: dict[str, list[tuple[int, ast.Name]]] = {}
        for i, statement in enumerate(statements):
            nodes = list(own_nodes(statement))
            called = {n.func for n in nodes if n.__class__ is ast.Call}
            for node in nodes:
                if node.__class__ is ast.Name and node not in called:
                    if node.ctx.__class__ is ast.Load and node.id in self.state.imported:
                        reads.setdefault(node.id, []).append((i, node))
        for name, found in reads.items():
            first, last = found[0][0], found[-1][0]
            sites = {node for _, node in found}
            if self._read_sites(statements[first : last + 1], sites.__contains__) > 1:
                self.reread.add((name, statements[first].lineno, statements[last].end_lineno))

    def _reads(self, resource: str) -> Callable[[ast.AST], bool]:
        """Whether a node reads state ``resource`` (``StateAccess.touches``)."""
        return lambda node: (resource, READ) in self.state.touches(node)

    def _read_sites(self, statements: list[ast.stmt], reads: Callable[[ast.AST], bool]) -> int:
        """How many reads ``statements`` make (``reads``: whether a node is one):
        ``self.x.items()`` reads ``self.x`` once; a read that a loop among them repeats
        counts twice."""
        sites = {node for statement in statements for node in own_nodes(statement) if reads(node)}
        inner = {n.value for n in sites if isinstance(n, (ast.Attribute, ast.Subscript))}
        tops = set(statements)
        counted = {n: 2 if self._repeated(n, tops) else 1 for n in sites - inner}
        if sum(counted.values()) < 2:
            return sum(counted.values())
        return max(self._path_reads(statements, counted))

    def _path_reads(self, statements: list[ast.stmt], counted: dict[ast.AST, int]):
        """How many of the reads ``counted`` (each with its count) each way through the
        conditional expressions of ``statements`` makes: of the two branches of one
        (``A(x.y) if not x.y else B(x.y)``) only one runs; a way on which no finding runs
        adds no await between its reads, and counts one at most. Past ``_FORKS`` such
        expressions, every read counts."""
        forks = [
            n
            for s in statements
            for n in own_nodes(s)
            if n.__class__ is ast.IfExp and any(m in counted for m in _branch_nodes(n))
        ]
        if not forks or len(forks) > _FORKS:
            yield sum(counted.values())
            return
        found = [n for s in statements for n in own_nodes(s) if n in self.found]
        for way in product((0, 1), repeat=len(forks)):
            left = {
                n
                for fork, taken in zip(forks, way, strict=True)
                for n in _branch_nodes(fork, 1 - taken)
            }
            reads = sum(c for n, c in counted.items() if n not in left)
            fixed = any(n not in left for n in found)
            yield reads if fixed else min(reads, 1)

    def _repeated(self, node: ast.AST, tops: set[ast.stmt]) -> bool:
        """Whether ``node`` runs again each time round a loop of statements ``tops``: in a
        ``for`` or ``while`` body, or a ``while`` test."""
        child = node
        while child not in tops:
            parent = self.parents[child]
            looped = isinstance(parent, _LOOPS) and child in parent.body
            if looped or (isinstance(parent, ast.While) and child is parent.test):
                return True
            child = parent
        return False

    def _opaque(self, statement: ast.stmt) -> bool:
        return any(
            self._opaque_finding(self.found[n]) for n in own_nodes(statement) if n in self.found
        )

    def _opaque_finding(self, index: int) -> bool:
        """Project code that blocks (a breaker runs what it is handed: not opaque)."""
        finding = self.findings[index]
        return BY_CODE[finding.code].family in _OPAQUE_FAMILIES and not (
            _SHARED_WITH_TASKS & {finding.strategy, finding.unsafe_strategy}
        )

    def _lifetimes(self, statements: list[ast.stmt]) -> list[tuple[int, int, str]]:
        """Handles a blocking call makes (a temporary file, a descriptor, a connection) that
        only blocking calls of this segment use: from the call to their last use."""
        spans = []
        for i, statement in enumerate(statements):
            if not isinstance(statement, ast.Assign) or statement.value not in self.found:
                continue
            if not _makes_handle(self.findings[self.found[statement.value]]):
                continue
            name = _bound_name(statement, statement.value)
            where = {n: j for j, s in enumerate(statements) if j > i for n in own_nodes(s)}
            uses = [
                n
                for n in own_nodes(self.function)
                if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
            ]
            if name and uses and all(u in where and self._only_read_by_io(u) for u in uses):
                spans.append((i, max(where[u] for u in uses), f"{_LIFETIME}`{name}`"))
        return spans

    def _only_read_by_io(self, use: ast.Name) -> bool:
        """Whether a use of a value is a blocking call's, or reads one of its attributes."""
        parent = self.parents.get(use)
        if isinstance(parent, ast.Attribute) and not isinstance(self.parents.get(parent), ast.Call):
            return True  # ``tmp.name``
        return any(node in self.found for node in up_to_statement(use, self.parents))

    def _section(self, statements: list[ast.stmt], indices: list[int], phrases) -> None:
        reason = _phrase(phrases)
        inside = {n for s in statements for n in own_nodes(s)}
        span = (statements[0].lineno, statements[-1].end_lineno)
        # A thread-affine object leaving the section makes every fix wrong: none is offered.
        stranded = self._stranded(inside)
        blocker = None if stranded else self._blocker(statements, indices, inside)
        # Project code carried into the thread may not be thread-safe: the move is unsafe.
        carried = [i for i in indices if not self.findings[i].strategy or self._opaque_finding(i)]
        unsafe = None
        if carried:
            unsafe = (
                f"the statements that {reason} must stay atomic, and moving them into a "
                f"thread carries `{self.findings[carried[0]].target}`, which may not be "
                "thread-safe"
            )
        unshared = not carried and self._unshared(statements, phrases)
        if not (stranded or blocker):
            self.sections.append((indices, inside))
        ahead = self._free_head(statements) if blocker and not stranded else set()
        lazy_reads = self._lazy_reads(inside)
        for index in indices:
            self.placed.add(index)
            if stranded:
                self.decline(index, stranded)
            elif index in ahead:
                continue  # its own fix awaits before every access the section keeps
            elif blocker:
                why = f"the statements that {reason} must stay atomic, but {blocker}"
                self.decline(index, why, unsafe=True)
            else:
                self.findings[index] = self.findings[index]._replace(
                    strategy=None if unsafe else SECTION_STRATEGY,
                    unsafe_strategy=SECTION_STRATEGY if unsafe else None,
                    unfixable=None,
                    section=span,
                    section_reason=reason,
                    unshared=unshared,
                    declined=unsafe if self._own_fix_declined(index) else None,
                    lazy_reads=lazy_reads,
                )
        if blocker and not stranded:
            self.blocked.append(statements)
            entered, free = self._entered(inside)
            if free:
                self.free_turns.append(
                    (entered, f"takes it at once, between statements that {reason}")
                )

    def _unshared(self, statements: list[ast.stmt], phrases: list[str]) -> bool:
        """Whether a section only holds handles' lifetimes (``_lifetimes``) and shares
        nothing with other calls: its calls are its findings, on no resource (a temporary
        file, a database in memory, a client that reads the trust store), each handed what
        a lone thread bridge of it could be (``keep_shared_arguments``), and it reads no
        other state but parameters whole and the callables it calls. Its callers need not
        take turns: each makes and uses its own handles."""
        if not all(p.startswith(_LIFETIME) for p in phrases):
            return False
        for node in (n for s in statements for n in own_nodes(s)):
            if node.__class__ is ast.Call and (
                node not in self.found
                or next(self._resource_access(node), None)
                or self.module_state.handed(self.function, node)
            ):
                return False
            for _, mode in self.state.touches(node):
                if mode != READ or not self._read_whole(node):
                    return False
        return True

    def _read_whole(self, node: ast.AST) -> bool:
        """Whether ``node`` is a name read whole, or the callable of the call it is in, or
        a part of its dotted name (``urllib.request`` of ``urllib.request.urlopen(...)``)."""
        parent = self.parents.get(node)
        if node.__class__ is ast.Name:
            return parent.__class__ not in (ast.Attribute, ast.Subscript)
        while parent.__class__ is ast.Attribute:
            node, parent = parent, self.parents.get(parent)
        return parent.__class__ is ast.Call and parent.func is node

    def _free_head(self, statements: list[ast.stmt]) -> set[int]:
        """The findings of a section that cannot move whose own fixes await before all it
        keeps atomic (``section_heads.free_head``)."""
        from deblock.analysis.section_heads import free_head

        later = [self._accesses(s) for s in statements[1:]]
        if any(self._opaque(s) for s in statements):
            return set()  # project code that blocks may touch anything
        contended = lambda parts: self._contended_in(parts, [False] * len(parts))[1]  # noqa: E731
        head = free_head(statements[0], later, self._accesses, contended)
        return {self.found[n] for s in head for n in own_nodes(s) if n in self.found}

    def _own_fix_declined(self, index: int) -> bool:
        """Whether an unsafe section's reason is finding ``index``'s: it had a safe fix, or
        none of its own (its rule offers none); a rule's own unsafe fix keeps its reason."""
        finding = self.findings[index]
        return bool(finding.strategy or not finding.unsafe_strategy)

    def split_declined(self, findings: list[Finding], found: dict[ast.AST, int]) -> None:
        """Offer as unsafe what is left of each declined section between the calls in it
        with an unsafe fix of their own, once the module's analysis has settled every fix
        (``findings``, ``found``: the module's, sorted since). Each such fix adds an
        ``await`` that splits the section, and ``fix --unsafe-fixes`` analyses the rest
        anew: a section found there is fixed too (telethon 1.45.0's
        ``_FileStream.__aenter__``: ``os.path.getsize`` bridged alone left the ``open``
        beside it a section of its own, to which check had given no fix)."""
        self.findings, self.found = findings, {n: found[n] for n in self.found}
        for statements in self.blocked:
            nodes = [n for s in statements for n in own_nodes(s) if n in self.found]
            apart = [n for n in nodes if self.findings[self.found[n]].unsafe_fix_only]
            if apart and len(apart) < len(nodes):
                for run in _runs([statements], apart):
                    self._segment(run, split=True)

    def _split_section(
        self, statements: list[ast.stmt], indices: list[int], phrases: list[str]
    ) -> None:
        """A section of what is left of a declined one (``split_declined``), offered as
        unsafe when it can move, its calls' reason kept; else they stay as they are."""
        inside = {n for s in statements for n in own_nodes(s)}
        if self._stranded(inside) or self._blocker(statements, indices, inside):
            return
        for index in indices:
            self.findings[index] = self.findings[index]._replace(
                unsafe_strategy=SECTION_STRATEGY,
                unfixable=None,
                section=(statements[0].lineno, statements[-1].end_lineno),
                section_reason=_phrase(phrases),
            )

    def _entered(self, inside) -> tuple[ast.AsyncWith | None, bool]:
        """The first ``async with`` among the nodes ``inside`` a run (a free lock's, or a
        manager's that never suspends), and whether it takes a free lock."""
        locks = [n for n in inside if isinstance(n, ast.AsyncWith)]
        entered = min(locks, key=lambda n: (n.lineno, n.col_offset), default=None)
        if entered is None:
            return None, False
        body = (entered.body[0].lineno, entered.body[-1].end_lineno)
        return entered, any(r[:2] == body and not r[3] for r in self.record.free_locks)

    def _blocker(self, statements: list[ast.stmt], indices: list[int], inside) -> str | None:
        """Why these statements cannot move into a thread helper (``None`` when they can)."""
        from deblock.analysis.unbound import unbound_read

        for index in indices:
            finding = self.findings[index]
            if _SHARED_WITH_TASKS & {finding.strategy, finding.unsafe_strategy}:
                return f"`{finding.target}` must stay on the event loop"
        bound = first_bound((n for s in statements for n in own_nodes(s)), self.bound.moves)
        if bound is not None:
            return bound
        # in a run: a free lock's or a manager's that never suspends (``plain_managers``)
        entered, free = self._entered(inside)
        if entered is not None:
            why = "no holder of it ever waits inside it" if free else "its manager never awaits"
            return (
                f"they {'take' if free else 'enter'} `{ast.unparse(entered.items[0].context_expr)}`"
                f" (line {entered.lineno}) with `async with`, which stays on the event loop: "
                f"{why}, so it does not suspend and they run as one"
            )
        # The helper returns what they return; falling off its end must end the coroutine.
        ends = isinstance(statements[-1], ast.Return) or statements[-1] is self.function.body[-1]
        if returns_in(statements) and not ends:
            return "they return midway"
        if generator_returns(self.function, statements):
            return f"they return {FROM_GENERATOR}"
        if jumps_out(statements):
            return "they break out of or continue a loop around them"
        if not self.lines.fills_lines(statements[0], statements[-1]):
            return "they share their lines with code that stays: the fix moves whole lines"
        frame = frame_bound(statements)
        if frame is not None:
            return f"they use {frame}"
        lazy = self._lazy_left(inside)
        if lazy is not None:
            return lazy
        unheld = next((why for reads, why in self.unheld if reads <= inside), None)
        if unheld is not None:
            return f"{unheld} on the event loop, beside the worker thread"
        return unbound_read(self.function, statements, "they bind")

    def _stranded(self, inside: set[ast.AST]) -> str | None:
        """Why a thread-affine object made or used in the section is not confined to it."""
        for node, index in self.found.items():
            if node in inside and self._affine(self.findings[index], node):
                reason = self._escape(node, inside)
                if reason:
                    return self._affinity_reason(node, reason)
        return None

    def decline(self, index: int, reason: str, unsafe: bool = False) -> None:
        self.findings[index] = decline(self.findings[index], reason, unsafe)

    def _fixable(self, finding: Finding) -> bool:
        """Whether ``finding`` has a fix a section can make: an iteration's is its loop's."""
        movable = finding.unfixable in (None, ITERATION)
        return movable and bool(finding.strategy or finding.unsafe_strategy)

    # -- what a statement touches -------------------------------------------

    def _accesses(
        self, statement: ast.stmt, private: frozenset[str] = frozenset()
    ) -> dict[str, list[str]]:
        """Each resource the statement touches, with one mode per access. A blocking call
        nested in another (``json.load(open(p))``) moves into the thread with it: one access,
        unless its arguments must stay on the event loop (they await, or need the
        coroutine's frame: ``frame_bound``), where each call is bridged apart. A use of a
        lazy result's name (``_lazy_names``) is its call's access. ``private``: more
        names of temporary files (``run_accesses``)."""
        touched: dict[str, list[str]] = {}
        covered: set[ast.AST] = set()
        lazy_names = self._lazy_names
        for node in own_nodes(statement):  # outer nodes first
            if node in self.found and node not in covered:
                modes: dict[str, set[str]] = {}
                held = [n for n in own_nodes(node) if n in self.found]
                for inner in held if len(held) == 1 or _moves_whole(node) else [node]:
                    covered.add(inner)
                    for resource, mode in self._resource_access(inner, private):
                        modes.setdefault(resource, set()).add(mode)
                for resource, kinds in modes.items():
                    touched.setdefault(resource, []).append(WRITE if WRITE in kinds else READ)
            if lazy_names and (lazy := self._lazy_access(node)):
                touched.setdefault(lazy[0], []).append(lazy[1])  # iterating it does the I/O
            for resource, mode in self.state.touches(node):
                touched.setdefault(resource, []).append(mode)
        return touched

    def lazy_uses(self) -> list[tuple[int, str, str]]:
        """The line, resource and mode of each use of a lazy result's name
        (``_lazy_names``): accesses no finding of their own marks."""
        if not self._lazy_names:
            return []
        return [
            (node.lineno, *access)
            for node in own_nodes(self.function)
            if (access := self._lazy_access(node)) is not None
        ]

    def _lazy_reads(self, inside: set[ast.AST]) -> tuple[str, ...]:
        """The resources the nodes ``inside`` a section touch by using a lazy result's name
        (``_lazy_names``): iterated in the thread, it does its I/O there (fix_fuzz
        --proxies 490233: a listing made before an await, iterated in a section on the
        server)."""
        if not self._lazy_names:
            return ()
        used = {access[0] for n in inside if (access := self._lazy_access(n))}
        return tuple(sorted(used))

    def _lazy_access(self, node: ast.AST) -> tuple[str, str] | None:
        """The access of the lazy result whose name ``node`` reads (``_lazy_names``), if it
        is a name read."""
        if node.__class__ is not ast.Name or not isinstance(node.ctx, ast.Load):
            return None
        return self._lazy_names.get(node.id)

    @cached_property
    def _lazy_names(self) -> dict[str, tuple[str, str]]:
        """The names the coroutine binds to the lazy result of a call on a resource
        (``found = os.scandir(root)``), each with the call's access: a statement that uses
        the name (iterates it) does that I/O where it runs."""
        lazy = [node for node, index in self.found.items() if self.findings[index].lazy_result]
        names = {}
        for node in lazy:
            name = _bound_name(self.parents.get(node), node)
            access = next(self._resource_access(node), None)
            if name is not None and access is not None:
                names[name] = access
        return names

    def _resource_access(
        self, node: ast.AST, private: frozenset[str] = frozenset()
    ) -> Iterator[tuple[str, str]]:
        """The resource and mode of finding ``node``'s call, none on a temporary file
        (``self.private`` or ``private``)."""
        finding = self.findings[self.found[node]]
        access = resource_access(finding.code, finding.target, node, self._through_own(node))
        if access and not on_temporary(node, self.private | private):
            yield access

    def _through_own(self, node: ast.AST) -> bool:
        """Whether call ``node`` touches the server as an own client's call does
        (``StateAccess.through_own``), or goes through a shared client of a library whose
        own client the coroutine calls in the same run: both may talk to one server (their
        addresses are not compared), and the run's calls of the two reach it in one piece
        on the loop (``kafka_own_beside_shared``: a thread-safe producer's send after an
        own consumer's poll). A project function the run calls that touches the server
        names no library: beside it, any client's call does (``kafka_own_in_helper``)."""
        library = self.findings[self.found[node]].target.partition(".")[0]
        beside = self._own_libraries.get(node, ())
        return self.state.through_own(node) or library in beside or _ANY_LIBRARY in beside

    @cached_property
    def _own_libraries(self) -> dict[ast.AST, frozenset[str]]:
        """For each finding node in a run of statements, the libraries (``paramiko``,
        ``kafka``) of the server calls the run makes through clients of its own, and
        ``_ANY_LIBRARY`` when it calls project code that touches the server."""
        libraries = {}
        for segment in self.segments:
            nodes = [n for s in segment for n in own_nodes(s)]
            found = [n for n in nodes if n in self.found]
            own = {
                finding.target.partition(".")[0]
                for n in found
                if RESOURCE_OF_CODE.get((finding := self.findings[self.found[n]]).code) == SERVER
                and self.state.through_own(n)
            }
            if any(resource == SERVER for n in nodes for resource, _ in self.state.touches(n)):
                own.add(_ANY_LIBRARY)
            libraries.update(dict.fromkeys(found, frozenset(own)))
        return libraries

    # -- thread affinity ----------------------------------------------------

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        return parents(self.function)

    def _affine(self, finding: Finding, node: ast.AST) -> bool:
        """Whether ``finding`` at ``node`` is a call on or making a thread-affine object (a
        connection made with ``check_same_thread=False`` is none)."""
        from deblock.analysis.affinity import affine_kind

        target = finding.target
        return affine_kind(target, self.call_returns) is not None and not opens_shared(node, target)

    def _affinity_reason(self, node: ast.AST, why: str) -> str:
        from deblock.analysis.affinity import affine_kind, affinity_reason

        target = self.findings[self.found[node]].target
        return affinity_reason(affine_kind(target, self.call_returns), why)

    def _escape(self, node: ast.AST, inside: set[ast.AST]) -> str | None:
        """Why a thread-affine call's objects are not confined to the section ``inside``."""
        target = self.findings[self.found[node]].target
        if target.rpartition(".")[0] in TOKEN_CALLS:
            return self._token_apart(node, inside)
        if target.rpartition(".")[0] in THREAD_AFFINE:
            receiver = node.func.value if isinstance(node, ast.Call) else None
            if not (
                (isinstance(receiver, ast.Call) and receiver in inside)
                or (isinstance(receiver, ast.Name) and self._bound_in(receiver.id, inside))
            ):
                return "it was made outside the section"
        if self.call_returns(target) not in THREAD_AFFINE:
            return None
        parent = self.parents.get(node)
        if isinstance(parent, (ast.Attribute, ast.Expr)):
            return None  # used on the spot, or dropped
        name = _bound_name(parent, node)
        if name is None:
            return "the object it makes leaves the section"
        if self._used_outside(name, inside):
            return f"`{name}` is used outside the section"
        return None

    def _token_apart(self, node: ast.AST, inside: set[ast.AST]) -> str | None:
        """Why the calls using a lock's token (``TOKEN_CALLS``) on ``node``'s receiver would
        not run in one thread that takes it and gives it back: each of the coroutine's is in
        the section ``inside``, the first an ``acquire`` and the last a ``release``, or other
        code would find the token in the wrong thread. A call through another name
        (``take = lock.acquire``) may be on any lock."""
        from deblock.analysis.affinity import uses_token

        calls = sorted(
            (other.lineno, other.col_offset, other)
            for other, index in self.found.items()
            if uses_token(self.findings[index].target)
        )
        receivers = {other: _written_receiver(other) for *_, other in calls}
        if None in receivers.values():
            return "one of its calls is made through another name"
        receiver = receivers[node]
        calls = [other for *_, other in calls if receivers[other] == receiver]
        for other in calls:
            if other not in inside:
                return f"`{receiver}.{other.func.attr}` (line {other.lineno}) runs outside it"
        if calls[0].func.attr != "acquire" or calls[-1].func.attr != "release":
            return f"the section does not both take `{receiver}` first and release it last"
        return None

    def _lazy_left(self, inside: set[ast.AST]) -> str | None:
        """Why a lazy result made in the section would be iterated outside it (after the
        thread, on the event loop: its I/O would stay there)."""
        for node, index in self.found.items():
            finding = self.findings[index]
            if node not in inside or not finding.lazy_result:
                continue
            parent = self.parents.get(node)
            name = _bound_name(parent, node)
            if isinstance(parent, ast.Return) or (name and self._used_outside(name, inside)):
                shown = f" (`{name}`)" if name else ""
                return (
                    f"the lazy result of `{finding.target}`{shown} is iterated after them, on "
                    "the event loop, where it does its I/O"
                )
        return None

    def _used_outside(self, name: str, inside: set[ast.AST]) -> bool:
        """Whether the coroutine reads ``name`` outside ``inside`` (unless only what other
        calls made reaches there), or returns it there."""
        for use in own_nodes(self.function):
            if isinstance(use, ast.Name) and use.id == name and isinstance(use.ctx, ast.Load):
                if isinstance(self.parents.get(use), ast.Return):
                    return True
                if use not in inside and not self._made_elsewhere(use, inside):
                    return True
        return False

    def _made_elsewhere(self, use: ast.Name, inside: set[ast.AST]) -> bool:
        """Whether every binding of ``use`` that reaches it (known where it is a call's
        receiver) holds what a blocking call outside ``inside`` made: a second ``with
        sqlite3.connect(p) as conn`` rebinds ``conn`` to a connection of its own."""
        reaching = self._receivers.get(use)
        bindings = reaching.get(use.id) if reaching else None
        return (
            bool(bindings)
            and all(
                b.expr in self.found and b.expr not in inside and b.kind in _MADE for b in bindings
            )
            and not self._repeated_with(use, inside)
        )

    def _repeated_with(self, use: ast.AST, inside: set[ast.AST]) -> bool:
        """Whether a loop holds both ``use`` and the section ``inside``: the section's
        binding reaches the use on the next round (the walk's bindings do not go round)."""
        node = self.parents.get(use)
        while node is not None and node is not self.function:
            if isinstance(node, _ROUNDS) and any(n in inside for n in ast.walk(node)):
                return True
            node = self.parents.get(node)
        return False

    @cached_property
    def _receivers(self) -> dict[ast.AST, dict]:
        """The bindings that reach each name a call of the coroutine is made on."""
        return {
            call.node.func.value: call.reaching
            for call in self.record.calls
            if call.reaching is not None
            and isinstance(call.node, ast.Call)
            and isinstance(call.node.func, ast.Attribute)
            and isinstance(call.node.func.value, ast.Name)
        }

    def _bound_in(self, name: str, inside: set[ast.AST]) -> bool:
        return any(
            isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
            for n in inside
        )


def _listed(resources: list[str]) -> str:
    """Resources as a reason lists them: ``the file system, `a` and `b```."""
    names = [shown_resource(r) for r in resources]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _phrase(phrases: list[str]) -> str:
    """What a section's statements do, from its spans' phrases (``_segment``)."""
    made = [p.removeprefix(_LIFETIME) for p in phrases if p.startswith(_LIFETIME)]
    return " and ".join(
        [
            *dict.fromkeys(p for p in phrases if not p.startswith(_LIFETIME)),
            *([f"{_LIFETIME}{' and '.join(made)}"] if made else []),
        ]
    )


def _moves_whole(call: ast.AST) -> bool:
    """Whether a blocking call's thread can take its arguments with it."""
    return not (isinstance(call, ast.Call) and (awaits_in(call) or frame_bound([call])))


def _bound_name(parent: ast.AST | None, value: ast.AST) -> str | None:
    """The name a value is bound to: ``name = value`` or ``with value as name``."""
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is value:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return targets[0].id
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars.id
    return None


def makes_private(code: str, target: str, call: ast.AST | None) -> bool:
    """Whether a blocking call makes a file or a database no other caller uses: a new
    temporary file, or a database opened by a private name (``PRIVATE_DATABASES``)."""
    if code in PRIVATE_FILE_CODES:
        return made_apart(target, call)
    names = PRIVATE_DATABASES.get(target)
    if names is None or not isinstance(call, ast.Call):
        return False
    keyword = (k.value for k in call.keywords if k.arg == "database")
    given = call.args[0] if call.args else next(keyword, None)
    return isinstance(given, ast.Constant) and given.value in names


def temporary_names(
    function: ast.AST, makers: list[ast.AST], given: frozenset[str] = frozenset()
) -> set[str]:
    """The names ``function`` binds only to the temporary files its calls ``makers`` make
    (``name = maker(...)``, ``with maker(...) as name``), or to what their methods return
    (``cur = conn.cursor()``), their paths (``tmp.name``) or what a call on a path in one
    returns (``open(tmp)``): files and databases no other caller uses; ``given``: names
    of such files it has already (parameters its caller handed it), among them. A name
    bound to anything else too (a file a later ``connect`` opens, a loop's item) is not
    one."""
    if not makers and not given:
        return set()
    stores: dict[str, int] = {}
    values: dict[str, list[ast.AST]] = {}
    for node in own_nodes(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
            continue
        if isinstance(node, ast.withitem):
            value = node.context_expr
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
        else:
            continue
        if value is not None and (name := _bound_name(node, value)):
            values.setdefault(name, []).append(value)
    made, names = set(makers), set(given) | unpacked(function, set(makers))
    while more := {
        name
        for name, bound in values.items()
        if name not in names
        and stores[name] == len(bound)
        and all(v in made or _on_private(v, names) for v in bound)
    }:
        names |= more
    return set() if kept_elsewhere(function, names) else names


def _on_private(value: ast.AST, names: set[str]) -> bool:
    """Whether ``value`` is what a method of a private object bound to one of ``names``
    returns (``conn.cursor()``), a temporary file's path (``tmp.name``) or what a call on
    a path in one returns (``open(os.path.join(tmp, "a"))``)."""
    if in_temporary(value, names):  # a path in one: ``os.path.join(tmp, "a")``, ``tmp / "a"``
        return True
    return isinstance(value, ast.Call) and on_temporary(value, names)


def on_temporary(call: ast.AST, names: set[str]) -> bool:
    """Whether ``call`` is a method of a temporary file bound to one of ``names`` (or of
    what one of its methods returned), or takes a path in it
    (``os.makedirs(os.path.join(tmp, "out"))``)."""
    if not names:
        return False
    alone = (
        isinstance(call, ast.Call) and bool(call.args) and (len(call.args) == 1 or one_file(call))
    )
    return _named(_receiver(call), names) or (alone and in_temporary(call.args[0], names))


def in_temporary(path: ast.expr, names: set[str]) -> bool:
    """Whether path expression ``path`` is one of ``names`` (temporary files and
    directories) or built on one (``os.path.join(tmp, "out")``, ``tmp / "out"``)."""
    return any(_named(e, names) for e in _path_roots(path))


def _named(node: ast.AST, names: set[str]) -> bool:
    if node.__class__ is ast.Attribute and node.attr == "name":  # a temporary file's path
        node = node.value
    return isinstance(node, ast.Name) and node.id in names


def _receiver(call: ast.AST) -> ast.AST:
    """What a chain of calls and attributes starts from: ``conn`` for
    ``conn.execute(q).fetchone()``."""
    node = call
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def shared_sync_io(
    sync_io: list[tuple[str, str, ast.AST, str]], records: list[FunctionRecord]
) -> list[tuple[str, str, ast.AST, str]]:
    """The blocking calls of sync functions (rule code, target, call, function: one of
    ``records``, by name) less those on temporary files the function made, as for a
    coroutine's: a thread helper a fix made of a coroutine's statements shares what they
    shared, no more."""
    makers: dict[str, list[ast.AST]] = {}
    for code, target, call, owner in sync_io:
        if makes_private(code, target, call):
            makers.setdefault(owner, []).append(call)
    if not makers:
        return sync_io
    nodes = {r.qualname: r.node for r in records if r.qualname in makers}
    names = {owner: temporary_names(nodes[owner], calls) for owner, calls in makers.items()}
    return [io for io in sync_io if not on_temporary(io[2], names.get(io[3], set()))]


def sync_access(
    code: str, target: str, call: ast.AST, access: Callable[[], StateAccess]
) -> tuple[str, str] | None:
    """The resource a sync function's blocking call touches, and whether it only reads it
    (``resource_access``), through a client the function made when the call is a method
    of one (``access``: the function's, asked only when that matters: a third-party
    protocol client's call; ``pika_own_in_helper``), or of a thread-safe client (kafka's
    producer): its call writes no client's name, and a caller's run would know nothing
    tying it to the server calls beside it (``kafka_shared_in_helper``)."""
    if resource_of(code, target, own=True) == resource_of(code, target):
        return resource_access(code, target, call)
    thread_safe = target.rpartition(".")[0] not in NOT_THREAD_SAFE
    return resource_access(code, target, call, thread_safe or access().through_own(call))


def resource_access(
    code: str, target: str, call: ast.AST | None, own: bool = False
) -> tuple[str, str] | None:
    """The resource a blocking call touches, and whether it only reads it (without the
    ``call`` to read its mode from, an ``open`` writes; ``own``: ``resource_of``'s)."""
    resource = resource_of(code, target, own)
    if resource is None or makes_private(code, target, call):
        return None
    return resource, _file_mode(target, call)


def _file_mode(target: str, call: ast.AST | None) -> str:
    """Whether a resource call reads only, or writes."""
    if target in READS:
        return READ
    position = OPENS.get(target)
    if position is None or not isinstance(call, ast.Call):
        return WRITE
    mode = next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is None and len(call.args) > position:
        mode = call.args[position]
    if mode is None:
        return READ
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return WRITE if set(mode.value) & set("wax+") else READ
    return WRITE


def segment_spans(record: FunctionRecord, lines: list[int]) -> list[tuple[int, int]]:
    """The first and last line of each run of the coroutine's statements with no
    suspension point that holds two or more of ``lines`` (calls that may share it)."""
    spans = []
    for segment in statement_runs(record):
        span = (segment[0].lineno, segment[-1].end_lineno)
        if sum(span[0] <= line <= span[1] for line in lines) > 1:
            spans.append(span)
    return spans


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
            spans.append((where[0], where[-1], f"write {_listed(written)}"))
        return spans


def _path_roots(path: ast.expr | None) -> Iterator[ast.expr]:
    """What a path expression starts from: ``tmp`` for ``os.path.join(tmp, "a")``,
    ``tmp / "a"``, ``Path(tmp, "a")`` or ``tmp`` itself."""
    while path is not None:
        yield path
        if isinstance(path, ast.BinOp) and isinstance(path.op, ast.Div):
            path = path.left
        elif isinstance(path, ast.Call) and path.args and last_name(path.func) in _JOINS:
            path = path.args[0]
        else:
            path = None


def returns_in(statements: list[ast.stmt]) -> bool:
    """Whether the statements hold a ``return`` of their own function."""
    return any(isinstance(n, ast.Return) for s in statements for n in own_nodes(s))


def generator_returns(function: ast.AST, statements: list[ast.stmt]) -> bool:
    """Whether the statements return from ``function``, an async generator: it cannot
    return what a helper returns (``return await ...`` does not compile there)."""
    return returns_in(statements) and any(
        isinstance(n, ast.Yield | ast.YieldFrom) for n in own_nodes(function)
    )


def statement_runs(
    record: FunctionRecord, through: frozenset[ast.AST] = frozenset()
) -> list[list[ast.stmt]]:
    """Runs of coroutine ``record``'s statements with no suspension point, in its body and
    in the bodies of its statements that suspend (found from the suspension points the
    walk recorded, ``FunctionRecord.suspensions``, except those in ``through``)."""
    points = [node for node in record.suspensions if node not in through]
    return _runs([record.node.body], points)


def _runs(bodies: list[list[ast.stmt]], nodes: list[ast.AST]) -> list[list[ast.stmt]]:
    """Runs of the statements of ``bodies`` (and of the bodies of those that hold one of
    ``nodes``) in which none of ``nodes`` lies."""
    points = sorted((node.lineno, node.col_offset) for node in nodes)
    segments: list[list[ast.stmt]] = []
    while bodies:
        run: list[ast.stmt] = []
        for statement in bodies.pop(0):
            if not _holds(statement, points):
                run.append(statement)
                continue
            if run:
                segments.append(run)
            run = []
            bodies += inner_bodies(statement)
        if run:
            segments.append(run)
    return segments


def _holds(statement: ast.stmt, points: list[tuple[int, int]]) -> bool:
    """Whether one of the sorted positions ``points`` lies within ``statement``."""
    i = bisect_left(points, (statement.lineno, statement.col_offset))
    return i < len(points) and points[i] <= (statement.end_lineno, statement.end_col_offset)


# What a path's methods test about the file system.
_PATH_TESTS = frozenset({"exists", "is_file", "is_dir", "is_symlink", "stat", "lstat"})
_BRANCHES = (ast.If, ast.While)
_TRIES = (ast.Try, ast.TryStar)
_WITHS = (ast.With, ast.AsyncWith)
_LEAVES = (ast.Raise, ast.Return, ast.Break, ast.Continue)  # a handler's last statement
# Writes that fail, as a probe of their path would, once it is gone.
_REMOVALS = frozenset({"os.remove", "os.unlink"})


def _feeding(nodes: list[ast.AST], read: set[str]) -> set[ast.AST]:
    """Of ``nodes`` (a function's), those of the values bound (``=``, ``:=``) to the names
    ``read``, and in turn to the names such a value reads."""
    bindings = [
        (a.targets[0].id, a.value)
        for a in nodes
        if a.__class__ is ast.Assign and len(a.targets) == 1 and a.targets[0].__class__ is ast.Name
    ]
    bindings += [(n.target.id, n.value) for n in nodes if n.__class__ is ast.NamedExpr]
    fed: set[ast.AST] = set()
    while values := [v for name, v in bindings if name in read and v not in fed]:
        for value in values:
            inner = list(own_nodes(value))
            fed.update(inner)
            read = read | {n.id for n in inner if n.__class__ is ast.Name}
    return fed


def _unfollowed_probe(probe: ast.expr) -> str | None:
    """The name whose path ``probe`` stats without following a symlink (``path.lstat()``,
    ``path.stat(follow_symlinks=False)``), or ``None``."""
    if probe.__class__ is not ast.Call or probe.func.__class__ is not ast.Attribute:
        return None
    if probe.func.value.__class__ is not ast.Name or probe.args:
        return None
    keywords = [(k.arg, k.value) for k in probe.keywords]
    unfollowed = probe.func.attr == "lstat" and not keywords
    unfollowed |= (
        probe.func.attr == "stat"
        and len(keywords) == 1
        and keywords[0][0] == "follow_symlinks"
        and keywords[0][1].__class__ is ast.Constant
        and keywords[0][1].value is False
    )
    return probe.func.value.id if unfollowed else None


def _suppresses(expr: ast.expr) -> bool:
    """Whether ``expr`` is a call of ``suppress`` (``contextlib.suppress(OSError)``)."""
    return expr.__class__ is ast.Call and last_name(expr.func) == "suppress"


def _takes(call: ast.Call, name: str) -> bool:
    """Whether ``call`` hands the value of the name ``name`` as an argument."""
    return any(arg.__class__ is ast.Name and arg.id == name for arg in call_arguments(call))


def stream_reason(name: str, where: str) -> str:
    """Why a fix that writes ``sys.{name}`` in a thread is declined: ``where`` writes it."""
    return f"it writes `sys.{name}`, which {where} writes too: in a worker thread, {_TORN}"


_TORN = "other tasks' writes to the stream would come between its own"


class ModuleStreams:
    """The writes of ``sys.stdout`` and ``sys.stderr`` by a module's functions
    (``functions``, the walk's records) and its top-level code (``tree``: what outlives
    the import, a logging handler), read once a fix's thread writes one or another module
    asks (``ModuleSummary.stream_writers``); ``imported``: the module's imported names, by
    the qualified names they bind (``StreamObjects``); ``lines``: its source's."""

    def __init__(
        self,
        functions: list[FunctionRecord],
        tree: ast.Module,
        module: str,
        imported: dict,
        lines: LineIndex,
    ):
        self.functions, self.tree, self.module = functions, tree, module
        self.imported, self.lines = imported, lines

    @cached_property
    def objects(self) -> StreamObjects:
        return StreamObjects(lambda: statements_below(self.tree), self.imported)

    @cached_property
    def writes(self) -> list[tuple[str, ast.AST, tuple[int, int], str]]:
        """(function's name, its node, where, ``stdout`` or ``stderr``) of each write; the
        module's name and ``tree`` for its top level. Only code on the lines that name a
        write other than click's or rich's (``_WRITE_WORDS``) is read, unless the module
        imports them (``StreamObjects.writers``)."""
        objects = self.objects
        named = self.lines.naming(_WRITE_WORDS)
        if not named and not objects.writers:
            return []
        top = [(self.module, self.tree, at, n) for at, n in stream_writes(self.tree, objects)]
        return top + [
            (record.qualname, record.node, at, name)
            for record in self.functions
            if record.node is not None and (objects.writers or _on_lines(record.node, named))
            for at, name in stream_writes(record.node, objects, record.own_code)
        ]

    def logged(self) -> tuple[str, ...]:
        """The functions that log a record at ``WARNING`` or above (``StreamObjects.logs``:
        ``sys.stderr``'s when the process configures no handler; at the top level, as the
        module is imported, before its coroutines run). Only functions on the lines that
        name a logging call's method (``LOG_METHODS``) are read."""
        objects = self.objects
        if not objects.logging:
            return ()
        named = self.lines.naming(LOG_METHODS)
        return tuple(
            sorted(
                {
                    record.qualname
                    for record in self.functions
                    if record.node is not None
                    and _on_lines(record.node, named)
                    and any(n.__class__ is ast.Call and objects.logs(n) for n in record.own_code)
                }
            )
        )

    def handlers(self) -> bool:
        """Whether the module configures logging's handlers (``CONFIGURES``)."""
        return bool(self.lines.naming(CONFIGURES)) and any(
            n.__class__ is ast.Call and last_name(n.func) in CONFIGURES for n in walk(self.tree)
        )


def _on_lines(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[int]) -> bool:
    """Whether one of the sorted ``lines`` lies within ``function``, its decorators too."""
    first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
    i = bisect_left(lines, first)
    return i < len(lines) and lines[i] <= function.end_lineno


def stream_writes(
    function: ast.AST, objects: StreamObjects, nodes: list[ast.AST] | None = None
) -> list[tuple[tuple[int, int], str]]:
    """Where ``function``'s own code (or a module's top level) may write the process's
    ``sys.stdout`` or ``sys.stderr``, and which: a use of it that is not a look at one of
    its attributes (``sys.stderr.isatty()``); a logging handler made with no stream
    (``StreamHandler()``, ``basicConfig()``), which writes ``sys.stderr`` at each record
    logged; and in a function, a ``print`` with no ``file`` (standard output), and a write
    through click or rich (``objects``) (a module's top level prints as it is imported,
    before its coroutines run); unless the function binds ``sys`` (``print``) itself.
    ``nodes``: the function's own nodes (``own_nodes``) when already walked. The names it
    binds and the streams' attributes it looks at are read only once a write is met."""
    nodes = list(own_nodes(function)) if nodes is None else nodes
    read: list[set] = []  # the names it binds, the streams looked at: once a write is met

    def binds(name: str) -> bool:
        if not read:
            read.append(_bound_names(function, nodes))
            read.append(
                {n.value for n in nodes if n.__class__ is ast.Attribute and n.attr in _LOOKS}
            )
        return name in read[0]

    inner = function.__class__ is not ast.Module
    found = []
    for node in nodes:
        if _process_stream(node):
            if not binds("sys") and node not in read[1]:
                found.append(((node.lineno, node.col_offset), node.attr))
        elif node.__class__ is not ast.Call:
            continue
        elif _logs_to_stderr(node):
            found.append(((node.lineno, node.col_offset), "stderr"))
        elif (
            inner
            and node.func.__class__ is ast.Name
            and node.func.id == "print"
            and not any(k.arg == "file" for k in node.keywords)
            and not binds("print")
        ):
            found.append(((node.lineno, node.col_offset), "stdout"))
        elif inner:
            found += [((node.lineno, node.col_offset), n) for n in objects.streams(node)]
    return found


def _logs_to_stderr(call: ast.Call) -> bool:
    """Whether ``call`` makes a logging handler of ``sys.stderr``: one of
    ``_STDERR_HANDLERS`` given no stream (nor file, nor handlers) and no ``**`` keywords."""
    given = _STDERR_HANDLERS.get(last_name(call.func))
    return (
        given is not None
        and not (call.args and given[0])
        and not any(k.arg is None or k.arg in given[1] for k in call.keywords)
    )


# The names a write of a standard stream other than click's or rich's stands on
# (``stream_writes``: ``sys.stdout``, ``sys.stderr``, a handler, ``print``).
_WRITE_WORDS = ("stdout", "stderr", "StreamHandler", "basicConfig", "print")
# What a module that writes a standard stream names (``stream_writes``).
STREAM_WORDS = (
    "print",
    "stdout",
    "stderr",
    "StreamHandler",
    "basicConfig",
    "echo",
    "Console",
    "logging",
)
# The logging calls that make a handler writing ``sys.stderr`` when given no stream: whether
# a positional argument is its stream, and the keywords that give another.
_STDERR_HANDLERS = {
    "StreamHandler": (True, ("stream",)),
    "basicConfig": (False, ("stream", "filename", "handlers")),
}


def _bound_names(function: ast.AST, nodes: list[ast.AST]) -> set[str]:
    """The names ``function`` binds itself to something of its own (assignments, imports
    but ``import sys``, parameters)."""
    names = {n.id for n in nodes if n.__class__ is ast.Name and n.ctx.__class__ is not ast.Load}
    names |= {
        (alias.asname or alias.name).partition(".")[0]
        for n in nodes
        if n.__class__ in (ast.Import, ast.ImportFrom)
        for alias in n.names
        if n.__class__ is ast.ImportFrom or alias.asname not in (None, alias.name)
    }
    arguments = getattr(function, "args", None)  # none at a module's top level
    return names | {a.arg for a in ast.walk(arguments or ast.arguments()) if a.__class__ is ast.arg}


# Attributes of a stream looked at, not written through.
_LOOKS = frozenset(
    {"isatty", "fileno", "encoding", "errors", "name", "closed", "mode", "readable", "writable"}
)


def _process_stream(node: ast.AST) -> bool:
    """Whether ``node`` is ``sys.stdout`` or ``sys.stderr``, read."""
    return (
        node.__class__ is ast.Attribute
        and node.attr in ("stdout", "stderr")
        and node.value.__class__ is ast.Name
        and node.value.id == "sys"
        and node.ctx.__class__ is ast.Load
    )


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


def jumps_out(statements: list[ast.stmt]) -> bool:
    """Whether a ``break``/``continue`` leaves the statements (not a loop inside them)."""
    return any(_breaks_out(s, False) for s in statements)


def _breaks_out(node: ast.AST, in_loop: bool) -> bool:
    if isinstance(node, (ast.Break, ast.Continue)) and not in_loop:
        return True
    if isinstance(node, SCOPES):
        return False
    inner = in_loop or isinstance(node, _LOOPS)
    return any(_breaks_out(c, inner) for c in ast.iter_child_nodes(node))


def _passes(node: ast.AST) -> bool:
    """Whether statement ``node`` hands on its value whole, reading none of it: ``return
    log``, ``kept = log`` (not ``a, b = log``, which iterates it)."""
    kind = node.__class__
    if kind is ast.Assign:
        return not any(t.__class__ in (ast.Tuple, ast.List) for t in node.targets)
    return kind is ast.Return or kind is ast.AnnAssign


def _branch_nodes(fork: ast.IfExp, which: int | None = None) -> set[ast.AST]:
    """The nodes of conditional expression ``fork``'s branches: its body (``which`` 0), its
    ``orelse`` (1), or both."""
    branches = (fork.body, fork.orelse) if which is None else ((fork.body, fork.orelse)[which],)
    return {n for branch in branches for n in ast.walk(branch)}


def _written_receiver(call: ast.AST) -> str | None:
    """The receiver a method call is written on (``self.lock``), if it is written so."""
    if call.__class__ is ast.Call and call.func.__class__ is ast.Attribute:
        return ast.unparse(call.func.value)
    return None
