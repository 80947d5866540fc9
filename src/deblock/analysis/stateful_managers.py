"""``with`` blocks whose manager, the module's own code, touches shared state on entry and
on exit.

A manager's ``__enter__`` runs at the head of its ``with`` block and its ``__exit__`` after
the block's last statement (so do a ``contextlib.contextmanager`` generator's statements
before and after its ``yield``, and an ``async with`` manager's ``__aenter__`` from its
last suspension on and ``__aexit__`` up to its first). With no await in the block no other
task runs between them, so no task ever sees the state the entry left before the exit puts
it back (a count of calls in progress, a flag), nor changes it between them. An await a fix
adds in the block lets other tasks run there; a section that moves the whole block into a
worker thread runs the entry and the exit there, beside the event loop's tasks using the
state (and entering the block themselves).

A block of an exit stack (``with contextlib.ExitStack() as stack:``, ``AsyncExitStack``)
enters the managers its body hands the stack (``stack.enter_context(GAUGE)``, ``await
stack.enter_async_context(AGAUGE)``, through another name of it or its bound method too)
there, and leaves them at its end: the statements after the call run inside as a ``with``
block's body does (all of a nested statement making the call: a loop's next turn too).

The instance the entry and exit touch is the one the ``with`` names (``with GAUGE:``), or
the one a call returns (``with make():``, which may hand out a shared one), not a new one
(``with Gauge():``: only its other state counts, such as its class's attributes).

Another module's manager (``with gauges.GAUGE:``, ``with gauges.busy():``) is known to the
project pass only: a module notes the ``with`` blocks of its coroutines whose manager it does
not define (``entered_managers``, ``ModuleSummary.entered``) and the managers it defines whose
entry and exit share state (``own_managers``, ``ModuleSummary.managers``), and
``project.managed_blocks`` declines the fixes in the first kind's bodies that meet the second.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, NamedTuple

from deblock.analysis.nodes import last_name
from deblock.analysis.shared_state import READ, WRITE, HelperEffects

if TYPE_CHECKING:
    from deblock.analysis.hierarchy import MethodOrders
    from deblock.analysis.walker import FunctionRecord

_GENERATOR_MANAGERS = frozenset({"contextmanager", "asynccontextmanager"})
ASYNC_STACK, ASYNC_ENTRY = "contextlib.AsyncExitStack", "enter_async_context"
EXIT_STACKS = frozenset({"contextlib.ExitStack", ASYNC_STACK})
AWAITED_ENTRY = "__aenter__"  # an ``async with`` manager's, by its class (``own_managers``)
# the entry and exit of a ``with`` manager, and of an ``async with`` one
SIDES = (("__enter__", "__exit__"), (AWAITED_ENTRY, "__aexit__"))


def manager_regions(
    statements: list[ast.stmt],
    type_of: Callable[[ast.expr], str | None],
    helpers: HelperEffects,
    hierarchy: MethodOrders,
) -> list[tuple[int, int, str]]:
    """Where a coroutine runs inside such a ``with`` or ``async with`` block: the lines of
    its body, each with why a fix there would change the program. ``statements``: the
    coroutine's ``try`` and ``with`` statements; ``type_of``: the class an expression holds
    an instance of (``cls()``); ``hierarchy``: the module's classes' method resolution
    orders (a side a base of the module defines)."""
    regions = []
    for block in _blocks(statements, type_of):
        for manager, awaited, first, last, stacked in block:
            entry, exit_ = _sides(manager, type_of, helpers, awaited, hierarchy)
            shared = _shared(entry, exit_)
            if shared is not None:
                head = block_head(ast.unparse(manager), awaited, stacked)
                regions.append((first, last, managed_reason(head, shared)))
                break
    return regions


def managed_reason(head: str, shared: str) -> str:
    """Why a fix in a block (``head``: ``block_head``'s) whose manager's entry and exit
    touch ``shared`` would change the program."""
    return (
        f"it runs inside {head}, whose entry and exit touch {shared}: on the event "
        "loop no other task runs between them, an await or a worker thread there would let "
        "other tasks see or change it meanwhile"
    )


def block_head(manager: str, awaited: bool, stacked: bool) -> str:
    """Where a block of ``manager`` (shown), entered by ``async with`` if ``awaited``, or
    through an exit stack (``stacked``) begins."""
    if stacked:
        enter = "await stack.enter_async_context" if awaited else "stack.enter_context"
        return f"the exit stack's block after `{enter}({manager})`"
    return f"`async with {manager}`" if awaited else f"`with {manager}`"


def entered_managers(
    statements: list[ast.stmt], type_of: Callable[[ast.expr], str | None], skipped: Callable
) -> list[tuple[int, int, str, str, str, bool, bool, bool]]:
    """The ``with`` and ``async with`` blocks among a coroutine's ``statements`` (and the
    parts of exit stacks' blocks after an entry) whose manager is another module's of the
    project (``skipped(name)``: the module's own, or not the project's: ``open``,
    ``tempfile.TemporaryDirectory``), each (first and last line of its body, how it is shown
    (``gauges.GAUGE``), what it names: a call's function or class, else what it holds an
    instance of, how the object holding its instance's attributes is shown (a call's
    receiver, "" for none), whether the block is an ``async with``, whether its manager is a
    call, whether an exit stack enters it)."""
    found = []
    for block in _blocks(statements, type_of):
        for manager, awaited, first, last, stacked in block:
            called = manager.__class__ is ast.Call
            name = type_of(manager.func if called else manager)
            if called and (not name or skipped(name.removesuffix("()"))):
                # the module's own function: another module's instance it returns, if any
                called, name = False, type_of(manager)
            if not name or skipped(name.removesuffix("()")):
                continue
            if called:
                func = manager.func
                holder = ast.unparse(func.value) if func.__class__ is ast.Attribute else ""
            else:
                holder = ast.unparse(manager)
            shown = ast.unparse(manager)
            found.append((first, last, shown, name, holder, awaited, called, stacked))
    return found


def borrowed_managers(
    classes: Collection[str], defined: Collection[str], hierarchy: MethodOrders
) -> set[str]:
    """The module's ``classes`` whose entry or exit (``__enter__`` or ``__exit__``, or
    ``__aenter__`` or ``__aexit__``) comes from a base the module does not know
    (``class Held(gauges.Gauge): pass``; ``class Counted(gauges.Leaving)`` defining
    ``__enter__``): no class of the module defines it before that base in the method
    resolution order (``defined``: the qualified names of the module's functions). Only the
    project pass knows what it touches, as for another module's manager (``manager_sides``
    gives it the module's side)."""

    def elsewhere(cls: str, side: str) -> bool:
        owner = _runs_from(cls, side, defined, hierarchy)
        return owner is not None and f"{owner}.{side}" not in defined

    return {cls for cls in classes if any(any(elsewhere(cls, s) for s in sides) for sides in SIDES)}


def own_managers(
    helpers: HelperEffects, classes, hierarchy: MethodOrders
) -> list[tuple[str, tuple, tuple]]:
    """The context managers the module defines (``classes``: its classes' names; their
    sides as ``hierarchy`` finds them) whose entry and exit share state, each (its name,
    ``Class.__aenter__`` for an ``async with`` manager's, ``busy.__aenter__`` for an
    ``asynccontextmanager``'s, what its entry and its exit touch: ``HelperEffects.of``'s
    triples): another module's ``with`` blocks of one are weighed by the project pass."""
    found = []
    candidates = [(name, False) for name in (*helpers.records, *classes)]
    candidates += [(name, True) for name in (*classes, *helpers.coroutines)]
    for name, awaited in candidates:
        sides = _generator_sides(name, helpers, awaited)
        entry, exit_ = sides or _class_sides(name, helpers, awaited, hierarchy)
        name = f"{name}.{AWAITED_ENTRY}" if awaited else name
        if _shared(_named(entry, "it"), _named(exit_, "it")) is not None:
            found.append((name, tuple(sorted(entry)), tuple(sorted(exit_))))
    return found


def manager_sides(helpers: HelperEffects, classes: Collection[str]) -> list[tuple[str, tuple]]:
    """What each manager method of the module's ``classes`` touches, by its qualified name:
    ``__enter__``, ``__exit__`` whole, ``__aenter__`` from its last suspension on and
    ``__aexit__`` up to its first (``HelperEffects.of``'s triples)."""
    found = []
    for cls in classes:
        for awaited, sides in enumerate(SIDES):
            for head, side in enumerate(sides):
                name = f"{cls}.{side}"
                if not awaited and name in helpers.records:
                    found.append((name, tuple(sorted(helpers.of(name)))))
                elif awaited and name in helpers.coroutines:
                    found.append((name, tuple(sorted(helpers.unsuspended(name, head=bool(head))))))
    return found


def shared_between(entry: tuple, exit_: tuple, holder: str) -> str | None:
    """``_shared`` of a manager's sides, each (its module, ``HelperEffects.of``'s triples:
    ``manager_sides``'), its instance held by ``holder`` ("": a new instance), each module's
    globals named through it."""
    return _shared(*(_named(_qualified(*side), holder or None) for side in (entry, exit_)))


def shared_across(entry, exit_, holder: str, module: str) -> str | None:
    """``shared_between`` the sides of a manager of module ``module`` (``own_managers``')."""
    return shared_between((module, entry), (module, exit_), holder)


def _qualified(module: str, touched) -> set[tuple[bool, str, str]]:
    """``touched``'s triples, the module's globals named through ``module``."""
    return {(on, name if on else f"{module}.{name}", mode) for on, name, mode in touched}


def _blocks(
    statements: list[ast.stmt], type_of: Callable[[ast.expr], str | None]
) -> list[list[tuple[ast.expr, bool, int, int, bool]]]:
    """The managers each ``with`` and ``async with`` block among ``statements`` enters, each
    (manager, whether by ``async with``, the first and last line it is in, whether through
    an exit stack): its items, over its body, then those its body hands an exit stack it
    makes (``_stacked``)."""
    blocks = []
    for node in statements:
        if node.__class__ not in (ast.With, ast.AsyncWith):
            continue
        awaited = node.__class__ is ast.AsyncWith
        first, last = node.body[0].lineno, node.body[-1].end_lineno
        items = [(item.context_expr, awaited, first, last, False) for item in node.items]
        blocks.append(items + _stacked(node, type_of))
    return blocks


def _stacked(
    node: ast.With | ast.AsyncWith, type_of: Callable[[ast.expr], str | None]
) -> list[tuple[ast.expr, bool, int, int, bool]]:
    """The managers the body of ``node`` hands to an exit stack the block makes (``with
    contextlib.ExitStack() as stack:``), through its name, another name bound to it or its
    bound method (``stack_names``), each over the statements after the call, or, made in a
    nested statement (``if ...:``, a loop's body), over that whole statement and those
    after it (``_blocks``' tuples)."""
    made = {
        item.optional_vars.id
        for item in node.items
        if item.optional_vars.__class__ is ast.Name
        and item.context_expr.__class__ is ast.Call
        and type_of(item.context_expr.func) in EXIT_STACKS
    }
    if not made:  # no exit stack: nothing is handed one (most blocks)
        return []
    stacks, bound = stack_names(node.body, made)
    found = []
    for k, statement in enumerate(node.body):
        for inner in ast.walk(statement):
            method, call = stack_call(inner, stacks, bound)
            if method not in ("enter_context", ASYNC_ENTRY) or len(call.args) != 1:
                continue
            if inner is getattr(statement, "value", None):  # a statement of its own
                if k + 1 == len(node.body):
                    continue
                first = node.body[k + 1].lineno
            else:
                first = statement.lineno
            found.append(
                (call.args[0], method == ASYNC_ENTRY, first, node.body[-1].end_lineno, True)
            )
    return found


def stack_names(body: list[ast.stmt], stacks: set[str]) -> tuple[set[str], dict[str, str]]:
    """The names ``body`` binds to an exit stack named in ``stacks`` (``held = stack``),
    and what holds one (``_holder``: ``pending[0]`` of ``pending = [stack]``), with those,
    until none is added; and the names it binds to a stack's method (``enter =
    stack.enter_context``), each with the method."""
    stacks, bound = set(stacks), {}
    nodes = [n for statement in body for n in ast.walk(statement)]
    assigned = [
        n
        for n in nodes
        if n.__class__ is ast.Assign and len(n.targets) == 1 and n.targets[0].__class__ is ast.Name
    ]
    grown = True
    while grown:
        grown = False
        for assign in assigned:
            name, value = assign.targets[0].id, assign.value
            if value.__class__ is ast.Name and value.id in stacks and name not in stacks:
                stacks.add(name)
                grown = True
            elif value.__class__ is ast.Attribute and value.value.__class__ is ast.Name:
                if value.value.id in stacks:
                    bound[name] = value.attr
        held = {_holder(node, stacks) for node in nodes} - {None}
        grown = grown or not held <= stacks
        stacks |= held
    return stacks, bound


def _holder(node: ast.AST, stacks: set[str]) -> str | None:
    """The name or item, as written, that ``node`` makes hold a stack named in ``stacks``:
    a name bound to a display holding it (``pending = [stack]``, ``{"scratch": stack}``), a
    name it is stored in an item of (``held[key] = stack``), an item of a holder
    (``pending[0]``), a loop's target over a holder or a display holding it (``for stack in
    pending``)."""
    kind = node.__class__
    if kind is ast.Assign and len(node.targets) == 1:
        target, value = node.targets[0], node.value
        if target.__class__ is ast.Name and _holds(value, stacks):
            return target.id
        held = target.__class__ is ast.Subscript and ast.unparse(value) in stacks
        return target.value.id if held and target.value.__class__ is ast.Name else None
    if kind in (ast.For, ast.AsyncFor, ast.comprehension) and node.target.__class__ is ast.Name:
        over = ast.unparse(node.iter) in stacks or _holds(node.iter, stacks)
        return node.target.id if over else None
    if kind is ast.Subscript and ast.unparse(node.value) in stacks:
        return ast.unparse(node)
    return None


def stack_binding(node: ast.AST, stacks: set[str]) -> ast.AST | None:
    """The part of ``node`` that binds another name of a stack named in ``stacks``, as
    ``stack_names`` follows it: an assignment of a name to the stack (``held = stack``), to
    its method (``enter = stack.enter_context``) or to a holder (``pending = [stack]``,
    ``held[key] = stack``), or a loop's iterable over a holder; None for any other node."""
    if node.__class__ is ast.Assign and len(node.targets) == 1:
        value = node.value
        if node.targets[0].__class__ is ast.Name and value.__class__ in (ast.Name, ast.Attribute):
            named = value if value.__class__ is ast.Name else value.value
            return node if named.__class__ is ast.Name and named.id in stacks else None
    if node.__class__ in (ast.Assign, ast.For, ast.AsyncFor, ast.comprehension):
        if _holder(node, stacks) is not None:
            return node if node.__class__ is ast.Assign else node.iter
    return None


def _holds(value: ast.expr, stacks: set[str]) -> bool:
    """Whether the display ``value`` (a list, tuple, set or dict) holds a stack named in
    ``stacks``."""
    if value.__class__ is ast.Dict:
        return any(ast.unparse(v) in stacks for v in value.values)
    elts = value.elts if value.__class__ in (ast.List, ast.Tuple, ast.Set) else []
    return any(ast.unparse(e) in stacks for e in elts)


def stack_call(
    node: ast.AST | None, stacks: set[str], bound: dict[str, str] | None = None
) -> tuple[str | None, ast.Call | None]:
    """The method of an exit stack named in ``stacks`` (a name, or an expression as written:
    ``self.stack``) that ``node`` calls, or that a name of ``bound`` holds (``enter(cm)``
    of ``enter = stack.enter_context``: ``stack_names``), and the call: ``node`` awaits it
    for ``enter_async_context``, is it for the others; (None, None) for any other node."""
    awaited = node.__class__ is ast.Await
    call = node.value if awaited else node
    if call.__class__ is not ast.Call:
        return None, None
    func = call.func
    if func.__class__ is ast.Name and bound and func.id in bound:
        method = bound[func.id]
    elif func.__class__ is ast.Attribute:
        receiver, method = func.value, func.attr
        held = receiver.id if receiver.__class__ is ast.Name else ast.unparse(receiver)
        if held not in stacks:
            return None, None
    else:
        return None, None
    return (method, call) if awaited == (method == ASYNC_ENTRY) else (None, None)


def _sides(
    manager: ast.expr,
    type_of: Callable[[ast.expr], str | None],
    helpers: HelperEffects,
    awaited: bool,
    hierarchy: MethodOrders,
) -> tuple[set, set]:
    """What the manager ``manager`` (of an ``async with``: ``awaited``) touches on entry and
    on exit, each (state, mode), its own attributes named through the expression holding
    it (a new instance's left out: no other task holds it)."""
    called = manager.__class__ is ast.Call
    # a generator's call runs none of it, so ``callees`` has none: its function's name
    callee = type_of(manager.func) if called else None
    sides = _generator_sides(callee or "", helpers, awaited)
    if sides is not None:
        func = manager.func
        holder = ast.unparse(func.value) if func.__class__ is ast.Attribute else None
        return tuple(_named(t, holder) for t in sides)
    cls = (type_of(manager) or "").removesuffix("()")
    entry, exit_ = _class_sides(cls, helpers, awaited, hierarchy)
    made = called and (callee or "").removesuffix("()") == cls  # ``Busy()``: a new one
    holder = None if made else ast.unparse(manager)  # ``make()`` may return a shared one
    return _named(entry, holder), _named(exit_, holder)


def _generator_sides(
    name: str, helpers: HelperEffects, awaited: bool = False
) -> tuple[set, set] | None:
    """What a ``contextlib.contextmanager`` generator of the module (an ``async with``'s
    ``asynccontextmanager``: ``awaited``) touches before and after its one ``yield``
    (nothing with more; an async one's, all of it around its awaits too); None when
    ``name`` is none."""
    record = _generator(name, helpers, awaited)
    if record is None:
        return None
    line = _one_yield(record)
    return helpers.around(name, line) if line is not None else (set(), set())


class ExitCode(NamedTuple):
    """The function a manager's exit runs in, and its statements there."""

    function: FunctionRecord
    statements: list[ast.stmt]


def exit_code(
    manager: ast.expr,
    awaited: bool,
    type_of: Callable[[ast.expr], str | None],
    helpers: HelperEffects,
) -> ExitCode | None:
    """The function the exit of ``manager`` runs in and its statements there, when the
    module defines it (an ``async with``'s: ``awaited``): its class's ``__exit__`` or
    ``__aexit__``, or its generator from its one ``yield`` on; None for another module's."""
    callee = type_of(manager.func) if manager.__class__ is ast.Call else None
    record = _generator(callee or "", helpers, awaited)
    if record is not None:
        line = _one_yield(record)
        after = [s for s in record.node.body if s.end_lineno >= line] if line else []
        return ExitCode(record, after) if after else None
    cls = (type_of(manager) or "").removesuffix("()")
    left = f"{cls}.__aexit__" if awaited else f"{cls}.__exit__"
    record = (helpers.coroutines if awaited else helpers.records).get(left)
    return ExitCode(record, record.node.body) if record is not None else None


def _generator(name: str, helpers: HelperEffects, awaited: bool):
    """The record of the module's generator manager ``name`` (``awaited``: an async one)."""
    record = (helpers.coroutines if awaited else helpers.records).get(name)
    return record if record is not None and generator_manager(record.node) else None


def _one_yield(record) -> int | None:
    """The line of a generator's ``yield``, when it has one only."""
    yields = [s.lineno for s in record.suspensions if s.__class__ is ast.Yield]
    return yields[0] if len(yields) == 1 else None


def _class_sides(
    cls: str, helpers: HelperEffects, awaited: bool, hierarchy: MethodOrders
) -> tuple[set, set]:
    """What class ``cls``'s ``__enter__`` and ``__exit__`` touch, when the module defines
    both (in ``cls`` or a base before any class it does not know in ``hierarchy``'s method
    resolution order: ``class Counted(Leaving)`` defining ``__enter__`` only); ``awaited``:
    what its ``__aenter__`` touches from its last suspension on and its ``__aexit__`` up to
    its first, which run on with the block."""
    defined = helpers.coroutines if awaited else helpers.records
    owners = [_owner(cls, side, defined, hierarchy) for side in SIDES[awaited]]
    if not cls or None in owners:
        return set(), set()
    entered, left = (f"{owner}.{side}" for owner, side in zip(owners, SIDES[awaited], strict=True))
    if not awaited:
        return set(helpers.of(entered)), set(helpers.of(left))
    return helpers.unsuspended(entered, head=False), helpers.unsuspended(left, head=True)


def _owner(cls: str, side: str, defined: Collection[str], hierarchy: MethodOrders) -> str | None:
    """The class of the module whose method ``side`` an instance of ``cls`` runs (``defined``:
    the module's functions), if the module knows it."""
    owner = _runs_from(cls, side, defined, hierarchy)
    return owner if owner is not None and f"{owner}.{side}" in defined else None


def _runs_from(
    cls: str, side: str, defined: Collection[str], hierarchy: MethodOrders
) -> str | None:
    """The class whose method ``side`` an instance of ``cls`` runs: ``cls`` if the module
    defines it there (``defined``), else the first class after it in its method resolution
    order that the module defines it in or does not know (a base of another module)."""
    if f"{cls}.{side}" in defined:
        return cls
    return hierarchy.first_after(cls, lambda c: f"{c}.{side}" in defined)


def _named(touched, shown: str | None) -> set[tuple[str, str]]:
    """``HelperEffects.of``'s triples as (state, mode), the instance's attributes through
    the object ``shown`` holding it (none without it)."""
    return {
        (f"{shown}.{name}" if on_self else name, mode)
        for on_self, name, mode in touched
        if shown is not None or not on_self
    }


def generator_manager(node: ast.AST) -> bool:
    """Whether function ``node`` is a generator made a context manager (``contextlib.
    contextmanager``, ``asynccontextmanager``)."""
    return any(last_name(d) in _GENERATOR_MANAGERS for d in getattr(node, "decorator_list", ()))


def _shared(entry: set, exit_: set) -> str | None:
    """How the state that entry and exit both touch, one of them writing it, or that each
    writes, is shown; None when there is none."""
    for name, mode in sorted(exit_):
        if (name, WRITE) in entry or (mode == WRITE and (name, READ) in entry):
            return f"`{name}`"
    written = sorted(name for name, mode in entry if mode == WRITE)
    writes = sorted(name for name, mode in exit_ if mode == WRITE)
    if written and writes:
        return f"`{written[0]}` and `{writes[0]}`"
    return None
