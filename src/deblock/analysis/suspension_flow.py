"""Which suspension points of a coroutine may come last before each way out, by its flow.

Line order is not flow: a suspension in an ``else`` after the branch that returns, one in
a loop's body before a ``break``, or in a ``finally`` (which runs before the ``return`` in
its ``try``) comes before or after a ``return`` otherwise than its line says. ``flow``
walks the body once (loops to a fixed point) and keeps, for each suspension point's line
and each way out (a ``return``'s or ``raise``'s last line, as a caller may catch what it
raises and go on, and the body's last line where it runs off its end), the lines of the
points that may come right before it (``START``: none); apart, the same of each line where
a call, an item or an attribute may raise (``raising``; ``CACHE[key]``: ``KeyError``): a
way out only to a caller that catches it and goes on.
``last_before`` then answers with the points known to suspend: the earliest line that may
come last before a way out (``START`` where a way passes none), which is where the task's
run with its caller's statements after the await may begin; ``first_after``, how far a run
with none yet may go. Where the walk must guess (an exception's path, a ``break`` through
a ``finally``) it takes more ways, never fewer: an earlier last suspension, a longer run.
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import SCOPES, child_nodes, walk

# the line before any suspension point: the coroutine's start
START = 0
# (line, the lines that may come right before it) of each point or way out
Preceding = tuple[tuple[int, ...], ...]
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_TRIES = (ast.Try, getattr(ast, "TryStar", ast.Try))
# what may raise as it is evaluated: a call, an item (``CACHE[key]``: ``KeyError``), an
# attribute (``SETTINGS.rate``: ``AttributeError``, a property's code)
_RAISING = (ast.Call, ast.Subscript, ast.Attribute)


def flow(
    function: ast.AST,
    points: list[ast.AST],
    plain_exits: set[int] = frozenset(),
    quiet: set[int] = frozenset(),
) -> tuple[Preceding, Preceding, Preceding, Preceding]:
    """(the points, the ways out) of ``function``, each as (line, *lines that may come right
    before it), (line, the last line of a statement that may run with it the last before
    it) of ``START`` and each point, and the lines where a call may raise as the ways out:
    ``points`` its suspension points; ``plain_exits`` the ids of its ``async with``
    statements whose exit never suspends; ``quiet`` the ids of calls and callee
    expressions not counted as raising."""
    walk = _Walk({id(node) for node in points}, plain_exits, quiet)
    end = walk.body(function.body, {START})
    if end:
        walk.exits.setdefault(function.end_lineno, set()).update(end)
    reach = tuple(sorted(walk.reach.items()))
    return _flat(walk.before), _flat(walk.exits), reach, _flat(walk.raising)


def first_after(preceding: Preceding, reach: Preceding, suspending: set[int]) -> int:
    """The last line of a statement that may run before any of ``suspending`` (0: none),
    from ``flow``'s ``preceding`` and ``reach``: a suspension in a branch not taken, a
    statement after it by line runs with the caller's statements before the await."""
    before = {line: lines for line, *lines in preceding}
    return max(
        (last for line, last in reach if START in _lasts(before, [line], suspending)), default=0
    )


def last_before(
    preceding: Preceding, ways: Preceding, suspending: set[int]
) -> tuple[tuple[int, int], ...]:
    """(way out's line, the earliest line of ``suspending`` that may come last before it;
    ``START``: none) of each of ``ways``, from ``preceding`` (``flow``'s)."""
    before = {line: lines for line, *lines in preceding}
    return tuple((line, min(_lasts(before, lines, suspending))) for line, *lines in ways if lines)


def firsts(preceding: Preceding, suspending: set[int]) -> frozenset[int]:
    """The lines of ``suspending`` that may come first (none before them), from ``flow``'s
    ``preceding``: an await in an argument of another comes before it, whatever its line."""
    before = {line: lines for line, *lines in preceding}
    return frozenset(
        line
        for line, *lines in preceding
        if line in suspending and START in _lasts(before, lines, suspending)
    )


def lasts(preceding: Preceding, ways: Preceding, suspending: set[int]) -> frozenset[int]:
    """The lines of ``suspending`` that may come last before any of ``ways``, from
    ``flow``'s ``preceding``: ``last_before``'s of each way, all of them."""
    before = {line: lines for line, *lines in preceding}
    return frozenset().union(*(_lasts(before, lines, suspending) for _, *lines in ways)) - {START}


def _lasts(before: dict[int, list[int]], lines: list[int], suspending: set[int]) -> set[int]:
    """The lines of ``suspending`` (or ``START``) that may come last at ``lines``: a point
    not suspending stands for what may come before it."""
    out, todo, seen = set(), list(lines), set()
    while todo:
        line = todo.pop()
        if line not in seen:
            seen.add(line)
            if line == START or line in suspending:
                out.add(line)
            else:
                todo += before.get(line, ())
    return out


def _flat(table: dict[int, set[int]]) -> Preceding:
    return tuple((line, *sorted(lines)) for line, lines in sorted(table.items()))


class _Walk:
    """One walk of a coroutine's body: a state is the set of lines that may have come last."""

    def __init__(self, points: set[int], plain_exits: set[int], quiet: set[int]):
        self.points = points
        self.plain_exits = plain_exits
        self.quiet = quiet
        self.before: dict[int, set[int]] = {}
        self.exits: dict[int, set[int]] = {}
        self.closers: list[ast.stmt] = []  # ``async with`` and ``try`` with a ``finally``
        self.loops: list[tuple[int, set[int], set[int]]] = []  # closers' depth, breaks, continues
        self.raised: list[set[int]] = []  # what each enclosing ``try``'s handlers may see
        self.reach: dict[int, int] = {}  # by what may come last: the last line run after it
        # by the line of a call, item or attribute: what may come last before it raises (an
        # ``async with``'s exit or a ``finally`` it passes not counted: an earlier last)
        self.raising: dict[int, set[int]] = {}

    def point(self, node: ast.AST, state: set[int]) -> set[int]:
        self.before.setdefault(node.lineno, set()).update(state)
        for raised in self.raised:
            raised.add(node.lineno)
        return {node.lineno}

    def expression(self, node: ast.AST | None, state: set[int]) -> set[int]:
        """The state after evaluating ``node``: a part that may not run (``and``/``or``'s
        later values, a conditional's branches, a comprehension's rounds) may be skipped."""
        if node is None or node.__class__ in SCOPES:
            return state
        if node.__class__ is ast.BoolOp:
            state = self.expression(node.values[0], state)
            for value in node.values[1:]:
                state = state | self.expression(value, state)
            return state
        if node.__class__ is ast.IfExp:
            state = self.expression(node.test, state)
            return self.expression(node.body, state) | self.expression(node.orelse, state)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            state = self.expression(node.generators[0].iter, state)
            if id(node) in self.points:
                state = self.point(node, state)
            rounds = state
            for child in child_nodes(node):
                if child is not node.generators[0]:
                    rounds = self.expression(child, rounds)
            return state | rounds
        for child in child_nodes(node):
            state = self.expression(child, state)
        if node.__class__ in _RAISING and id(node) not in self.quiet:
            self.raising.setdefault(node.lineno, set()).update(state)
        return self.point(node, state) if id(node) in self.points else state

    def body(self, statements: list[ast.stmt], state: set[int]) -> set[int]:
        for statement in statements:
            if not state:
                break
            state = self.statement(statement, state)
        return state

    def statement(self, node: ast.stmt, state: set[int]) -> set[int]:
        kind = node.__class__
        if kind in SCOPES:
            return state
        for line in state:
            self.reach[line] = max(self.reach.get(line, 0), self._ran(node))
        if kind in (ast.Return, ast.Raise):  # a caller may catch what it raises, and go on
            value = node.value if kind is ast.Return else node.exc
            state = self.leave(self.expression(value, state), self.closers)
            self.exits.setdefault(node.end_lineno, set()).update(state)
            return set()
        if kind in (ast.Break, ast.Continue):
            depth, breaks, continues = self.loops[-1]
            state = self.leave(state, self.closers[depth:])
            (breaks if kind is ast.Break else continues).update(state)
            return set()
        if kind is ast.If:
            state = self.expression(node.test, state)
            return self.body(node.body, state) | self.body(node.orelse, state)
        if kind in _LOOPS:
            return self.loop(node, state)
        if kind in (ast.With, ast.AsyncWith):
            return self.with_(node, state)
        if kind in _TRIES:
            return self.try_(node, state)
        if kind is ast.Match:
            state = self.expression(node.subject, state)
            out = set(state)  # no case matched
            for case in node.cases:
                out |= self.body(case.body, self.expression(case.guard, state))
            return out
        return self.expression(node, state)

    def loop(self, node: ast.stmt, state: set[int]) -> set[int]:
        if node.__class__ is ast.While:
            state = self.expression(node.test, state)
        else:
            state = self.expression(node.iter, state)
        head, breaks = set(state), set()
        while True:
            entry = self.point(node, head) if id(node) in self.points else head
            breaks, continues = set(), set()
            self.loops.append((len(self.closers), breaks, continues))
            end = self.body(node.body, entry)
            self.loops.pop()
            again = end | continues
            if node.__class__ is ast.While:
                again = self.expression(node.test, again)
            if again <= head:
                break
            head |= again
        forever = node.__class__ is ast.While and node.test.__class__ is ast.Constant
        if forever and node.test.value:  # ``while True:`` leaves by its breaks only
            return breaks
        return self.body(node.orelse, entry) | breaks

    def with_(self, node: ast.With | ast.AsyncWith, state: set[int]) -> set[int]:
        for item in node.items:
            state = self.expression(item.context_expr, state)
        suspends = id(node) in self.points
        state = self.point(node, state) if suspends else state
        self.closers.append(node)
        state = self.body(node.body, state)
        self.closers.pop()
        return self.leave(state, [node]) if state else state

    def try_(self, node: ast.Try, state: set[int]) -> set[int]:
        raised = set(state)
        self.raised.append(raised)
        self.closers += [node] if node.finalbody else []
        out = self.body(node.orelse, self.body(node.body, state))
        self.raised.pop()
        for handler in node.handlers:
            out |= self.body(handler.body, set(raised))
        if not node.finalbody:
            return out
        self.closers.pop()
        # an exception's way: its points' predecessors, not the head's reach (a line range:
        # a ``finally`` below the body would take the body's lines with it, last_binding_raises)
        # nor raising calls (the call that raised is the way out, where it raised)
        reach, raising = (
            dict(self.reach),
            {line: set(lines) for line, lines in self.raising.items()},
        )
        self.body(node.finalbody, raised)
        self.reach, self.raising = reach, raising
        return self.body(node.finalbody, out) if out else out

    def _ran(self, node: ast.stmt) -> int:
        """The last line of ``node`` that runs whole before a suspension in it: a compound
        statement's header, a simple one whole; the line before it where those suspend."""
        if hasattr(node, "body") or node.__class__ is ast.Match:
            parts = [getattr(node, name, None) for name in ("test", "iter", "subject")]
            parts += [item.context_expr for item in getattr(node, "items", ())]
            ran = max([node.lineno, *(part.end_lineno for part in parts if part is not None)])
        else:
            parts, ran = [node], node.end_lineno
        inside = (inner for part in parts if part is not None for inner in walk(part))
        suspends = id(node) in self.points or any(id(inner) in self.points for inner in inside)
        return node.lineno - 1 if suspends else ran

    def leave(self, state: set[int], through: list[ast.stmt]) -> set[int]:
        """The state after passing the exits of ``through`` (innermost last): an ``async
        with``'s exit suspends unless its manager's never does; a ``finally`` runs."""
        for depth in range(len(through) - 1, -1, -1):
            closer = through[depth]
            if closer.__class__ is ast.With:
                continue
            if closer.__class__ is ast.AsyncWith:
                if id(closer) in self.points and id(closer) not in self.plain_exits:
                    state = self.point(closer, state)
                continue
            saved, self.closers = self.closers, self.closers[: self.closers.index(closer)]
            state = self.body(closer.finalbody, state)
            self.closers = saved
        return state
