"""``async with`` blocks whose manager never suspends: no suspension point.

An ``async with`` suspends only where its manager's ``__aenter__`` or ``__aexit__`` awaits
something that suspends. A manager of the module's own whose ``__aenter__`` and
``__aexit__`` await nothing (no ``await``, ``async for``, ``async with`` in them), or an
``asynccontextmanager`` generator of the module whose only suspension is its one ``yield``,
enters and leaves without letting another task run: what runs before the block, in it and
after it runs as one, as around a ``with``. Left among the suspension points, the block cut
a read and a write of one thing around it into two runs, and a fix's await there was
taken for safe (a counter read before ``async with GAUGE:`` and written after it lost its
updates). So does a ``contextlib.AsyncExitStack`` block handed only such managers (``await
stack.enter_async_context(GAUGE)``, whose await is none either) or sync ones
(``enter_context``, ``callback``, ``push``), through its name, another name bound to it, its
bound method or a list or dict holding it (``enter = stack.enter_async_context``,
``held[0]``: ``stack_names``): its exit awaits only theirs. A manager of the module's whose
entry suspends but whose exit does not (an ``asynccontextmanager`` awaiting before its
``yield`` only) leaves the stack's block no suspension point either, its entry's await
staying one. A stack used otherwise stays a suspension point.

Another module's manager is known to the project pass only: each module names the managers
it defines that never suspend, and those that never suspend leaving (``plain_names``,
``ModuleSummary.plain_managers``), and the project pass analyses a module entering one
again, telling it the names it enters them by (``gauges.QUIET``, ``gauges.quiet()``,
``gauges.waited().__aexit__``: ``project.managed_blocks.plain_entered``). A manager
of unknown type stays a suspension point, and so does one whose ``__aenter__`` or ``__aexit__``
(or generator) is a stub left to subclasses (``abstractmethod``, ``raise
NotImplementedError``): what an instance its class names runs is a subclass's method.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.hierarchy import MethodOrders
from deblock.analysis.nodes import last_name
from deblock.analysis.stateful_managers import (
    ASYNC_ENTRY,
    ASYNC_STACK,
    AWAITED_ENTRY,
    generator_manager,
    stack_binding,
    stack_call,
    stack_names,
)
from deblock.analysis.walker import FunctionRecord, ModuleFacts

_SYNC_ENTRIES = frozenset({"enter_context", "callback", "push"})  # nothing awaited at the exit
EXIT = "__aexit__"  # a manager that never suspends leaving is keyed by it (``plain_names``)


def mark_plain_managers(
    facts: ModuleFacts,
    type_of: Callable[[FunctionRecord], Callable[[ast.expr], str | None]],
    plain: frozenset[str],
    hierarchy: MethodOrders,
) -> None:
    """Take out of each coroutine's suspension points its ``async with`` statements whose
    every manager is the module's and never suspends, or is named in ``plain`` (other
    modules' that never suspend, as ``type_of`` names them, ``()`` after a call's function).
    ``type_of(record)``: what an expression in ``record`` holds an instance of, or the
    function it names; ``hierarchy``: the module's classes' method resolution orders."""
    records = _methods(facts, hierarchy)
    for record in facts.functions:
        withs = [n for n in record.suspensions if n.__class__ is ast.AsyncWith]
        if not withs:
            continue
        typed = type_of(record)
        plain_nodes: list[ast.AST] = []
        for node in withs:
            entries = _plain_block(node, typed, records, plain)
            if entries is not None:
                plain_nodes += [node, *entries]
                record.plain_withs.append((node, True))
            elif _plain_exits(node, typed, records, plain):
                record.plain_withs.append((node, False))
        if plain_nodes:
            record.suspensions = [n for n in record.suspensions if n not in plain_nodes]


def plain_names(facts: ModuleFacts, path: str, hierarchy: MethodOrders) -> tuple[str, ...]:
    """The managers the module at ``path`` defines that never suspend, keyed as
    ``own_managers`` keys an ``async with`` manager (``pkg.gauges.Quiet.__aenter__``,
    ``pkg.gauges.quiet.__aenter__`` for an ``asynccontextmanager`` generator), and those
    that never suspend leaving, whatever their entry awaits, keyed by their exit
    (``pkg.gauges.Quiet.__aexit__``, ``pkg.gauges.waited.__aexit__``); none of a stub file
    (``.pyi``), whose ``...`` bodies stand for the module's own (motor's
    ``motor_gridfs.pyi``, whose ``AgnosticGridIn.__aexit__`` awaits in ``motor_gridfs.py``)."""
    if path.endswith(".pyi"):
        return ()
    records = _methods(facts, hierarchy)
    found = []
    for side, exit_only in ((AWAITED_ENTRY, False), (EXIT, True)):
        key = f".{side}"
        sides = (side,) if exit_only else (AWAITED_ENTRY, EXIT)
        classes = [q.removesuffix(key) for q in records if q.endswith(key)]
        found += [f"{cls}{key}" for cls in classes if _plain_class(cls, records, sides)]
        found += [f"{q}{key}" for q, r in records.items() if _plain_generator(r, exit_only)]
    return tuple(sorted(found))


def _methods(facts: ModuleFacts, hierarchy: MethodOrders) -> dict[str, FunctionRecord]:
    """The module's functions by qualified name, and under a class's own name the
    ``__aenter__`` and ``__aexit__`` it inherits from a base of the module (``Sub.__aexit__``
    for ``class Sub(Quiet)``), when no base the module does not know comes before it in the
    class's method resolution order (which may define it)."""
    records = {r.qualname: r for r in facts.functions if r.node is not None}
    for cls in facts.classes:
        for side in (AWAITED_ENTRY, EXIT):
            if f"{cls}.{side}" in records:
                continue
            owner = hierarchy.first_after(cls, lambda c, side=side: f"{c}.{side}" in records)
            if f"{owner}.{side}" in records:  # not a class the module does not know
                records[f"{cls}.{side}"] = records[f"{owner}.{side}"]
    return records


def _plain_block(node: ast.AsyncWith, typed, records, plain) -> list[ast.Await] | None:
    """The awaited entries of the exit stacks of block ``node`` (``_stack_entries``), when
    its every manager enters and leaves without suspending; None when one may suspend."""
    entries: list[ast.Await] = []
    for item in node.items:
        manager = item.context_expr
        if manager.__class__ is ast.Call and typed(manager.func) == ASYNC_STACK:
            found = _stack_entries(item.optional_vars, node.body, typed, records, plain)
            if found is None:
                return None
            entries += found
        elif not _plain(manager, typed, records, plain):
            return None
    return entries


def _plain_exits(node: ast.AsyncWith, typed, records, plain) -> bool:
    """Whether block ``node`` leaves without suspending, whatever its entry awaits: each
    manager's exit never suspends (``_plain_exit``; an exit stack's, those it is handed)."""
    for item in node.items:
        manager = item.context_expr
        if manager.__class__ is ast.Call and typed(manager.func) == ASYNC_STACK:
            if _stack_entries(item.optional_vars, node.body, typed, records, plain) is None:
                return False
        elif not _plain_exit(manager, typed, records, plain):
            return False
    return True


def _stack_entries(target, body: list[ast.stmt], typed, records, plain) -> list[ast.Await] | None:
    """The awaits of ``await stack.enter_async_context(...)`` in ``body`` handed a manager
    that never suspends, of the async exit stack bound to ``target``, through another name
    of it, its bound method or a list or dict holding it too (``stack_names``), when every
    use of its names hands it a manager that leaves without suspending (``_plain_exit``:
    the stack's exit awaits only theirs) or a sync one, or binds another name of it; None
    when another use may hand it one whose exit suspends."""
    if target is None:
        return []
    if target.__class__ is not ast.Name:
        return None
    stacks, bound = stack_names(body, {target.id})
    named = stacks | bound.keys()
    nodes = [n for statement in body for n in _unshadowed(statement, target.id)]
    uses = {n for n in nodes if n.__class__ is ast.Name and n.id in named}
    entries, known = [], set()
    for node in nodes:
        method, call = stack_call(node, stacks, bound)
        entered = call.args[0] if method == ASYNC_ENTRY and len(call.args) == 1 else None
        if method in _SYNC_ENTRIES or (entered and _plain_exit(entered, typed, records, plain)):
            known.update(ast.walk(call.func))
            entries += [node] if entered and _plain(entered, typed, records, plain) else []
            continue
        binding = stack_binding(node, stacks)
        known.update(ast.walk(binding) if binding is not None else ())
    return entries if uses <= known else None


def _unshadowed(statement: ast.stmt, name: str) -> list[ast.AST]:
    """The nodes of ``statement`` but those of a nested ``with`` block that binds ``name``
    anew (``async with AsyncExitStack() as stack:`` in a block of another ``stack``: the
    uses in it are its own stack's), the managers it enters kept."""
    found, todo = [], [statement]
    while todo:
        node = todo.pop()
        found.append(node)
        items = getattr(node, "items", ()) if node.__class__ in (ast.With, ast.AsyncWith) else ()
        if any(getattr(i.optional_vars, "id", None) == name for i in items):
            todo += [i.context_expr for i in items]
        else:
            todo += ast.iter_child_nodes(node)
    return found


def _plain(manager: ast.expr, typed, records: dict[str, FunctionRecord], plain) -> bool:
    """Whether ``manager`` enters and leaves without suspending: the module's, or named in
    ``plain``."""
    if manager.__class__ is ast.Call:
        called = typed(manager.func) or ""
        generator = records.get(called)
        if f"{called}()" in plain or (generator is not None and _plain_generator(generator)):
            return True
    named = typed(manager) or ""
    return named in plain or _plain_class(named.removesuffix("()"), records)


def _plain_exit(manager: ast.expr, typed, records: dict[str, FunctionRecord], plain) -> bool:
    """Whether ``manager`` leaves without suspending (``_plain``, or the module's whose
    ``__aexit__``, or generator after its ``yield``, awaits nothing, or named in ``plain``
    by its exit, ``gauges.waited().__aexit__``): what an exit stack awaits at its own exit,
    whatever its entry awaits."""
    if _plain(manager, typed, records, plain):
        return True
    if manager.__class__ is ast.Call:
        called = typed(manager.func) or ""
        generator = records.get(called)
        if f"{called}().{EXIT}" in plain:
            return True
        if generator is not None and _plain_generator(generator, exit_only=True):
            return True
    named = typed(manager) or ""
    if f"{named}.{EXIT}" in plain:
        return True
    return _plain_class(named.removesuffix("()"), records, sides=(EXIT,))


def _plain_generator(record: FunctionRecord, exit_only: bool = False) -> bool:
    """Whether ``record`` is an ``asynccontextmanager`` generator whose suspensions are
    its ``yield`` alone (``exit_only``: after its one ``yield``, in no loop, the code its
    exit runs), no stub a subclass's method stands in for."""
    if not (record.is_async and generator_manager(record.node)) or _stub(record.node):
        return False
    yields = [s for s in record.suspensions if s.__class__ is ast.Yield]
    others = [s for s in record.suspensions if s.__class__ is not ast.Yield]
    if not exit_only:
        return not others
    if len(yields) != 1 or _in_loop(record.node, yields[0]):
        return False
    at = (yields[0].lineno, yields[0].col_offset)
    return all((s.end_lineno, s.end_col_offset) < at for s in others)


def _in_loop(function: ast.AST, node: ast.AST) -> bool:
    """Whether ``node`` lies in a loop of ``function``."""
    loops = (ast.For, ast.AsyncFor, ast.While)
    return any(n.__class__ in loops and node in ast.walk(n) for n in ast.walk(function))


def _plain_class(
    cls: str,
    records: dict[str, FunctionRecord],
    sides: tuple[str, ...] = (AWAITED_ENTRY, EXIT),
) -> bool:
    """Whether class ``cls`` of the module has the methods ``sides`` (an ``__aenter__`` and
    an ``__aexit__``) and they never suspend (neither a stub that a subclass's method stands
    in for)."""
    found = [records.get(f"{cls}.{method}") for method in sides]
    return all(
        side is not None and side.is_async and not side.suspensions and not _stub(side.node)
        for side in found
    )


def _stub(node: ast.AsyncFunctionDef) -> bool:
    """Whether method ``node`` is left for subclasses to define, so that an instance the
    class names runs a subclass's: an ``abstractmethod`` (an ABC's ``TaskGroup.__aexit__``,
    which every backend's task group overrides to wait for its tasks; aiogram's
    ``BaseEventIsolation.lock``), or a body that only raises ``NotImplementedError`` (after
    a docstring)."""
    if any(last_name(d) == "abstractmethod" for d in node.decorator_list):
        return True
    body = node.body[1:] if _docstring(node.body[0]) else node.body
    return len(body) == 1 and _not_implemented(body[0])


def _docstring(statement: ast.stmt) -> bool:
    return statement.__class__ is ast.Expr and statement.value.__class__ is ast.Constant


def _not_implemented(statement: ast.stmt) -> bool:
    """``raise NotImplementedError``, maybe called."""
    raised = statement.exc if statement.__class__ is ast.Raise else None
    return raised is not None and last_name(raised) == "NotImplementedError"
