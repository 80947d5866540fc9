"""Runs of a coroutine's statements that run on into each other across the edge of a block.

``statement_runs`` cuts a coroutine at its suspension points and at the edges of the blocks
that hold one: the run before ``try:`` and the run its body starts with, the run its
``finally`` ends with and the run after it are apart there, but nothing suspends between
them, so on the event loop they run as one. A section moves whole statements of one body,
so no section can hold such a pair: a fix's await in either lets other tasks in between.
"""

from __future__ import annotations

import ast
import itertools

# Entering and leaving these suspends (``__aenter__``/``__aexit__``, ``__anext__``).
_SUSPENDING = (ast.AsyncWith, ast.AsyncFor)
_BODIES = ("body", "orelse", "finalbody")
# The node types that may hold statement lists (``inner_bodies``' only work).
_COMPOUND = frozenset(
    t
    for t in vars(ast).values()
    if isinstance(t, type)
    and issubclass(t, ast.AST)
    and {*_BODIES, "handlers", "cases"} & set(t._fields)
)


def inner_bodies(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists a compound statement holds."""
    if statement.__class__ not in _COMPOUND:
        return []
    bodies = [getattr(statement, name, None) for name in _BODIES]
    bodies += [handler.body for handler in getattr(statement, "handlers", ())]
    bodies += [case.body for case in getattr(statement, "cases", ())]
    return [b for b in bodies if isinstance(b, list) and b and isinstance(b[0], ast.stmt)]


def joined_runs(
    body: list[ast.stmt],
    runs: list[list[ast.stmt]],
    ordered: list[ast.AsyncWith] = (),
    plain: list[tuple[ast.AsyncWith, bool]] = (),
) -> list[tuple[list[ast.stmt], list[ast.stmt], ast.stmt, bool]]:
    """Pairs of ``runs`` of ``body`` (``statement_runs``) that follow each other with no
    suspension between, across an edge of the block (the third item) that splits them: the
    run before it and those it enters with, those it leaves with and the run after it (and
    those two, past a loop that makes no round or an ``if`` whose test fails), a loop's
    last run and its first (the next round, or its ``else``), and in a ``try`` the runs
    that end its body, ``else`` and handlers and those that start the next of them (the
    ``else``, the ``finally``), and a run holding a ``break`` or ``continue`` and those it
    goes on to (the loop's edge). The path of an exception raised midway is not weighed.
    The runs right before and after an ``async with`` of ``ordered`` (on an
    ``asyncio.Lock`` some holder suspends in) are joined too, the fourth item true: other
    tasks run between them, but the lock hands itself on in the order it was asked, so
    every task's two runs come in one order; so are each of them and every other run of its
    body (the held region: while a task holds the lock no other holder runs, and releasing
    it does not suspend, so the run after it sees what the holders left, a body ending with
    its await too); and the run before it and those that start its body (a task that finds
    the lock free takes it without suspending), and those that end its body and the run
    after it (releasing the lock does not suspend), with the fourth item false. The runs
    after it are also those a ``break`` or ``continue`` in its body goes on to, and, for a
    block ending a loop's body, those after the loop (or in its ``else``) and the next
    round's, which may be the run before it again. An ``async
    with`` of ``plain`` (``FunctionRecord.plain_withs``) does not suspend leaving, nor maybe
    entering: those edges are a block's that holds a suspension point. A block that starts a
    body comes after the runs that enter that body (the ends of a ``try``'s body for its
    ``finally``, the run before an ``if`` or a ``with``, a loop's previous round)."""
    return _joins(body, runs, ordered, plain).pairs


def repeated_runs(
    body: list[ast.stmt],
    runs: list[list[ast.stmt]],
    ordered: list[ast.AsyncWith] = (),
    plain: list[tuple[ast.AsyncWith, bool]] = (),
) -> dict[int, ast.stmt]:
    """The loop of each of ``runs`` of ``body`` that runs on into itself (by the id of each
    of its statements): the whole body of a loop that suspends in its head or ``else`` only,
    whose next round follows its last statement with no suspension."""
    return {id(s): loop for run, loop in _joins(body, runs, ordered, plain).repeated for s in run}


def _joins(body: list[ast.stmt], runs: list[list[ast.stmt]], ordered, plain, zeros=()) -> _Joins:
    joins = _Joins(runs, ordered, plain, zeros)
    joins.visit(body)
    return joins


# The ways through a chain of joined runs weighed from one run, each way: in a coroutine of
# many blocks that suspend in one branch, the chains branch at each.
_WAYS = 16


def stretches(
    body: list[ast.stmt],
    runs: list[list[ast.stmt]],
    held: list[list[ast.stmt]],
    ordered: list[ast.AsyncWith] = (),
    plain: list[tuple[ast.AsyncWith, bool]] = (),
) -> list[tuple[list[ast.stmt], bool, tuple[tuple[ast.AsyncWith, ast.stmt], ...]]]:
    """Each of ``held`` (some of ``runs``, those of ``body``) with the runs that run on into
    it, and it into, with no suspension across the edges of blocks (``joined_runs``; and
    across the locks of ``ordered``): one list of statements, in the order they run, for each
    way through them (a few), each with whether it passes such a lock, and each block of
    ``ordered`` whose entry it passes (into the body, or past the block), where it goes on
    at once only if it finds the lock free, with the statement it goes on to."""
    before: dict[int, list] = {}
    after: dict[int, list] = {}
    locked: set[tuple[int, int]] = set()
    entered: dict[tuple[int, int], list[tuple[ast.AsyncWith, ast.stmt]]] = {}
    for first, second, block, by_lock in joined_runs(body, runs, ordered, plain):
        after.setdefault(id(first), []).append(second)
        before.setdefault(id(second), []).append(first)
        if by_lock:
            locked.add((id(first), id(second)))
        for lock in (lock for lock in ordered if _enters(lock, first, second, block)):
            entered.setdefault((id(first), id(second)), []).append((lock, second[0]))
    found: dict[tuple[int, ...], tuple[list[ast.stmt], bool, tuple]] = {}
    for run in held:
        for back in _ways(run, before):
            for on in _ways(run, after):
                chain = [*reversed(back), run, *on]
                way = tuple(id(r) for r in chain)
                if len(set(way)) == len(way):
                    pairs = list(itertools.pairwise(way))
                    passes = any(pair in locked for pair in pairs)
                    waits = tuple(dict.fromkeys(b for pair in pairs for b in entered.get(pair, ())))
                    found[way] = ([s for r in chain for s in r], passes, waits)
    return list(found.values())


def _enters(lock: ast.AsyncWith, first: list, second: list, block: ast.stmt) -> bool:
    """Whether run ``first``, going on into run ``second`` across ``block``'s edge, passes
    the entry of ``lock``: from outside its body into it or past it, or round a loop
    holding it, from its body back into it."""
    if block is lock:
        return not in_body(lock, first[-1])
    if not in_body(lock, second[0]):
        return False
    looped = isinstance(block, (ast.For, ast.While)) and block.lineno < lock.lineno
    return not in_body(lock, first[-1]) or (looped and lock.end_lineno <= block.end_lineno)


def preceding(body: list[ast.stmt]) -> dict[int, ast.stmt]:
    """By id, the statement right before each statement of ``body`` and of the bodies
    within, in its own list."""
    found: dict[int, ast.stmt] = {}
    todo = [body]
    while todo:
        statements = todo.pop()
        found.update((id(after), before) for before, after in itertools.pairwise(statements))
        todo += [inner for statement in statements for inner in inner_bodies(statement)]
    return found


def in_body(block: ast.AsyncWith, statement: ast.stmt) -> bool:
    """Whether ``statement`` lies in ``block``'s body."""
    return block.body[0].lineno <= statement.lineno <= block.body[-1].end_lineno


def joined_chains(
    body: list[ast.stmt],
    runs: list[list[ast.stmt]],
    ordered: list[ast.AsyncWith] = (),
    plain: list[tuple[ast.AsyncWith, bool]] = (),
    zeros: list[ast.Await] = (),
) -> list[tuple[list[list[ast.stmt]], ast.stmt, bool]]:
    """Each chain of ``runs`` of ``body`` from a run to one it runs on into across the edges
    of blocks (``joined_runs``), directly or through runs between (a few ways from each
    run): the runs in order, the block at its first edge (at its first edge across an
    ordered lock, when it passes one) and whether it passes one. A fix's await in any of
    its runs would let other tasks in between its first and its last. A chain that passes
    an ordered lock may come back to its first run, in a loop's next round (a lock's body
    ending a loop's, taken again at the next round: fix_fuzz ``--drivers`` 396053). The
    runs right before and after a statement awaiting one of the zero sleeps ``zeros``
    (``zero_sleeps``) are joined in one order too, that statement their block (a lock's
    rather, for a chain passing both): tasks come back from it in the order they went in,
    and go on so into an ordered lock right after it (or out of one right before it)."""
    after: dict[int, list] = {}
    edges: dict[tuple[int, int], tuple[ast.stmt, bool]] = {}
    for first, second, block, by_lock in _joins(body, runs, ordered, plain, zeros).pairs:
        after.setdefault(id(first), []).append(second)
        known = edges.get((id(first), id(second)))
        # with no task between, rather; or a lock's rather than a zero sleep's
        if known is None or not by_lock or known[0].__class__ is ast.Expr:
            edges[id(first), id(second)] = (block, by_lock)
    found: dict[tuple[int, ...], tuple[list[list[ast.stmt]], ast.stmt, bool]] = {}
    for run in runs:
        for way in _ways(run, after):
            for end in range(len(way) + 1):
                last = way[end - 1] if end else run
                back = any(r is run for r in after.get(id(last), []))
                for chain in ([run, *way[:end]], *([[run, *way[:end], run]] if back else [])):
                    key = tuple(id(r) for r in chain)
                    if key not in found:
                        crossed = [edges[pair] for pair in itertools.pairwise(key)]
                        locked = [block for block, by_lock in crossed if by_lock]
                        locked.sort(key=lambda block: block.__class__ is ast.Expr)  # locks first
                        if locked or chain[-1] is not run:
                            found[key] = (chain, (locked or [crossed[0][0]])[0], bool(locked))
    return list(found.values())


def _ways(run: list[ast.stmt], links: dict[int, list]) -> list[list[list[ast.stmt]]]:
    """The chains of runs ``links`` lead to from ``run`` (``run`` not in them), each until
    it ends or would come back; at most ``_WAYS`` of them."""
    ways: list[list[list[ast.stmt]]] = []
    todo = [[run]]
    while todo and len(ways) < _WAYS:
        chain = todo.pop()
        nexts = [r for r in links.get(id(chain[-1]), []) if all(r is not c for c in chain)]
        if not nexts:
            ways.append(chain[1:])
        todo += [[*chain, r] for r in nexts]
    return ways


class _Joins:
    def __init__(self, runs: list[list[ast.stmt]], ordered, plain, zeros=()) -> None:
        self.ordered = {id(node) for node in ordered}
        self.zeros = {id(node) for node in zeros}  # the awaits of zero sleeps
        self.steady = self.ordered | {id(node) for node, entered in plain if entered}
        self.left = {id(node) for node, entered in plain if not entered}  # only exits steady
        self.first = {id(run[0]): run for run in runs}
        self.last = {id(run[-1]): run for run in runs}
        self.run_of = {id(s): run for run in runs for s in run}
        self.held = set(self.run_of)  # statements that hold no suspension
        self.pairs: list[tuple[list[ast.stmt], list[ast.stmt], ast.stmt, bool]] = []
        # the pairs' runs, by id, and how (in one order; across a zero sleep)
        self.joined: set[tuple[int, int, bool, bool]] = set()
        self.repeated: list[tuple[list[ast.stmt], ast.stmt]] = []  # a run, its next round
        # the innermost loop visited, the runs its ``break`` and ``continue`` run on into
        self.jumps: list[tuple[ast.stmt | None, list, list]] = [(None, [], [])]

    def suspends(self, block: ast.stmt) -> bool:
        """Whether entering or leaving ``block`` suspends: an ``async with`` or ``async for``,
        but for an ordered lock's, taken when free and released without suspending, and a
        plain one's."""
        return isinstance(block, _SUSPENDING) and id(block) not in self.steady

    def leaves_suspending(self, block: ast.stmt) -> bool:
        """Whether leaving ``block`` suspends (``suspends``, but for a plain exit's)."""
        return self.suspends(block) and id(block) not in self.left

    def heads(self, bodies: list[list[ast.stmt]]) -> list[list[ast.stmt]]:
        """The runs that start ``bodies``, in blocks entered with no suspension."""
        found = []
        for b in bodies:
            if id(b[0]) in self.first:
                found.append(self.first[id(b[0])])
            elif not (self.suspends(b[0]) or _suspends(b[0])):
                found += self.heads(_entered(b[0]))
        return found

    def tails(self, bodies: list[list[ast.stmt]]) -> list[list[ast.stmt]]:
        """The runs that end ``bodies``, in blocks left with no suspension."""
        found = []
        for b in bodies:
            if id(b[-1]) in self.last:
                found.append(self.last[id(b[-1])])
            elif not (self.leaves_suspending(b[-1]) or _tested_again(b[-1])):
                found += self.tails(_left(b[-1]))
        return found

    def join(self, ends: list, starts: list, block: ast.stmt, ordered: bool = False) -> None:
        """Pair each of ``ends`` with each of ``starts`` across ``block``'s edge (once: two
        blocks in a row meet at the edge of each); a run with itself only in one order (the
        run before a lock's block that ends a loop's body, and the same run at the next
        round)."""
        for end in ends:
            for start in starts:
                key = (id(end), id(start), ordered, self.slept(block))
                if (end is not start or ordered) and key not in self.joined:
                    self.joined.add(key)
                    self.pairs.append((end, start, block, ordered))

    def visit(
        self, statements: list[ast.stmt], entering: list[list[ast.stmt]] = (), leaving=()
    ) -> None:
        """Join the runs across the edges of the blocks of ``statements``, which ``entering``
        (the runs that run on into their start) enter and ``leaving`` (the runs their end
        runs on into) follows."""
        for k, block in enumerate(statements):
            zero = self.slept(block)
            if id(block) in self.held and self.jumps[-1][0] is not None:
                self.join([self.run_of[id(block)]], self.jumped([block]), self.jumps[-1][0])
            if id(block) in self.held or not (zero or inner_bodies(block)):
                continue
            before, slept = self.before(statements, k, entering)
            after, sleeps = self.after(statements, k, leaving)
            if zero:  # tasks come back from a zero sleep in the order they went in
                self.join(before, after, block, ordered=True)
                continue
            before_, after_ = [] if slept else before, [] if sleeps else after  # no zero sleep
            out = self.exits(block, after_)
            for b, into in self.entries(block, before_):
                self.jumps.append(self.targets(block, b, after_, out))
                self.visit(b, into, out.get(id(b), ()))
                self.jumps.pop()
            if not self.suspends(block):
                self.edges(block, before_, after_)
            elif id(block) in self.left:  # entered at an await, left with none
                self.join(self.tails(_left(block)), after_, block)
            if id(block) in self.ordered:
                self.around_lock(block, before, [*after, *self.jumped(block.body)])

    def jumped(self, statements: list[ast.stmt]) -> list[list[ast.stmt]]:
        """The runs a ``break`` or a ``continue`` in ``statements`` runs on into."""
        kinds, (_, breaks, continues) = _jumps(statements), self.jumps[-1]
        return [
            *(breaks if ast.Break in kinds else ()),
            *(continues if ast.Continue in kinds else ()),
        ]

    def targets(self, block: ast.stmt, body: list[ast.stmt], after: list, out: dict) -> tuple:
        """The runs a ``break`` and a ``continue`` in ``body`` of ``block`` run on into: for a
        loop's body, ``after`` (the runs after the loop) and its next round's (or, at the
        last round, what its end runs on into: ``out``) when its head does not suspend;
        else those of the loop around ``block``."""
        if not isinstance(block, (ast.For, ast.AsyncFor, ast.While)) or body is not block.body:
            return self.jumps[-1]
        if self.suspends(block) or _tested_again(block):
            return block, after, []
        return block, after, [*self.heads([body]), *out.get(id(body), ())]

    def slept(self, statement: ast.stmt) -> bool:
        """Whether ``statement`` awaits one of the zero sleeps, alone."""
        return statement.__class__ is ast.Expr and id(statement.value) in self.zeros

    def before(self, statements: list[ast.stmt], k: int, entering: list) -> tuple[list, bool]:
        """The runs that run on into ``statements[k]`` (``entering``: those that enter the
        list), across the zero sleeps right before it, and whether there are any."""
        first = k
        while first and self.slept(statements[first - 1]):
            first -= 1
        found = self.tails([statements[first - 1 : first]]) if first else list(entering)
        return found, first < k

    def after(self, statements: list[ast.stmt], k: int, leaving: list) -> tuple[list, bool]:
        """The runs ``statements[k]`` runs on into (``leaving``: those the list's end runs
        on into), across the zero sleeps right after it, and whether there are any."""
        last = k + 1
        while last < len(statements) and self.slept(statements[last]):
            last += 1
        found = self.heads([statements[last : last + 1]]) if last < len(statements) else []
        return found if last < len(statements) else list(leaving), last > k + 1

    def exits(self, block: ast.stmt, after: list) -> dict[int, list]:
        """The bodies of ``block`` (by id) whose end runs on into ``after``, the runs after
        it, with no suspension: a ``try``'s ``finally`` (else its other bodies, the body
        only with no ``else``), an ``if``'s bodies, a plain ``with``'s, a loop's ``else``
        (else its body: the last round; with one, the body's end runs on into its start)
        when its head does not suspend."""
        if isinstance(block, ast.Try):
            bodies = [block.finalbody] if block.finalbody else _finally_follows(block)
            bodies = [b for b in bodies if b is not block.body or not block.orelse]
        elif isinstance(block, (ast.For, ast.While)) and not (
            self.suspends(block) or _tested_again(block)
        ):
            if block.orelse:
                return {id(block.body): self.heads([block.orelse]), id(block.orelse): after}
            bodies = [block.body]
        elif isinstance(block, ast.If) or (
            isinstance(block, ast.With) and not self.suspends(block)
        ):
            bodies = inner_bodies(block)
        else:
            bodies = []
        return {id(b): after for b in bodies if b}

    def entries(self, block: ast.stmt, before: list) -> list[tuple[list[ast.stmt], list]]:
        """Each body of ``block`` with the runs that run on into its start with no
        suspension: ``before`` (the runs ``block`` comes after) for the bodies it enters
        first, unless entering suspends; the ends of a ``try``'s body for its ``else`` and
        handlers, and of those for its ``finally``; a loop's last runs for its next round
        and its ``else``."""
        entered = [] if self.suspends(block) or _suspends(block) else before
        if isinstance(block, ast.Try):
            ends, finals = self.tails([block.body]), self.tails(_finally_follows(block))
            return [
                (block.body, entered),
                *((b, ends) for b in _finally_follows(block)[1:]),
                *((b, finals) for b in _some([block.finalbody])),
            ]
        if isinstance(block, (ast.For, ast.While)) and not (
            self.suspends(block) or _tested_again(block)
        ):
            return [(b, [*entered, *self.tails([block.body])]) for b in inner_bodies(block)]
        return [(b, entered) for b in inner_bodies(block)]

    def around_lock(self, block: ast.AsyncWith, before: list, after: list) -> None:
        """Join the runs around ordered lock ``block`` (``before`` it ends with, ``after`` it
        starts with) with each other and with every run of its body (those that start and
        end it are joined across its edges already): while a task holds the lock no other
        holder runs, and the lock hands itself on in the order it was asked."""
        inside = self.inside(block.body)
        heads, tails = self.heads([block.body]), self.tails([block.body])
        self.join(before, [r for r in inside if r not in heads], block, ordered=True)
        self.join([r for r in inside if r not in tails], after, block, ordered=True)
        self.join(before, after, block, ordered=True)

    def inside(self, statements: list[ast.stmt]) -> list[list[ast.stmt]]:
        """The runs in ``statements`` and in the bodies of those that suspend."""
        found = []
        for statement in statements:
            if id(statement) in self.first:
                found.append(self.first[id(statement)])
            if id(statement) not in self.held:
                found += [r for b in inner_bodies(statement) for r in self.inside(b)]
        return found

    def edges(self, block: ast.stmt, before: list, after: list) -> None:
        """Join the runs across the edges of ``block``, which holds a suspension point:
        ``before`` (the runs the statement before it ends with) and ``after`` (those the
        statement after it starts with; the tails and heads of a block's bodies there)."""
        if not _suspends(block):
            self.join(before, self.heads(_entered(block)), block)
        if not _tested_again(block):
            self.join(self.tails(_left(block)), after, block)
            skipped = isinstance(block, (ast.For, ast.While)) or (
                isinstance(block, ast.If) and not block.orelse
            )
            if skipped and not _suspends(block):  # no round, or a false test
                self.join(before, after, block)
        if isinstance(block, (ast.For, ast.While)) and not _tested_again(block):
            rounds = self.heads([block.body, *_some([block.orelse])])
            ends = self.tails([block.body])
            self.join(ends, rounds, block)
            self.repeated += [(run, block) for run in ends if any(run is r for r in rounds)]
            last = block.body[-1]
            if id(last) in self.ordered:  # the lock's body runs on into the next round
                before = self.tails([block.body[-2:-1]]) if len(block.body) > 1 else []
                self.around_lock(last, before, self.heads([block.body]))
        if isinstance(block, ast.Try):
            self.join(self.tails([block.body]), self.heads(_some([block.orelse])), block)
            self.join(
                self.tails(_finally_follows(block)), self.heads(_some([block.finalbody])), block
            )


def _jumps(statements: list[ast.stmt]) -> set[type]:
    """The kinds of ``break`` and ``continue`` in ``statements`` that leave them for the loop
    around them (not those of a loop within, but in its ``else``)."""
    found = set()
    for statement in statements:
        if isinstance(statement, (ast.Break, ast.Continue)):
            found.add(statement.__class__)
        elif isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
            found |= _jumps(statement.orelse)
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found |= {kind for body in inner_bodies(statement) for kind in _jumps(body)}
    return found


def _some(bodies: list[list[ast.stmt]]) -> list[list[ast.stmt]]:
    return [b for b in bodies if b]


def _finally_follows(block: ast.Try) -> list[list[ast.stmt]]:
    """The bodies of ``block`` that its ``finally`` may follow: its body, ``else`` and
    handlers."""
    return [block.body, *_some([block.orelse]), *(h.body for h in block.handlers)]


def _entered(block: ast.stmt) -> list[list[ast.stmt]]:
    """The bodies ``block`` may run first: a ``try``'s body, not its handlers or ``finally``."""
    if isinstance(block, ast.Try):
        return [block.body]
    return inner_bodies(block)


def _left(block: ast.stmt) -> list[list[ast.stmt]]:
    """The bodies ``block`` may end with: a ``try`` with a ``finally`` ends with it."""
    if isinstance(block, ast.Try) and block.finalbody:
        return [block.finalbody]
    if isinstance(block, ast.Try):
        return _some([block.orelse or block.body]) + [h.body for h in block.handlers]
    return inner_bodies(block)


def _tested_again(block: ast.stmt) -> bool:
    """Whether ``block`` suspends on its way out: a ``while`` whose test awaits."""
    return isinstance(block, ast.While) and _suspends(block)


def _suspends(block: ast.stmt) -> bool:
    """Whether the head of ``block`` (an ``if`` or ``while`` test, a ``for``'s iterable, a
    ``with``'s items, a ``match``'s subject) awaits or yields."""
    heads = [getattr(block, name, None) for name in ("test", "iter", "subject")]
    heads += [item.context_expr for item in getattr(block, "items", ())]
    return any(
        isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom))
        for head in heads
        if head is not None
        for node in ast.walk(head)
    )
