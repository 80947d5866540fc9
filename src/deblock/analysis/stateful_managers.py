"""``with`` and ``async with`` blocks whose manager, the module's own code, touches shared
state on entry and on exit.

A manager's ``__enter__`` runs at the head of its ``with`` block and its ``__exit__`` after
the block's last statement (so do a ``contextlib.contextmanager`` generator's statements
before and after its ``yield``; an ``async with``'s ``__aenter__`` and ``__aexit__``, or an
``asynccontextmanager``'s, counted whole: what they touch around their awaits too). With
no await in the block no other task runs between them, so no task ever sees the state the
entry left before the exit puts it back (a count of calls in progress, a flag), nor changes
it between them. An await a fix adds in the block lets other tasks run there; a section
that moves the whole block into a worker thread runs the entry and the exit there, beside
the event loop's tasks using the state (and entering the block themselves). A manager a
function returns is the instance a call of it gives: new only when each of the function's
``return``s makes one (``make()`` may return a global's).

Another module's manager (``with gauges.GAUGE:``, ``with gauges.busy():``) is known to the
project pass only: a module notes the ``with`` blocks of its coroutines whose manager it does
not define (``entered_managers``, ``ModuleSummary.entered``) and the managers it defines whose
entry and exit share state (``own_managers``, ``ModuleSummary.managers``), and
``project.managed_blocks`` declines the fixes in the first kind's bodies that meet the second.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.nodes import last_name
from deblock.analysis.shared_state import READ, WRITE, HelperEffects

_GENERATOR_MANAGERS = frozenset({"contextmanager", "asynccontextmanager"})
# A class's entry and exit, of ``with`` and of ``async with``.
_SYNC_SIDES, _ASYNC_SIDES = ("__enter__", "__exit__"), ("__aenter__", "__aexit__")


def manager_regions(
    statements: list[ast.stmt],
    type_of: Callable[[ast.expr], str | None],
    helpers: HelperEffects,
) -> list[tuple[int, int, str]]:
    """Where a coroutine runs inside such a ``with`` block: the lines of its body, each with
    why a fix there would change the program. ``statements``: the coroutine's ``try`` and
    ``with`` statements; ``type_of``: the class an expression holds an instance of
    (``cls()``)."""
    regions = []
    for node in _withs(statements):
        pair = _ASYNC_SIDES if node.__class__ is ast.AsyncWith else _SYNC_SIDES
        for item in node.items:
            entry, exit_ = _sides(item.context_expr, type_of, helpers, pair)
            shared = _shared(entry, exit_)
            if shared is not None:
                why = managed_reason(_head(node, item), shared)
                regions.append((node.body[0].lineno, node.body[-1].end_lineno, why))
                break
    return regions


def managed_reason(head: str, shared: str) -> str:
    """Why a fix in a block of ``head`` (``with GAUGE``, ``async with AGAUGE``) whose
    manager's entry and exit touch ``shared`` would change the program."""
    return (
        f"it runs inside `{head}`, whose entry and exit touch {shared}: on the event "
        "loop no other task runs between them, an await or a worker thread there would let "
        "other tasks see or change it meanwhile"
    )


def entered_managers(
    statements: list[ast.stmt], type_of: Callable[[ast.expr], str | None], skipped: Callable
) -> list[tuple[int, int, str, str, str]]:
    """The ``with`` and ``async with`` blocks among a coroutine's ``statements`` whose
    manager is another module's of the project (``skipped(name)``: the module's own, or not
    the project's: ``open``, ``tempfile.TemporaryDirectory``), each (first and last line of
    its body, how it is shown (``with gauges.GAUGE``), what it names: a call's function or
    class, else what it holds an instance of, and how the object holding its instance's
    attributes is shown, "" for a new instance's)."""
    found = []
    for node in _withs(statements):
        for item in node.items:
            manager = item.context_expr
            called = manager.__class__ is ast.Call
            name = type_of(manager.func if called else manager)
            if not name or skipped(name.removesuffix("()")):
                continue
            if called:
                func = manager.func
                holder = ast.unparse(func.value) if func.__class__ is ast.Attribute else ""
            else:
                holder = ast.unparse(manager)
            shown = _head(node, item)
            found.append((node.body[0].lineno, node.body[-1].end_lineno, shown, name, holder))
    return found


def own_managers(
    helpers: HelperEffects, classes, returned: Callable[[str], str | None]
) -> list[tuple[str, tuple, tuple]]:
    """The context managers the module defines (``classes``: its classes' names; a function
    returning an instance of one, not a new one each call: ``returned`` gives the class)
    whose entry and exit share state, each (its name, what its entry and its exit touch:
    ``HelperEffects.of``'s triples): another module's ``with`` blocks of one are weighed by
    the project pass."""
    found = []
    candidates = [*helpers.records, *helpers.coroutines, *classes]
    for name in candidates:
        cls = name
        if name in helpers.records and (made := returned(name)) and not _makes(name, made, helpers):
            cls = made
        sides = [_class_sides(cls, helpers, pair) for pair in (_SYNC_SIDES, _ASYNC_SIDES)]
        entry, exit_ = _generator_sides(name, helpers) or [
            set().union(*s) for s in zip(*sides, strict=True)
        ]
        if cls != name:  # the instance's attributes, named through the call giving it
            entry, exit_ = (_returned_by(side, name) for side in (entry, exit_))
        if _shared(_named(entry, "it"), _named(exit_, "it")) is not None:
            found.append((name, tuple(sorted(entry)), tuple(sorted(exit_))))
    return found


def _returned_by(side: set, function: str) -> set[tuple[bool, str, str]]:
    """``side``'s triples, its instance's attributes as a call of ``function`` gives them
    (``make().active``: the module's state, named through it by the project pass)."""
    call = f"{function.rpartition('.')[2]}()"
    return {(False, f"{call}.{name}" if on_self else name, mode) for on_self, name, mode in side}


def shared_across(entry, exit_, holder: str, module: str) -> str | None:
    """``_shared`` of the sides of a manager of module ``module`` (``own_managers``'), its
    instance held by ``holder`` ("": a new instance), its module's globals named through
    it."""
    qualified = [
        {(on_self, name if on_self else f"{module}.{name}", mode) for on_self, name, mode in side}
        for side in (entry, exit_)
    ]
    return _shared(*(_named(side, holder or None) for side in qualified))


def _head(node: ast.With | ast.AsyncWith, item: ast.withitem) -> str:
    """How a block of ``item``'s manager is shown: ``with GAUGE``, ``async with AGAUGE``."""
    keyword = "async with" if node.__class__ is ast.AsyncWith else "with"
    return f"{keyword} {ast.unparse(item.context_expr)}"


def _withs(statements: list[ast.stmt]) -> list[ast.With | ast.AsyncWith]:
    return [node for node in statements if node.__class__ in (ast.With, ast.AsyncWith)]


def _sides(
    manager: ast.expr,
    type_of: Callable[[ast.expr], str | None],
    helpers: HelperEffects,
    pair: tuple[str, str],
) -> tuple[set, set]:
    """What the manager ``manager`` touches on entry and on exit (``pair``: a class's
    methods for them), each (state, mode), its own attributes named through the expression
    holding it (a new instance's left out: no other task holds it; what a function returns
    is new only when each of its ``return``s makes one)."""
    # a generator's call runs none of it, so ``callees`` has none: its function's name
    callee = type_of(manager.func) if manager.__class__ is ast.Call else None
    sides = _generator_sides(callee or "", helpers)
    if sides is not None:
        func = manager.func
        holder = ast.unparse(func.value) if func.__class__ is ast.Attribute else None
        return tuple(_named(t, holder) for t in sides)
    cls = (type_of(manager) or "").removesuffix("()")
    entry, exit_ = _class_sides(cls, helpers, pair)
    new = manager.__class__ is ast.Call and _makes(type_of(manager.func) or "", cls, helpers)
    holder = None if new else ast.unparse(manager)  # ``Busy()``: new; ``make()``: maybe not
    return _named(entry, holder), _named(exit_, holder)


def _makes(called: str, cls: str, helpers: HelperEffects) -> bool:
    """Whether a call of ``called`` gives a new instance of class ``cls``: it is the class,
    or a sync function of the module whose every ``return`` calls it (``return Busy()``)."""
    if called == cls:
        return True
    record = helpers.records.get(called)
    if record is None:
        return False
    returns = [n for n in ast.walk(record.node) if n.__class__ is ast.Return]
    name = cls.rpartition(".")[2]
    return bool(returns) and all(
        r.value.__class__ is ast.Call and last_name(r.value.func) == name for r in returns
    )


def _generator_sides(name: str, helpers: HelperEffects) -> tuple[set, set] | None:
    """What a ``contextlib.contextmanager`` generator of the module touches before and after
    its one ``yield`` (nothing with more); None when ``name`` is none."""
    record = helpers.records.get(name) or helpers.coroutines.get(name)
    if record is None or not generator_manager(record.node):
        return None
    yields = [s.lineno for s in record.suspensions if s.__class__ is ast.Yield]
    return helpers.around(name, yields[0]) if len(yields) == 1 else (set(), set())


def _class_sides(cls: str, helpers: HelperEffects, pair: tuple[str, str]) -> tuple[set, set]:
    """What class ``cls``'s entry and exit (``pair``: ``__enter__`` and ``__exit__``, or
    ``__aenter__`` and ``__aexit__``) touch, when the module defines both (an async one's
    awaits left uncounted: what it touches around them is counted whole)."""
    entered, left = (f"{cls}.{method}" for method in pair)
    defined = helpers.records.keys() | helpers.coroutines.keys()
    if not cls or entered not in defined or left not in defined:
        return set(), set()
    return helpers.run_whole(entered), helpers.run_whole(left)


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
