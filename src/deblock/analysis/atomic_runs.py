"""Runs of a coroutine's statements that only awaits of project coroutines cross.

Awaiting a coroutine that never suspends runs it to its end with no other task in
between: the caller's statements around that await stay atomic. A fix that makes the
callee suspend (an ``await asyncio.to_thread(...)`` in it) lets other tasks run there.
The module pass records, for each such run, what its statements touch and which call
sites they await (``FunctionSummary.runs``); the project pass, which knows which callees
never suspend and which a fix changes, judges them (``project.atomic_callers``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from deblock.analysis.given_receivers import given_by_instance
from deblock.analysis.immutable_types import steady_parameters
from deblock.analysis.joined_runs import inner_bodies, repeated_runs, stretches
from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import SCOPES, argument_places, call_arguments, own_nodes
from deblock.analysis.positions import lines_within
from deblock.analysis.shared_state import READ, WRITE, StateAccess, parameter_names, whole_reads
from deblock.analysis.statement_runs import statement_runs
from deblock.analysis.suspension_flow import Preceding, first_after, flow, last_before
from deblock.rules.resources import TOKEN_TAKERS
from deblock.rules.sleep import SLEEPS

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord

# (statement's place in its run, index of the call site awaited (or called) or -1,
# resource, mode, the line of the module's finding making that access or 0, its branches,
# its loops); a finding that touches no resource gives its target, and no mode. Its
# branches: (line, branch) of each ``if`` (0: its body, 1: its ``else``) or ``match`` (the
# case) it lies in within the run: two events in different branches of one never run both.
# Its loops: the lines of the loops whose rounds run it again, outermost first; a loop's
# next round follows its last statement, so all of a loop's events lie between one of them
# and its next round, or any event before or after the loop.
Event = tuple[int, int, str, str, int, tuple[tuple[int, int], ...], tuple[int, ...]]
# The site of an event that says the run passes an ``asyncio.Lock`` whose body suspends
# (``joined_runs``): other tasks run there, but every task's statements come in one order.
LOCKED = -2
# The site of an event that says the run passes the entry of the coroutine's own ``async
# with`` on such a lock, whose body starts at the event's line, before the statement of its
# place (``joined_runs.stretches``): it goes on at once only where it finds the lock free
# (``atomic_callers``: a fix in any body of the lock makes it wait its turn there).
ENTERED = -3
# What marks a parameter's state in ``FunctionSummary.edges`` and ``state``: ``@log`` (all
# of it) or ``@log.lines`` (an attribute); a call site's ``CallSite.arguments`` says what of
# the caller's state it is.
ARGUMENT = "@"
# The place in ``CallSite.arguments`` of the object an awaited method call is made on
# (``receiver_state``): the callee's ``self.x`` is that object's.
RECEIVER = "."
# The mode of an access that takes the next token of shared state (``next(CALLS)``,
# ``TOKEN_TAKERS``): a read to every other question, but the tasks' calls come in the order
# they took their tokens (``atomic_callers``). What a run's statement does to a resource is
# the strongest of its accesses' modes.
TAKE = "take"
# The mode of one taken only in an ``if``'s test (``if next(CALLS) % 2:``) or a ``match``'s
# subject: its value shows only in the branch the run takes.
TESTED = "tested"
TOKENS = (TAKE, TESTED)
_STRENGTH = {TESTED: 1, TAKE: 2, WRITE: 3}
# The last line of what follows a statement within a run (``_branches``): any.
_AFTER = 1 << 30
_TRIES = (ast.Try, ast.TryStar)
# the statements and expressions binding a value to a name (a token kept: ``taken``)
_BINDINGS = (ast.Assign, ast.AnnAssign, ast.NamedExpr)


def own_suspensions(record: FunctionRecord, sites: dict[ast.AST, int]) -> tuple[int, ...]:
    """The first and last line where coroutine ``record`` suspends other than by awaiting
    one of ``sites`` (its awaited call sites, by call); empty when it never does. Its
    ``async with`` statements on an asyncio lock (``FunctionRecord.ordered_locks``) do
    not count: the lock hands itself on in the order it was asked, so what the coroutine
    runs right before and after one keeps one order across tasks (``joined_runs``), and
    so do its callers' statements around their await of it (a caller's check of a file
    before the await and the callee's after its ``async with LOCK:`` always agreed, while
    a holder that suspends in the lock removes the file before it enters)."""
    lines = [node.lineno for node in _own_suspensions(record, sites)]
    return (min(lines), max(lines)) if lines else ()


def exits(
    record: FunctionRecord, callee_of: Callable[[ast.AST], str | None]
) -> tuple[Preceding, Preceding, Preceding, Preceding]:
    """``suspension_flow.flow`` of coroutine ``record`` (its points, its ways out, how far
    a run goes on after each, the places that may raise: its awaits of a sleep, ``SLEEPS``
    as ``callee_of`` resolves a call, not counted (``last_binding_raises``); a library
    coroutine's may raise before it suspends, ``asyncio.wait`` of no tasks): its
    suspension points but its ``async with`` statements on an asyncio lock, where tasks keep
    one order (``own_suspensions``). A task leaving by a way runs what follows the last
    suspension before it (or all it ran) with its caller's statements after the await (a
    lock's body writing after its suspension, then returning, before a suspension after the
    block: ``lock_written_returned``; a return before any: ``returned_before_suspending``;
    a way that never suspends: ``never_suspending_way``)."""
    if not record.suspensions:
        return (), (), (), ()
    ordered = {id(node) for node in record.ordered_locks}
    points = [node for node in record.suspensions if id(node) not in ordered]
    slept = [
        node.value
        for node in record.suspensions
        if node.__class__ is ast.Await
        and node.value.__class__ is ast.Call
        and callee_of(node.value) in SLEEPS
    ]
    quiet = {id(part) for call in slept for part in (call, call.func)}
    return flow(record.node, points, {id(node) for node, _ in record.plain_withs}, quiet)


def own_exits(
    record: FunctionRecord, sites: dict[ast.AST, int], preceding: Preceding, ways: Preceding
) -> tuple[tuple[int, int], ...]:
    """(line, the earliest own suspension that may come last before it; 0: none) of each
    of ``ways`` (``exits``') of coroutine ``record``, its awaits of ``sites`` not counted."""
    return last_before(preceding, ways, _own_lines(record, sites))


def own_head(
    record: FunctionRecord, sites: dict[ast.AST, int], preceding: Preceding, reach: Preceding
) -> int:
    """The last line of coroutine ``record`` that may run before any own suspension (its
    awaits of ``sites`` not counted; ``first_after``): a statement after one it skips."""
    return first_after(preceding, reach, _own_lines(record, sites))


def _own_lines(record: FunctionRecord, sites: dict[ast.AST, int]) -> set[int]:
    return {node.lineno for node in _own_suspensions(record, sites)}


def unordered_suspensions(
    record: FunctionRecord, sites: dict[ast.AST, int], zeros: list[ast.Await]
) -> tuple[int, ...]:
    """The lines where coroutine ``record`` suspends other than by awaiting one of ``sites``
    outside the bodies of its ``async with`` statements on an asyncio lock and but at its
    zero sleeps ``zeros`` (``zero_sleeps``): none, and it suspends (by those) only while it
    holds such a lock or where tasks come back in the order they slept, coming to each
    block with no other suspension since it started or left the last (``atomic_callers``'
    held turn)."""
    bodies = [(node.body[0].lineno, node.body[-1].end_lineno) for node in record.ordered_locks]
    zero = {id(node) for node in zeros}
    return tuple(
        sorted(
            {
                node.lineno
                for node in _own_suspensions(record, sites)
                if id(node) not in zero
                and not any(first <= node.lineno <= last for first, last in bodies)
            }
        )
    )


def _own_suspensions(record: FunctionRecord, sites: dict[ast.AST, int]) -> list[ast.AST]:
    """``record``'s suspension points but its awaits of ``sites`` and its ``async with``
    statements on an asyncio lock (``FunctionRecord.ordered_locks``)."""
    ordered = {id(node) for node in record.ordered_locks}
    return [
        node
        for node in record.suspensions
        if not _awaits_site(node, sites) and id(node) not in ordered
    ]


def awaited_runs(
    record: FunctionRecord,
    sites: dict[ast.AST, int],
    found: list[tuple[int, str, str]],
    state: list[tuple[int, str, str]] | None,
    globals_: set[str],
    uses: list[tuple[int, str, str]] = (),
    called: dict[ast.AST, int] | None = None,
) -> tuple[tuple[Event, ...], ...]:
    """The runs of ``record``'s statements that no suspension breaks but awaits of
    ``sites``, each with those it runs on into across the edges of blocks and those that
    run on into it (one for each way through: ``joined_runs.stretches``), each as its
    events: the sites it awaits and what its statements touch, one event per resource and
    statement. ``found``: the line, resource and mode of each of the module's findings in
    ``record`` (the target and no mode of one that touches none); ``state``: its accesses
    of shared state (``state_touches``; an event where the run writes it, or reads its
    instance's ``self.x`` or a global of ``globals_``, which a coroutine it awaits may
    write); ``uses``: the line, resource and mode of its accesses no finding marks (a lazy
    result's uses: ``SectionPlanner.lazy_uses``); ``called``: its sync call sites (by
    call, like ``sites``), events whose accesses only the project pass knows (another
    module's helper's). Only runs that await a site and hold another event, or await it
    in a loop's rounds, or take a token and hold a finding (``_ticketed``), are kept."""
    through = frozenset(n for n in record.suspensions if _awaits_site(n, sites))
    tokens = state is not None and any(mode in TOKENS for *_, mode in state)
    if not through and not tokens:
        return ()
    parameters = parameter_names(record) - steady_parameters(record)
    runs = []
    every = statement_runs(record, through)
    # those no such await crosses are the module's own sections' to keep, but for the runs
    # they run on into across a block's edge
    held = _holding(every, through)
    again = repeated_runs(record.node.body, every, record.ordered_locks, record.plain_withs)
    finals = _finally_guarded(record.node)
    unlooped = [s for s in _unlooped(record.node) if s.__class__ is ast.If]
    for run, locked, entered in stretches(
        record.node.body, every, held, record.ordered_locks, record.plain_withs
    ):
        place, rounds = _place(run), loop_rounds(run, again)
        branches = _branches(run, rounds, finals, unlooped)
        events: list[Event] = [
            (place(node.lineno), index, "", "", 0, branches(node.lineno), rounds(node.lineno))
            for node, index in (*sites.items(), *(called or {}).items())
            if place(node.lineno) >= 0
        ]
        events += [(0, LOCKED, "", "", 0, (), ())] if locked else []
        touched = [(place(line), key, mode, line, line) for line, key, mode in found]
        if state is not None:
            touched += _state_touched(state, place, globals_, parameters)
        touched += [(place(line), key, mode, 0, line) for line, key, mode in uses]
        events += _merged([t for t in touched if t[0] >= 0], branches, rounds)
        awaited = [looped for _, site, *_, looped in events if site >= 0]
        if awaited and (len(events) > 1 or any(awaited)) or _ticketed(events):
            events += [
                (place(at.lineno), ENTERED, "", "", lock.body[0].lineno, (), rounds(at.lineno))
                for lock, at in entered
            ]
            runs.append(tuple(sorted(events)))
    return tuple(runs)


def _ticketed(events: list[Event]) -> bool:
    """Whether a run takes a token of shared state (``TOKENS``) and holds a finding of the
    module: a fix there adds an await between the token and what follows it."""
    return any(e[3] in TOKENS for e in events) and any(e[4] for e in events)


def _holding(runs: list[list[ast.stmt]], nodes) -> list[list[ast.stmt]]:
    """The ``runs`` that hold one of ``nodes``."""
    held = []
    for run in runs:
        within = lines_within(run)
        if any(within(node.lineno) for node in nodes):
            held.append(run)
    return held


def _place(run: list[ast.stmt]):
    """The place in ``run`` of the statement holding a line (-1: none): a function of the
    line. Its statements hold no suspension, so none holds another; the statements within
    one come in the order they run, their lines', so each has a place of its own (the
    innermost holding the line): two accesses an await comes between stay two."""
    spans = []
    for top in run:
        inner = _statements(top)
        inner.sort(key=lambda s: (s.lineno, s.col_offset))
        spans += [(s.lineno, s.end_lineno) for s in inner]
    places: dict[int, int] = {}
    for k, (first, last) in enumerate(spans):
        places.update(dict.fromkeys(range(first, last + 1), k))
    return lambda line: places.get(line, -1)


def _statements(top: ast.stmt) -> list[ast.stmt]:
    """``top`` and the statements within it (``own_nodes``' statements: not those of a
    function or class defined in it, but for ``top``'s own)."""
    found, todo = [top], [top]
    while todo:
        for body in inner_bodies(todo.pop()):
            inner = [s for s in body if not isinstance(s, SCOPES)]
            found += inner
            todo += inner
    return found


def called_runs(
    record: FunctionRecord,
    called: dict[ast.AST, int],
    state: StateAccess,
    writes: bool,
    found: list[int],
    arguments: dict[ast.AST, tuple],
    imported: set[str] = frozenset(),
    skipped: set[ast.AST] = frozenset(),
) -> tuple[tuple, ...]:
    """(first line, last line, sites, (line, state) of writes of shared state and of reads of
    state a site hands or of other modules' state) of each run of coroutine ``record``'s
    statements with no suspension that holds a sync call site of ``called`` (by call, as
    ``awaited_runs``'s: another module's helper, maybe), with the runs it runs on into
    across the edges of blocks and those that run on into it (``stretches``), and another
    access: a site, a write of shared state (``state``: what it reaches; ``writes``: whether
    it writes any), one of the lines of the module's findings on a resource (``found``), a
    read of state that a site of the run hands as an argument (``arguments``:
    ``argument_state`` by call) or of what the names it imports from other modules reach
    (``imported``: ``helpers.COUNT``, ``LEDGER.count``, which another module's helper may
    write; but at the nodes ``skipped``, the functions it looks up). The project pass knows
    what the sites touch: on the loop every task's accesses in the run come in one order."""
    every = statement_runs(record)
    held = _holding(every, called)
    kept = {}
    for run, *_ in stretches(
        record.node.body, every, held, record.ordered_locks, record.plain_withs
    ):
        within = lines_within(run)
        inside = [node for node in called if within(node.lineno)]
        sites = tuple(sorted(called[node] for node in inside))
        written = _written(run, state) if writes else ()
        reads = _handed_reads(run, state, [(n, arguments[n]) for n in inside if n in arguments])
        reads = tuple(sorted({*reads, *_imported_reads(run, state, imported, skipped)}))
        others = sum(map(within, found))
        if len(sites) + len(written) + len(reads) + others > 1:
            first, last = min(s.lineno for s in run), max(s.end_lineno for s in run)
            kept[first, last, sites, written, reads] = None
    return tuple(kept)


def _handed_reads(
    run: list[ast.stmt], state: StateAccess, handing: list[tuple[ast.Call, tuple]]
) -> tuple[tuple[int, str], ...]:
    """(line, state as ``own_key`` names it) of each read in ``run`` of state that one of its
    calls ``handing`` hands as an argument (with its ``argument_state``; an attribute of the
    instance as ``self`` when a call hands the instance), but for the arguments themselves:
    the call's part."""
    keys = {own_key(key) for _, handed in handing for _, key in handed}
    if not keys:
        return ()

    def handed_key(resource: str) -> str:
        key = own_key(_as_self(resource, state))
        return "self" if key not in keys and key.startswith("self.") else key

    handed = {node for call, _ in handing for arg in call.args for node in own_nodes(arg)}
    handed |= {node for call, _ in handing for k in call.keywords for node in own_nodes(k.value)}
    return tuple(
        sorted(
            {
                (node.lineno, key)
                for statement in run
                for node, resource, mode in state.within(statement)
                if mode == READ and node not in handed and (key := handed_key(resource)) in keys
            }
        )
    )


def _imported_reads(
    run: list[ast.stmt], state: StateAccess, imported: set[str], skipped: set[ast.AST]
) -> set[tuple[int, str]]:
    """(line, state) of each read in ``run`` of what one of the names ``imported`` reaches
    (``called_runs``), but at the nodes ``skipped``, and of such a name read whole."""
    if not imported:
        return set()
    return {
        (node.lineno, resource)
        for statement in run
        for node, resource, mode in state.within(statement)
        if mode == READ and node not in skipped and resource.partition(".")[0] in imported
    } | {(node.lineno, node.id) for node in whole_reads(run, imported, state)}


def _written(run: list[ast.stmt], state: StateAccess) -> tuple[tuple[int, str], ...]:
    """(line, state) of each write of shared state in ``run``."""
    return tuple(
        sorted(
            {
                (node.lineno, resource)
                for statement in run
                for node, resource, mode in state.within(statement)
                if mode == WRITE
            }
        )
    )


def _branches(run: list[ast.stmt], rounds, finals: list[tuple[int, int]], unlooped: list):
    """A line's branches within ``run`` (``Event``): a function of the line. What follows
    an ``if`` whose body (or ``else``) ends in ``return`` lies in its other branch: the two
    never run both, unless a loop runs the ``if`` again (``rounds``: ``loop_rounds``) or a
    ``finally`` runs after the return (``finals``: ``_finally_guarded``). So for an ``if``
    of the coroutine in no loop (``unlooped``: ``_unlooped``) that suspends, whose
    body's tail the run may start with and what follows it go on (``joined_runs``)."""
    spans: list[tuple[int, int, tuple[int, int]]] = []
    todo = [*((s, False) for s in unlooped), *((s, True) for s in run)]  # the run's first
    seen = set()
    while todo:
        statement, within = todo.pop()
        if id(statement) in seen:
            continue
        seen.add(id(statement))
        if isinstance(statement, ast.If):
            once = not (within and rounds(statement.lineno))
            bodies = _if_spans(statement, spans, once, finals)
        elif isinstance(statement, ast.Match) and within:
            bodies = [case.body for case in statement.cases]
        else:
            bodies = []
        for branch, body in enumerate(bodies):
            if body:
                spans.append((body[0].lineno, body[-1].end_lineno, (statement.lineno, branch)))
        if within:
            todo += [(s, True) for b in inner_bodies(statement) for s in b]

    def of(line: int) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(key for first, last, key in spans if first <= line <= last))

    return of


def _if_spans(statement: ast.If, spans: list, once: bool, finals: list[tuple[int, int]]):
    """The two bodies of ``statement``, after putting in ``spans`` what follows it as its
    other branch when one body ends in ``return`` and it runs ``once`` (in no loop's
    rounds) outside a ``try`` whose ``finally`` would follow the return (``_branches``)."""
    bodies = [statement.body, statement.orelse]
    ends = [b for b, body in enumerate(bodies) if body and body[-1].__class__ is ast.Return]
    line = statement.lineno
    if len(ends) == 1 and once and not _inside(line, finals):
        spans.append((statement.end_lineno + 1, _AFTER, (line, 1 - ends[0])))
    return bodies


def _unlooped(function: ast.AST) -> list[ast.stmt]:
    """The statements of ``function`` that lie in no loop (``_branches``' ``if`` statements)."""
    found = []
    todo = list(function.body)
    while todo:
        statement = todo.pop()
        found.append(statement)
        if not isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
            todo += [s for b in inner_bodies(statement) for s in b]
    return found


def returned_turn(record: FunctionRecord) -> int:
    """The last line of the first ``async with`` of coroutine ``record`` on an asyncio lock
    (``FunctionRecord.ordered_locks``) whose body returns (0: none): a task returning there
    comes past none of its suspensions after it, so, awaited, it may have waited only its
    turn (``atomic_callers._held_turn``: the caller's statements after the await then come
    in the lock's order). In a loop too: a task may return there in its first round, before
    any suspension after the block (``lock_returned_in_loop``)."""
    return min(
        (
            lock.end_lineno
            for lock in record.ordered_locks
            if any(n.__class__ is ast.Return for s in lock.body for n in own_nodes(s))
        ),
        default=0,
    )


def _finally_guarded(function: ast.AST) -> list[tuple[int, int]]:
    """The lines of the ``try`` statements of ``function`` that a ``finally`` follows (but
    for the ``finally`` itself): a ``return`` there runs it."""
    found = []
    todo = list(function.body)
    while todo:  # statements only: no expression holds a ``try`` (~20× fewer nodes)
        statement = todo.pop()
        if statement.__class__ in _TRIES and statement.finalbody:
            found.append((statement.lineno, statement.finalbody[0].lineno - 1))
        todo += [s for b in inner_bodies(statement) for s in b]
    return found


def _inside(line: int, spans: list[tuple[int, int]]) -> bool:
    return any(first <= line <= last for first, last in spans)


def loop_rounds(statements: list[ast.stmt], again: dict[int, ast.stmt] | None = None):
    """The lines of the loops whose rounds run a line of ``statements`` again, outermost
    first: loops among them (their bodies, a ``while``'s test), and the loop ``again``
    gives for one of them (``joined_runs.repeated_runs``, by id): a function of the line
    (``Event``)."""
    spans: list[tuple[int, int, int]] = []
    todo = list(statements)
    while todo:
        statement = todo.pop()
        if again and id(statement) in again:
            spans.append((statement.lineno, statement.end_lineno, again[id(statement)].lineno))
        if isinstance(statement, (ast.For, ast.While)):
            head = statement.test if isinstance(statement, ast.While) else statement.body[0]
            spans.append((head.lineno, statement.body[-1].end_lineno, statement.lineno))
        todo += [s for b in inner_bodies(statement) for s in b]
    spans.sort(key=lambda span: (span[0], -span[1]))

    def of(line: int) -> tuple[int, ...]:
        return tuple(loop for first, last, loop in spans if first <= line <= last)

    return of


def state_touches(
    record: FunctionRecord, state: StateAccess, imported: set[str]
) -> list[tuple[ast.AST, tuple]]:
    """Each access of shared state in coroutine ``record`` (``state``: what it reaches)
    with its node: the line, resource (its instance named ``self``; a parameter's as
    ``ARGUMENT`` marks it) and mode (``skipping`` drops the nodes a call reads); and its
    reads of the names ``imported`` from other modules read whole (``whole_reads``), and
    the tokens it takes of shared state (``taken``)."""
    body = record.node.body
    return (
        [
            (node, (node.lineno, _as_argument(node, _as_self(resource, state), state), mode))
            for statement in body
            for node, resource, mode in state.within(statement)
        ]
        + [(node, (node.lineno, node.id, READ)) for node in whole_reads(body, imported, state)]
        + taken(body, state)
    )


def taken(body: list[ast.stmt], state: StateAccess) -> list[tuple[ast.AST, tuple]]:
    """Each call of ``body`` taking the next token of shared state (``next(CALLS)``) whose
    value it keeps, with its line, the state and its mode: ``TAKE`` in a value bound to a
    name (``i = next(CALLS)``, ``path = f"call-{next(CALLS)}"``), in a conditional
    expression's test (``"odd" if next(CALLS) % 2 else "even"``: its value carries it on)
    or a ``while``'s (the rounds made show it after the loop), in a call's argument (``await
    remover(next(CALLS))``: the callee keeps it; in any test too); ``TESTED`` in an ``if``'s
    test or a ``match``'s subject (``if next(CALLS) % 2:``: it shows in the branch taken)."""
    nodes = [node for statement in body for node in own_nodes(statement)]
    kept = {
        node: mode
        for mode, values in (
            (TAKE, [n.test for n in nodes if n.__class__ in (ast.IfExp, ast.While)]),
            (TESTED, [n.test for n in nodes if n.__class__ is ast.If]),
            (TESTED, [n.subject for n in nodes if n.__class__ is ast.Match]),
            (TAKE, [n.value for n in nodes if n.__class__ in _BINDINGS and n.value is not None]),
            (TAKE, [a for n in nodes if n.__class__ is ast.Call for a in call_arguments(n)]),
        )
        for value in values
        for node in own_nodes(value)
    }
    return [
        (call, (call.lineno, _as_self(resource, state), kept[call]))
        for call in nodes
        if call.__class__ is ast.Call
        and call.args
        and call in kept
        and state.callees.get(call) in TOKEN_TAKERS
        and (resource := state.shared(call.args[0])) is not None
    ]


def skipping(touches: list[tuple[ast.AST, tuple]], skipped: set[ast.AST]) -> list[tuple]:
    """The (line, resource, mode) of ``touches`` (``state_touches``) but at the nodes
    ``skipped`` (``receivers``, ``handed_nodes``)."""
    return [touch for node, touch in touches if node not in skipped]


def callee_state(
    state: list[tuple[int, str, str]], globals_: set[str], parameters: set[str]
) -> tuple:
    """What a coroutine that never suspends reads and writes of its instance (``self.x``),
    of its module's state (``globals_``) and of its parameters' (``parameters``: theirs
    whole too, ``_handed_whole``), each with whether it writes it, from its accesses
    (``state_touches``): what a caller's run touches when it awaits it."""
    modes: dict[str, bool] = {}
    for _, key, mode in _handed_whole(state, parameters):
        if _callers(key, globals_):
            modes[key] = modes.get(key, False) or mode == WRITE
    return tuple(sorted(modes.items()))


def edge_state(
    state: list[tuple[int, str, str]],
    suspended: tuple[int, ...],
    globals_: set[str],
    parameters: set[str],
    returns: tuple[tuple[int, int], ...] = (),
    head: int = 0,
) -> tuple[tuple[int, str, bool], ...]:
    """The line, key and whether it writes it, of each access of its instance's state
    (``self.x``), of its module's (``globals_``) and of its ``parameters``' (theirs whole
    too, ``_handed_whole``) that a coroutine makes before its first own suspension or
    after its last (``suspended``; anywhere when it has none), up to ``head`` (``own_head``)
    or after its last up to a way out (``returns``: ``own_exits``), of its accesses
    ``state`` (``state_touches``): awaited, those run with the caller's statements before
    and after the await."""
    first, last = suspended or (0, 0)
    return tuple(
        (line, key, mode == WRITE)
        for line, key, mode in _handed_whole(state, parameters)
        if _callers(key, globals_)
        and (not first <= line <= last or line <= head or any(s < line <= r for r, s in returns))
    )


def _handed_whole(state: list[tuple[int, str, str]], parameters: set[str]) -> list:
    """``state`` (``state_touches``) with each use of a parameter's value whole
    (``len(table)``: ``table``, which its own runs read as it is) marked as that
    parameter's (``@table``): to a caller, it reads the argument handed, as it is then (a
    callee's tail reading ``len(table)`` of a caller's ``HANDED``, which the caller then
    writes: ``runtime_declined/tail_handed_whole``)."""
    return [(line, f"{ARGUMENT}{key}" if key in parameters else key, m) for line, key, m in state]


def _callers(key: str, globals_: set[str]) -> bool:
    """Whether state ``key`` may be a caller's: its instance's, its module's or an argument's."""
    return key.startswith(("self.", ARGUMENT)) or _global(key, globals_)


def _global(key: str, globals_: set[str]) -> bool:
    """Whether state ``key`` is one of ``globals_`` or an attribute of one, as a name
    imported from another module is named (``LEDGER.count``: ``awaited_objects``)."""
    return key in globals_ or key.partition(".")[0] in globals_


def awaited_objects(record: FunctionRecord, state: StateAccess, imported: dict[str, str]):
    """The other modules' objects coroutine ``record`` awaits a method of, or hands a
    coroutine it awaits, as its runs name them (``state``: what it reaches): an imported
    module's attribute (``store.LEDGER`` for ``await store.LEDGER.peek()``) or a name
    imported from a module of the project (``LEDGER``, ``from store import LEDGER``;
    ``imported``: what the module's imported names name). Their state is the callee's,
    which other code may write (the project pass weighs it when their class's instances
    are written)."""
    found = set()
    for candidate in record.calls:
        call = candidate.node
        if not (candidate.awaited and call.__class__ is ast.Call):
            continue
        for value in (_receiver(call), *call_arguments(call)):
            if value.__class__ is ast.Name and value.id in state.imported:
                qualname = imported.get(value.id, "")
                if "." in qualname and maybe_project(qualname):
                    found.add(value.id)
            elif value.__class__ is ast.Attribute and (key := state.shared(value)):
                if key.partition(".")[0] in state.imported and maybe_project(key):
                    found.add(key)
    return found


def argument_state(call: ast.Call, state: StateAccess, globals_: set[str]) -> tuple:
    """(``#`` and place, or keyword; the caller's state) of each argument of ``call`` that
    is state of the caller (``state``: what it reaches): its instance (``self``), an
    attribute of it (``self.log``), a global of ``globals_`` or a parameter of its own, or
    an attribute of one (``@journal``, ``@journal.log``)."""
    return tuple((place, key) for place, key, _ in _handed_state(call, state, globals_))


def handed_nodes(calls, state: StateAccess, globals_: set[str]) -> set[ast.AST]:
    """The nodes of the arguments of ``calls`` that hand the caller's state
    (``argument_state``): a read of them is the call's (the callee's accesses of it are
    weighed as the caller's), no use of the caller's own; a read beside them in their
    statement is (``self.ledger.count == await peek(self.ledger)``)."""
    return {
        node
        for call in calls
        for *_, value in _handed_state(call, state, globals_)
        for node in own_nodes(value)
    }


def _handed_state(call: ast.Call, state: StateAccess, globals_: set[str]):
    """(place, the caller's state, the argument) of each argument ``argument_state`` names."""
    for place, value in argument_places(call):
        if key := _state_key(value, state, globals_):
            yield place, key, value


def _state_key(value: ast.expr, state: StateAccess, globals_: set[str]) -> str | None:
    """The caller's state ``value`` is: its instance (``self``), else ``_caller_key``'s."""
    if isinstance(value, ast.Name) and value.id == state.self_name:
        return "self"
    return _caller_key(value, state, globals_)


def receiver_state(call: ast.Call, state: StateAccess, globals_: set[str]) -> tuple:
    """(``RECEIVER``, the caller's state) of the object an awaited method ``call`` is made
    on, when it is state of the caller other than its instance (``LEDGER.enter()``,
    ``self.ledger.enter()``, ``journal.enter()``): the callee's ``self.x`` is that object's
    (``argument_state``'s keys); what a call on the instance gives (``self.other_one()``:
    ``given_receivers``)."""
    receiver = _receiver(call)
    key = receiver is not None and _caller_key(receiver, state, globals_)
    if not key:
        key = given_by_instance(call, state, lambda v: _state_key(v, state, globals_))
    return ((RECEIVER, key),) if key else ()


def receivers(calls) -> set[ast.AST]:
    """The nodes naming the objects the method ``calls`` (each with a ``receiver_state``)
    are made on, and the methods: a read of them is the call's (the callee's accesses of
    its instance are weighed as the caller's), no use of the caller's own."""
    return {node for call in calls for node in own_nodes(call.func)}


def _receiver(call: ast.Call) -> ast.expr | None:
    """The object ``call`` is a method call on, when a name, its attributes or items name
    it (``LEDGER``, ``self.ledger``, ``LEDGERS[key]``)."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    value = receiver
    while isinstance(value, ast.Attribute | ast.Subscript):
        value = value.value
    return receiver if isinstance(value, ast.Name) else None


def _caller_key(value: ast.expr, state: StateAccess, globals_: set[str]) -> str | None:
    """The caller's state ``value`` is (``argument_state``), but its instance itself; a name
    imported from another module is one of ``globals_`` (``awaited_objects``)."""
    resource = state.shared(value)
    if value.__class__ is ast.Name and value.id in state.imported and value.id in globals_:
        return value.id
    if not resource:
        return None
    resource = _as_self(resource, state)
    if resource.startswith("self.") or resource in globals_:
        return resource
    return _parameter(value, resource, state) if resource in state.params else None


def _as_argument(node: ast.AST, resource: str, state: StateAccess) -> str:
    """``resource`` marked as a parameter's (``ARGUMENT``) with the attribute ``node``
    reaches, when it is a parameter and ``node`` reaches into it: a write, a call changing
    it, an attribute or item of it (its value used whole, ``len(p)``, is not marked). Its
    own runs name it as it is (``own_key``)."""
    if resource not in state.params or isinstance(node, ast.Name):
        return resource
    return _parameter(node, resource, state)


def _parameter(node: ast.AST, name: str, state: StateAccess) -> str:
    """Parameter ``name`` marked (``ARGUMENT``), with the attribute ``node`` reaches."""
    attribute = state.attribute(node, name)
    return f"{ARGUMENT}{name}" + (f".{attribute}" if attribute else "")


def overlaps(a: str, b: str) -> bool:
    """Whether state ``a`` and ``b`` are one, or one holds the other (``LEDGER``, changed in
    place by ``LEDGER.add()``, holds ``LEDGER.count``; so does ``ledgers.LEDGER``, as runs
    name ``ledgers.LEDGER.count``)."""
    return a == b or b.startswith(f"{a}.") or a.startswith(f"{b}.")


def own_key(key: str) -> str:
    """State ``key`` as the coroutine's own runs name it: a parameter by its name."""
    return key[1:].partition(".")[0] if key.startswith(ARGUMENT) else key


def _as_self(resource: str, state: StateAccess) -> str:
    """``resource`` with the instance named ``self``, whatever the method calls it."""
    name = state.self_name
    if name and name != "self" and resource.startswith(f"{name}."):
        return f"self.{resource[len(name) + 1 :]}"
    return resource


def _state_touched(
    state: list[tuple[int, str, str]], place, globals_, parameters: set[str]
) -> list[tuple[int, str, str, int, int]]:
    """The shared state each statement of a run (``place``: its place of a line, ``_place``)
    reads or writes, of the coroutine's accesses ``state``: what the run writes, and the
    instance's ``self.x``, the module's ``globals_`` and its ``parameters``' state it reads
    (an attribute, or the object whole: ``len(log)``)."""
    touched = [
        (place(line), own_key(key), mode, 0, line) for line, key, mode in state if place(line) >= 0
    ]
    kept = {t[1] for t in touched if t[2] == WRITE}
    kept |= {t[1] for t in touched if t[1].startswith("self.") or _global(t[1], globals_)}
    kept |= {own_key(key) for _, key, _ in state if key.startswith(ARGUMENT)}
    kept |= parameters
    return [t for t in touched if t[1] in kept]


def _merged(touched: list[tuple[int, str, str, int, int]], branches, rounds) -> list[Event]:
    """One event per statement, resource, branches and loops (``branches`` and ``rounds``
    of the line where it is made): it writes when one of its accesses does, else takes a
    token when one does (``_STRENGTH``); and one that reads it too, where a read comes
    first (at one line, a read first: ``p.write_text(p.read_text() + line)``), a read
    before it (``atomic_callers``: a counter file read, then written back after a token).
    ``touched``: (place, resource, mode, the finding's line or 0, the line)."""
    merged: dict[tuple, tuple[str, int]] = {}
    reads: dict[tuple, tuple[int, int]] = {}  # the first read's line and finding's line
    last: dict[tuple, int] = {}  # the last write's line
    for position, key, mode, line, where in touched:
        at = (position, key, branches(where), rounds(where))
        known, first = merged.get(at, (mode, line))
        strongest = max(mode, known, key=lambda m: _STRENGTH.get(m, 0))
        merged[at] = (strongest, first or line)
        if mode == READ:
            reads[at] = min(reads.get(at, (where, line)), (where, line))
        elif mode == WRITE:
            last[at] = max(last.get(at, where), where)
    read = [(at, (READ, line)) for at, (where, line) in reads.items() if where <= last.get(at, 0)]
    return [
        (position, -1, key, mode, line, branch, looped)
        for (position, key, branch, looped), (mode, line) in [*read, *merged.items()]
    ]


def _awaits_site(node: ast.AST, sites: dict[ast.AST, int]) -> bool:
    return isinstance(node, ast.Await) and node.value in sites
