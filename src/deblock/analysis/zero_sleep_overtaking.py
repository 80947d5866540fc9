"""Tasks overtaking at zero sleeps: an await a fix adds before what other tasks reach in order.

A zero sleep hands tasks back in the order they came (``zero_sleeps``), so a coroutine that
suspends only there reaches its statements a fixed number of the loop's rounds after it
started: in ``await asyncio.sleep(0); ORDER.append(...)`` the append comes in the round after
the start, in ``await asyncio.sleep(0); await asyncio.sleep(0); ORDER.append(...)`` one round
later. Tasks started together then touch shared state in one order. A safe fix's await in a
coroutine that so far suspended only at zero sleeps hands its task on in the order its
thread ends, some rounds later: the statements after it in its run (its tail) then come
after what other tasks, suspending only at zero sleeps and as many of them at least, reach
in the original after that tail (fix_fuzz 560001: ``['removed', 'listed']`` became
``['listed', 'removed']``), and so do the statements it reaches after ``m`` more zero
sleeps, against what other tasks reach after ``j + m`` at least. A coroutine of the module
awaited there passes its own zero sleeps in its caller's rounds: its statements count at
the caller's count plus its own (fix_fuzz 570017: the fixed ``task_0``'s callee appends
to ``LOG`` after its first statement, a zero sleep, as the other tasks' do).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from deblock.analysis.nodes import own_nodes
from deblock.analysis.shared_state import WRITE
from deblock.analysis.zero_sleeps import zero_sleeps
from deblock.rules.resources import shown_resource

if TYPE_CHECKING:
    from deblock.analysis.shared_state import ModuleState

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_BODIES = ("body", "orelse", "finalbody")
# Blocks whose end does not run on into what follows them: a loop goes round, a function returns.
_EDGES = (*_LOOPS, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_TRIES = (ast.Try, getattr(ast, "TryStar", ast.Try))
# A ``try``'s parts that may run next when one of them ends.
_THEN = {"body": ("orelse", "finalbody"), "orelse": ("finalbody",), "handlers": ("finalbody",)}
_ZERO = "zero sleeps (`asyncio.sleep(0)`), which hands tasks back in the order they came,"


def keep_overtaken(planners: list, others: list, state: ModuleState) -> None:
    """Decline each safe fix of ``planners``' coroutines (``sections.SectionPlanner``s)
    whose await comes after only zero sleeps, ``j`` of them, and before statements that
    touch a resource which a statement of the module's coroutines (``planners`` and
    ``others``), reached after only zero sleeps, touches too, one of them writing it: the
    statements of its run against those reached after ``j`` at least (in a first run,
    ``j = 0``, other coroutines' first runs too: ``_overtaking``), and those it reaches
    after ``m`` more zero sleeps, its own or an awaited callee's, against those reached
    after ``j + m`` at least. Not in a lone test (``lone_tests``), whose statements no
    other task runs beside."""
    if not planners:
        return
    callee_of = planners[0].callees.get
    walks = Walks({p.record.qualname: p for p in (*planners, *others)}, callee_of)
    touching = {
        planner: [
            (owner, depth, statement, keyed(owner, state, owner.run_accesses([statement], mine)))
            for depth, statement, owner, mine in walks.steps(planner)[0]
        ]
        for planner in (*planners, *others)
    }
    for planner in (p for p in planners if not p.lone):  # a lone test runs alone
        zeros = set(zero_sleeps(planner.record, callee_of))
        starting = _starters(planner, touching, callee_of)
        for node, index in planner.found.items():
            finding = planner.findings[index]
            if finding.strategy is None:
                continue
            first, last = finding.section or (finding.line, finding.end_line)
            depth = _depth_at(planner, zeros, first, walks)
            run = next((r for r in planner.segments if node in _nodes(r)), None)
            if depth is None or run is None:
                continue
            after = [(at, t) for _, at, _, t in touching[planner] if at > depth]
            tail = [s for s in run if s.lineno > last]
            after.append((depth, keyed(planner, state, planner.run_accesses(tail))))
            after += [  # what runs on after the run before the task suspends: in its round
                (depth, keyed(owner, state, owner.run_accesses([statement], mine)))
                for _, statement, owner, mine in walks.after(planner, run[-1])
            ]
            reached = _overtaking(planner, touching, starting)
            # another coroutine's statement first: its own (or its callees') other tasks' last
            own = {step[0] for step in touching[planner]}
            for other, at, statement, touches in sorted(reached, key=lambda r: r[0] in own):
                shown = next((c for d, t in after if at >= d and (c := conflict(t, touches))), None)
                if shown is not None:
                    why = _reason(shown, other, statement, at)
                    planner.decline(index, why, unsafe=True)
                    break


def _overtaking(planner, touching: dict, starting: set) -> list:
    """The statements other tasks may reach before ``planner``'s statements after an await
    a fix adds: those reached after zero sleeps, one at least, and another coroutine's
    first run (the tasks started after the fixed one run theirs at its await), but not
    one reaching ``planner``'s statements or ``starting`` it (a coroutine that calls it,
    directly or through others: its task starts the fixed one after that run)."""
    reached = []
    for walker, steps in touching.items():
        owners = {walker, *(step[0] for step in steps)}
        first = planner not in owners and not owners & starting
        reached.extend(step for step in steps if step[1] or first)
    return reached


def _starters(planner, touching: dict, callee_of: Callable[[ast.AST], str | None]) -> set:
    """The coroutines of ``touching`` that call ``planner``'s, directly or through
    others of them."""
    by_name = {p.record.qualname: p for p in touching}
    callers: dict[object, set] = {}
    for caller in touching:
        for call in caller.record.calls:
            callee = by_name.get(callee_of(call.node))
            if callee is not None:
                callers.setdefault(callee, set()).add(caller)
    found: set = set()
    todo = [planner]
    while todo:
        for caller in callers.get(todo.pop(), ()):
            if caller not in found:
                found.add(caller)
                todo.append(caller)
    return found


class Walks:
    """Each coroutine's statements reached from its start suspending only at zero sleeps,
    its own and those of the module's coroutines it awaits (``coroutines``, by name), with
    the parameters each call of a callee binds to a temporary file of its caller's
    (``SectionPlanner.handed``): each task's own file, which other tasks' statements do
    not touch."""

    def __init__(self, coroutines: dict, callee_of: Callable[[ast.AST], str | None]) -> None:
        self.coroutines = coroutines
        self.callee_of = callee_of
        self.walked: dict[str, tuple[list, int | None]] = {}
        self.walking: set[str] = set()

    def steps(self, planner) -> tuple[list[tuple[int, ast.stmt, object, frozenset]], int | None]:
        """(how many zero sleeps come before it, the statement, its coroutine's planner,
        the names of temporary files its call was handed) for each statement of the
        coroutine's body (its top level) and of the bodies of
        the coroutines it awaits there, up to the first statement that suspends elsewhere;
        and how many zero sleeps a call of it passes, or None if it suspends elsewhere."""
        name = planner.record.qualname
        if name not in self.walked:
            self.walking.add(name)
            self.walked[name] = self._walk(planner)
            self.walking.discard(name)
        return self.walked[name]

    def callee(self, suspension: ast.AST):
        """The planner of the module's coroutine ``suspension`` awaits, if it calls one
        not being walked."""
        if suspension.__class__ is not ast.Await or suspension.value.__class__ is not ast.Call:
            return None
        name = self.callee_of(suspension.value)
        return None if name in self.walking else self.coroutines.get(name)

    def _walk(self, planner) -> tuple[list[tuple[int, ast.stmt, object, frozenset]], int | None]:
        zeros = set(zero_sleeps(planner.record, self.callee_of))
        others = [s for s in planner.record.suspensions if s not in zeros]
        steps: list[tuple[int, ast.stmt, object, frozenset]] = []
        depth = 0
        for statement in planner.function.body:  # an await of a callee: its steps come next
            inside = set(own_nodes(statement))
            awaited = [s for s in others if s in inside]
            callee = self.callee(awaited[0]) if len(awaited) == 1 else None
            if awaited and (callee is None or any(z in inside for z in zeros)):
                return steps, None
            steps.append((depth, statement, planner, frozenset()))
            depth += sum(1 for z in zeros if z in inside)
            if callee is not None:
                inner, passed = self._entered(planner, awaited[0], callee, depth)
                steps.extend(inner)
                if passed is None:
                    return steps, None
                depth += passed
        return steps, depth

    def after(self, planner, statement: ast.stmt) -> list[tuple[int, ast.stmt, object, frozenset]]:
        """The steps (as ``steps``', at depth 0) that ``planner``'s coroutine runs after its
        ``statement`` (at any depth of its body) before it suspends, statement by statement:
        those that follow it (``_next``) up to one that holds a suspension point; that one
        when it suspends only at zero sleeps or only at an await of one of the module's
        coroutines; and, when such an await comes first in it, the steps that coroutine runs
        before it suspends (``time.sleep(...); await note(root)``: ``note``'s write comes in
        the sleep's run), going on past it when it never suspends and is the only one."""
        zeros = set(zero_sleeps(planner.record, self.callee_of))
        points = set(planner.record.suspensions)
        found: list[tuple[int, ast.stmt, object, frozenset]] = []
        while (statement := _next(planner, statement, points)) is not None:
            inside = [n for n in own_nodes(statement) if n in points]
            first = min(inside, key=lambda n: (n.lineno, n.col_offset), default=None)
            callee = None if first is None else self.callee(first)
            alone = len(inside) == 1
            if not inside or all(n in zeros for n in inside) or (callee is not None and alone):
                found.append((0, statement, planner, frozenset()))
            if callee is None:
                if inside:
                    break
                continue
            inner, passed = self._entered(planner, first, callee, 0)
            found += [step for step in inner if not step[0]]
            if passed != 0 or not alone:
                break
        return found

    def _entered(
        self, planner, awaited: ast.Await, callee, depth: int
    ) -> tuple[list[tuple[int, ast.stmt, object, frozenset]], int | None]:
        """``callee``'s steps (``steps``) as ``planner``'s await ``awaited`` of it runs them,
        after ``depth`` zero sleeps, with the names of temporary files the call hands it
        (``SectionPlanner.handed``); and how many zero sleeps the call passes."""
        inner, passed = self.steps(callee)
        mine = planner.handed(awaited.value, callee)
        spliced = [
            (depth + d, s, owner, names | mine if owner is callee else names)
            for d, s, owner, names in inner
        ]
        return spliced, passed


def _next(planner, statement: ast.stmt, points: set[ast.AST]) -> ast.stmt | None:
    """The statement of ``planner``'s coroutine that runs after ``statement`` with no
    suspension point between: the next in its body; past the end of a body, a ``try``'s
    ``else`` or ``finally`` that comes next, or the statement after its block (not round a
    loop, nor out of a block whose exit is one of ``points``); None at the end of the
    coroutine. Found through the planner's parent map (``SectionPlanner.parents``)."""
    up = planner.parents
    while True:
        above = up.get(statement)
        lists = ((f, getattr(above, f, None)) for f in _BODIES)
        field, body = next(
            ((f, b) for f, b in lists if b.__class__ is list and any(s is statement for s in b)),
            (None, []),
        )
        place = next((i for i, s in enumerate(body) if s is statement), len(body))
        if place + 1 < len(body):
            return body[place + 1]
        if above.__class__ in (ast.ExceptHandler, ast.match_case):
            above, field = up.get(above), "handlers"
        then = _THEN.get(field, ()) if isinstance(above, _TRIES) else ()
        following = next((b for b in (getattr(above, f) for f in then) if b), None)
        if following:
            return following[0]
        if not isinstance(above, ast.stmt) or isinstance(above, _EDGES) or above in points:
            return None
        statement = above


def _depth_at(planner, zeros: set[ast.AST], line: int, walks: Walks) -> int | None:
    """How many zero sleeps come before ``line`` of the coroutine (those of the module's
    coroutines it awaited too) when all its suspensions before it are zero sleeps or
    awaits of such coroutines and none lies in a loop around it (a later round would come
    after them); None otherwise."""
    suspensions = set(planner.record.suspensions)
    depth = 0
    for suspension in (s for s in suspensions if s.lineno < line):
        if suspension in zeros:
            depth += 1
            continue
        callee = walks.callee(suspension)
        passed = None if callee is None else walks.steps(callee)[1]
        if passed is None:
            return None
        depth += passed
    for statement in planner.function.body:
        if statement.lineno <= line <= statement.end_lineno and isinstance(statement, _LOOPS):
            if any(s in suspensions for s in own_nodes(statement)):
                return None
    return depth


def _nodes(run: list[ast.stmt]) -> set[ast.AST]:
    return {n for s in run for n in own_nodes(s)}


def keyed(planner, state: ModuleState, touched: dict[str, list[str]]) -> dict[tuple, list[str]]:
    """``touched`` by whose state each resource is across the module's functions (an
    instance's attribute by class, a global or an outside resource by name, a variable of
    an enclosing function by that function); a parameter's is left out (another function's
    parameter may hold another object)."""
    access, _, cls = state.access(planner.function)
    by_key: dict[tuple, list[str]] = {}
    for resource, modes in touched.items():
        if resource in access.params:
            continue
        key = state.key(resource, access, cls) or (None, resource, *_binder(planner, resource))
        by_key.setdefault(key, []).extend(modes)
    return by_key


def _binder(planner, resource: str) -> tuple[str, ...]:
    """The qualified name of the function enclosing ``planner``'s coroutine that binds
    ``resource``'s name (a closure's variable: two tests' ``tokens`` are two lists), if
    one does."""
    name = resource.partition(".")[0]
    scope = planner.record.scope
    while scope is not None and scope.kind != "module":
        if scope.kind == "function" and name in scope.bindings:
            return (scope.qualname,)
        scope = scope.parent
    return ()


def conflict(mine: dict[tuple, list[str]], theirs: dict[tuple, list[str]]) -> str | None:
    """A resource both touch, one of them writing it, as shown."""
    for key in sorted(mine.keys() & theirs.keys(), key=str):
        if WRITE in mine[key] or WRITE in theirs[key]:
            return shown_resource(key[1] if key[0] is None else f"self.{key[1]}")
    return None


def _reason(shown: str, other, statement: ast.stmt, at: int) -> str:
    touched = f"the statements after it touch {shown}, which `{other.function.name}` (line "
    if not at:
        return (
            f"{touched}{statement.lineno}) touches too in its first run: the tasks started "
            "after this one would run theirs at an await here, before these statements"
        )
    return (
        f"{touched}{statement.lineno}) touches too after {_ZERO} come in one order across "
        "tasks: an await here would let other tasks overtake this one before them"
    )
