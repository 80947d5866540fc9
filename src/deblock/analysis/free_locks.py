"""asyncio locks no holder waits on: entering one does not suspend.

``asyncio.Lock.acquire`` (a semaphore's, a condition's own lock's) returns without yielding
when the lock is free, and releasing it never yields. When no holder suspends while it
holds the lock (no ``await``, ``async for``, ``async with`` or ``yield`` in any ``async
with LOCK:`` body, but an ``async with`` on another such lock, or on a manager that never
suspends, ``plain_managers``), a task that comes to it always finds it free: its ``async
with`` is no suspension point, and what runs before it, in it and after it runs as one.
An await a fix added in such a body would make tasks find the lock taken, and every
``async with`` on it could then suspend where the program now runs on through it.

A section held by hand (``await LOCK.acquire()``, then ``LOCK.release()`` later in the
coroutine) is such a body too: its acquire does not suspend when no holder does.

A lock is known by a module global or an attribute of the instance (``self.x``) when every
value the module gives that name is a new asyncio lock and the module uses it in
``async with`` alone (one lock to a statement) or in sections held by hand. Any other
``async with`` or ``acquire`` stays a suspension point: a lock of unknown identity or type,
anyio's and trio's (which checkpoint on every acquire), one passed on, or acquired in one
function and released in another. Other modules' uses are not seen.

An ``async with`` on an asyncio lock (by its type: a ``Lock``, a ``Semaphore``, a
``BoundedSemaphore`` or a ``Condition``) that stays a suspension point is recorded too
(``FunctionRecord.ordered_locks``): each wakes its waiters in the order they came, and a
task waits only while others hold it, so what runs right before it and right after it
comes in one order across tasks (``joined_runs``). So is one on a parameter, an attribute
of the instance or an item of a container, of no known type (``maybe_locks``): a caller,
the instance's maker or the code filling the container may hand it such a lock, and a block
that may not suspend is taken as one that does not. A local name bound once (``lock =
self._lock``) is taken for what it was bound from (``lock_aliases``). So is
one on another module's name when the project pass knows it holds such a lock (``locks``;
the module records the names it cannot type, ``entered_names``), or on a call of another
module's function that may return one (``helpers.lock_for()``: ``lock_getters``). Such a
lock is free when no module's holder waits on it: each module records the locks it enters
that are not free to it (``held_names``), and the project pass tells which of another
module's locks (an ``asyncio.Lock``, a semaphore or a condition) none holds (``free``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.lock_aliases import ReturnedLocks, stands_for
from deblock.analysis.nodes import walk
from deblock.analysis.scopes import Kind
from deblock.analysis.shared_state import parameter_names
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.records import record as _record
from deblock.rules.resources import ASYNC_LOCKS, OWN_LOCK

_GLOBAL, _ATTRIBUTE, _OTHER = "global", "attribute", "other"  # _OTHER: another module's
# How a reason names the locks of ``ASYNC_LOCKS``, whose waiters take them in the order they came.
ORDERED_SHOWN = "an asyncio lock (a `Lock`, `Semaphore` or `Condition`)"
_ASSIGNED = frozenset({Kind.VALUE, Kind.ANNOTATION})  # bindings an assignment makes


@_record(slots=True)
class _ByHand:
    """A lock a coroutine acquires by hand (``await LOCK.acquire()``), or releases only."""

    lock: ast.expr  # as written
    acquire: ast.Await | None  # None: a release with no acquire before it
    release: ast.Call | None  # None: released elsewhere, if at all
    alone: bool  # released later in the coroutine, with no suspension between


def mark_free_locks(
    tree: ast.Module,
    facts: ModuleFacts,
    type_of: Callable[[FunctionRecord], Callable[[ast.expr], str | None]],
    made_as: Callable[[ast.expr], str | None],
    locks: frozenset[str] = frozenset(),
    free: frozenset[str] = frozenset(),
) -> None:
    """Move each coroutine's ``async with`` statements and awaited ``acquire()`` calls on
    free locks from its suspension points to its ``free_locks``, and record the ``async
    with`` statements on an asyncio lock in its ``ordered_locks``. ``type_of(record)``:
    what an expression in ``record`` holds an instance of (or the name it refers to);
    ``made_as``: what a function, named at the module's level, is; ``locks``: other modules'
    names known to hold an asyncio lock, ``free``: those of them no module's holder waits
    on."""
    entries: dict[ast.AST, tuple[str, str]] = {}  # an ``async with`` or an acquire's await
    regions: dict[ast.AST, tuple[int, int, str, bool]] = {}  # its ``free_locks`` entry
    held: set[tuple[str, str]] = set()  # locks a holder suspends in, or not entered alone
    used: set[int] = set()  # the locks' expressions in those statements and calls
    bodies: list[tuple[ast.AsyncWith, FunctionRecord]] = []
    returned = ReturnedLocks(facts, lambda record, expr: type_of(record)(expr))
    for record in facts.functions:
        for node in record.suspensions if record.is_async else ():
            if isinstance(node, ast.AsyncWith):
                entered = [stands_for(i.context_expr, record, returned) for i in node.items]
                kind = type_of(record)(entered[0])
                if len(node.items) == 1 and (kind in ASYNC_LOCKS or kind in locks):
                    record.ordered_locks.append(node)
                elif len(node.items) == 1 and maybe_lock(entered[0], record, kind):
                    record.maybe_locks.append(node)
                    record.ordered_locks.append(node)
                keys = [_lock(expr, record, facts, type_of, free) for expr in entered]
                if len(keys) == 1 and keys[0] is not None:
                    entries[node] = keys[0]
                    used.add(id(node.items[0].context_expr))
                    shown = ast.unparse(node.items[0].context_expr)
                    regions[node] = (node.body[0].lineno, node.body[-1].end_lineno, shown, False)
                    bodies.append((node, record))
                else:
                    held.update(k for k in keys if k is not None)
        for hand in _by_hand(record, facts) if record.is_async else ():
            key = _lock(hand.lock, record, facts, type_of, free)
            if key is None:
                continue
            used.add(id(hand.lock))
            if not hand.alone:
                held.add(key)
            elif hand.acquire is not None and hand.release is not None:
                entries[hand.acquire] = key
                used.add(id(hand.release.func.value))
                shown = ast.unparse(hand.lock)
                regions[hand.acquire] = (hand.acquire.lineno, hand.release.lineno, shown, True)
    if not entries:
        return
    held |= _used_otherwise(tree, facts, entries, used, made_as)
    held |= _held_in_bodies(bodies, entries, held)
    for record in facts.functions:
        free = [n for n in record.suspensions if n in entries and entries[n] not in held]
        if free:
            record.free_locks = [regions[n] for n in free]
            record.suspensions = [n for n in record.suspensions if n not in free]
            record.ordered_locks = [n for n in record.ordered_locks if n not in free]


def _by_hand(record: FunctionRecord, facts: ModuleFacts) -> list[_ByHand]:
    """The locks coroutine ``record``'s own code acquires by hand with an await, or
    releases with no acquire before it, paired in line order (``held_locks.paired``)."""
    if not facts.lock_calls:  # most modules: no ``acquire()`` or ``release()`` at all
        return []
    _, calls = facts.inside(record.node)
    if not calls:
        return []
    own = {id(node) for node in record.own_code}
    awaited = {id(n.value): n for n in record.suspensions if isinstance(n, ast.Await)}
    found = []
    from deblock.analysis.held_locks import paired

    for pairs in paired([c for c in calls if id(c) in own]).values():
        for taken, freed in pairs:
            acquire = awaited.get(id(taken)) if taken is not None else None
            if taken is not None and acquire is None:
                continue  # not awaited: a thread lock's (``held_locks``)
            lock = (taken or freed).func.value
            alone = acquire is not None and freed is not None
            if alone:
                start, end = (acquire.lineno, acquire.col_offset), (freed.lineno, freed.col_offset)
                alone = not any(
                    start < (n.lineno, n.col_offset) < end
                    for n in record.suspensions
                    if n is not acquire
                )
            found.append(_ByHand(lock, acquire, freed, alone))
    return found


def held_names(
    facts: ModuleFacts,
    name_of: Callable[[FunctionRecord, ast.expr], str | None],
    made_as: Callable[[ast.expr], str | None],
) -> tuple[str, ...]:
    """The names (``pkg.locks.LOCK``) of the module's own locks and other modules' objects
    that its coroutines enter with ``async with``, or acquire or release by hand, where that
    is no free lock to it: a body or a section held by hand suspends, the statement enters
    several, a section is not released in the coroutine, or the lock is its own and not
    free; and each global it binds to a ``Condition`` made on another lock, with that lock
    (``conditions``), never free. No lock some module holds so is free (``project.ordered_locks``).
    ``name_of(record, expr)``: as for ``entered_names``; ``made_as``: as for
    ``mark_free_locks``."""
    own = f"{facts.scope.qualname}."
    found = {name for pair in conditions(facts, made_as).items() for name in pair if name}
    returned = ReturnedLocks(facts, name_of)
    for record in facts.functions:
        if not record.is_async:
            continue
        entered = [  # (the lock as written, whether entered alone), where not free
            (
                stands_for(item.context_expr, record, returned),
                len(node.items) == 1 and not _suspends_in(node, record.suspensions),
            )
            for node in record.suspensions
            if isinstance(node, ast.AsyncWith)
            for item in node.items
        ]
        for hand in _by_hand(record, facts):
            if hand.acquire is None or hand.acquire in record.suspensions:
                entered.append((hand.lock, hand.alone))
        for expr, alone in entered:
            name = name_of(record, expr)
            if name is not None:  # another module's (or unknown)
                if not alone and "()" not in name:
                    found.add(name)
            elif isinstance(expr, ast.Name) and _is_global(expr, record, facts):
                found.add(f"{own}{expr.id}")  # its own, not free to it
    return tuple(sorted(found))


def conditions(facts: ModuleFacts, made_as: Callable[[ast.expr], str | None]) -> dict[str, str]:
    """The module's globals bound to a ``Condition`` made on another lock (``pkg.m.COND``),
    each with the name of that lock (``pkg.m.LOCK``, ``helpers.LOCK``; ``""``: not known):
    one lock by two names."""
    own = f"{facts.scope.qualname}."
    found = {}
    for name, bindings in facts.scope.bindings.items():
        for binding in bindings:
            value = binding.expr if binding.kind in _ASSIGNED else None
            if not _made_on_lock(value, made_as):
                continue
            given = [*value.args[:1], *(k.value for k in value.keywords if k.arg == "lock")]
            lock = given[0] if given else None
            if isinstance(lock, ast.Name) and lock.id in facts.scope.bindings:
                found[f"{own}{name}"] = f"{own}{lock.id}"
            else:
                found[f"{own}{name}"] = (made_as(lock) if lock is not None else None) or ""
    return found


def ordered_names(
    record: FunctionRecord,
    facts: ModuleFacts,
    name_of: Callable[[FunctionRecord, ast.expr], str | None],
    shared: dict[str, str],
) -> tuple[tuple[str, int, int], ...]:
    """(the lock's name, ``lock_name``, the first and last line of the body) of each ``async
    with`` of coroutine ``record`` on an asyncio lock that stays a suspension point
    (``ordered_locks``)."""
    return tuple(
        (
            lock_name(node, record, facts, name_of, shared),
            node.body[0].lineno,
            node.body[-1].end_lineno,
        )
        for node in record.ordered_locks
    )


def lock_name(
    node: ast.AsyncWith,
    record: FunctionRecord,
    facts: ModuleFacts,
    name_of: Callable[[FunctionRecord, ast.expr], str | None],
    shared: dict[str, str],
) -> str:
    """The name of the lock ``node`` (an ``async with`` of coroutine ``record``) enters, a
    local name bound once followed to what it stands for (``lock = LOCK``,
    ``lock_aliases``): a global of the module (``pkg.m.LOCK``; a ``Condition`` made on
    another lock by that lock's name, ``shared``: ``conditions``) or another module's name
    as it is imported (``helpers.LOCK``); ``""``: another lock (an instance's attribute, a
    parameter, an item of a container, maybe of no known type: ``maybe_locks``)."""
    if node in record.maybe_locks:
        return ""
    expr = stands_for(node.items[0].context_expr, record, ReturnedLocks(facts, name_of))
    if isinstance(expr, ast.Name) and _is_global(expr, record, facts):
        own = f"{facts.scope.qualname}.{expr.id}"
        return shared.get(own, own)
    return name_of(record, expr) or ""


def turn_names(
    planner,
    record: FunctionRecord,
    facts: ModuleFacts,
    name_of: Callable[[FunctionRecord, ast.expr], str | None],
    shared: dict[str, str],
) -> tuple[tuple[str, str], ...]:
    """(the lock's name, what the runs do) of coroutine ``record``'s runs that rely on when
    a lock is taken (``FunctionSummary.turns``): its ``planner``'s ``turns`` at an ordered
    lock, named as ``lock_name`` names it, and its ``free_turns`` at a free one, an
    attribute of the method's instance by its class's (``pkg.m.Service.lock``): another
    module reaching the instance enters it as a parameter's attribute, whose lock has no
    name."""
    turns = [(lock_name(n, record, facts, name_of, shared), d) for n, d in planner.turns]
    for node, does in planner.free_turns:
        name = lock_name(node, record, facts, name_of, shared)
        expr = node.items[0].context_expr
        if not name and record.instance and _attribute_of(expr, record.instance[0]):
            name = f"{record.instance[1]}.{expr.attr}"
        turns.append((name, does))
    return tuple(turns)


def _attribute_of(expr: ast.expr, name: str) -> bool:
    """Whether ``expr`` is an attribute of the name ``name`` (``self.lock``)."""
    return (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id == name
    )


def entered_names(
    facts: ModuleFacts,
    name_of: Callable[[FunctionRecord, ast.expr], str | None],
    type_of: Callable[[FunctionRecord], Callable[[ast.expr], str | None]],
) -> tuple[str, ...]:
    """The names of other modules' objects (``locks.LOCK``) that the module's coroutines
    enter alone with ``async with``, or acquire by hand with an await, of a type it does
    not know, and of their functions whose results they enter so (``helpers.lock_for()``,
    as ``type_of`` names a call's result): one may hold an asyncio lock
    (``ModuleSummary.locks``; a getter's, ``lock_getters``). ``name_of(record, expr)``: the
    name ``expr`` refers to in ``record``, when it refers to one."""
    own = f"{facts.scope.qualname}."
    found = set()
    returned = ReturnedLocks(facts, name_of)
    for record in facts.functions:
        if not record.is_async:
            continue
        entered = [
            stands_for(node.items[0].context_expr, record, returned)
            for node in record.suspensions
            if isinstance(node, ast.AsyncWith)
            and len(node.items) == 1
            and node not in record.ordered_locks
        ]
        entered += [h.lock for h in _by_hand(record, facts) if h.acquire in record.suspensions]
        for expr in entered:
            name = name_of(record, expr)
            if name is None and expr.__class__ is ast.Call:
                name = type_of(record)(expr)
                # the result of one call of a named function: ``helpers.lock_for()``
                name = name if name and name.endswith("()") and name.count("()") == 1 else None
            elif name and "()" in name:
                name = None
            if name and not name.startswith(own):
                found.add(name)
    return tuple(sorted(found))


def _lock(
    expr: ast.expr, record: FunctionRecord, facts: ModuleFacts, type_of, free: frozenset[str]
) -> tuple[str, str] | None:
    """The lock ``expr`` names in coroutine ``record``: a module global or an attribute of
    the instance, holding an asyncio lock, or another module's free ``asyncio.Lock``."""
    kind = type_of(record)(expr)
    if kind in free:
        return _OTHER, kind
    if kind not in ASYNC_LOCKS:
        return None
    if isinstance(expr, ast.Name):
        if _is_global(expr, record, facts):
            return _GLOBAL, expr.id
    elif _of_instance(expr, record):
        return _ATTRIBUTE, expr.attr
    return None


def maybe_lock(expr: ast.expr, record: FunctionRecord, kind: str | None) -> bool:
    """Whether ``expr``, what an ``async with`` of coroutine ``record`` enters, is one of
    its parameters, an attribute of its instance or of a parameter, or an item of a
    container, of no known
    type (``kind``: what it holds an instance of, or, for an attribute, the name it refers
    to, ``pkg.m.Cls.x``), which may hold an asyncio lock a caller, the instance's maker or
    the code filling the container hands it."""
    if isinstance(expr, ast.Subscript):
        return kind is None
    if isinstance(expr, ast.Name):
        return kind is None and expr.id in parameter_names(record)
    if _of_instance(expr, record):
        return kind is None or kind.rpartition(".")[2] == expr.attr
    # a parameter's attribute (``service.lock``): the caller's object may hold one
    parameters = parameter_names(record)
    return kind is None and any(_attribute_of(expr, name) for name in parameters)


def _of_instance(expr: ast.expr, record: FunctionRecord) -> bool:
    """Whether ``expr`` is an attribute of the instance of method ``record`` (``self.x``)."""
    return (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and record.instance is not None
        and expr.value.id == record.instance[0]
    )


def _is_global(expr: ast.Name, record: FunctionRecord, facts: ModuleFacts) -> bool:
    """Whether ``expr``, in ``record``, names a global of the module."""
    bindings, _ = record.own_scope.lookup(expr.id)
    return bindings is not None and bindings is facts.scope.bindings.get(expr.id)


def _held_in_bodies(bodies: list, entries: dict, held: set) -> set[tuple[str, str]]:
    """The locks of ``entries`` a holder suspends in (``bodies``: each ``async with`` with its
    coroutine): a suspension point in its body other than an ``async with`` on a lock no
    holder suspends in (``held``: those known held already), found until none is added (a
    lock whose body enters only free locks is free)."""
    held = set(held)
    added = True
    while added:
        added = False
        for node, record in bodies:
            if entries[node] in held:
                continue
            real = [s for s in record.suspensions if s not in entries or entries[s] in held]
            if _suspends_in(node, real):
                held.add(entries[node])
                added = True
    return held


def _suspends_in(node: ast.AsyncWith, suspensions: list[ast.AST]) -> bool:
    """Whether one of the coroutine's ``suspensions`` lies in the body of ``node``."""
    first, last = node.body[0], node.body[-1]
    start, end = (first.lineno, first.col_offset), (last.end_lineno, last.end_col_offset)
    return any(start <= (n.lineno, n.col_offset) <= end for n in suspensions)


def _used_otherwise(
    tree: ast.Module, facts: ModuleFacts, entries: dict, used: set[int], made_as
) -> set[tuple[str, str]]:
    """The locks of ``entries`` that the module uses other than in their ``async with``
    statements and sections held by hand (``used``: the ids of their expressions there), or
    gives a value that is not a new asyncio lock of their own (a ``Condition`` made on
    another lock shares it; ``A = B = Lock()`` is one lock), or binds other than by
    assignment."""
    keys = set(entries.values())
    names = {name for kind, name in keys if kind == _GLOBAL}
    attributes = {name for kind, name in keys if kind == _ATTRIBUTE}
    used = set(used)
    seen: list[tuple[ast.expr, tuple[str, str]]] = []
    for node in walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and _new_lock(node.value, made_as):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1:  # ``A = B = Lock()``: one lock by two names
                used.add(id(targets[0]))
        elif isinstance(node, ast.Name):
            if node.id in names:
                seen.append((node, (_GLOBAL, node.id)))
            if node.id in attributes and not isinstance(node.ctx, ast.Load):  # a class's
                seen.append((node, (_ATTRIBUTE, node.id)))
        elif isinstance(node, ast.Attribute) and node.attr in attributes:
            seen.append((node, (_ATTRIBUTE, node.attr)))
    otherwise = {key for node, key in seen if id(node) not in used}
    bound = {(_GLOBAL, name): facts.scope.bindings.get(name, []) for name in names}
    for info in facts.classes.values():
        for name in attributes & info.attributes.keys():
            bound.setdefault((_ATTRIBUTE, name), []).extend(info.attributes[name])
    otherwise.update(k for k, found in bound.items() if any(b.kind not in _ASSIGNED for b in found))
    return otherwise


def _new_lock(value: ast.expr | None, made_as) -> bool:
    """Whether ``value`` makes a new asyncio lock (a ``Condition`` with a lock of its own)."""
    if not isinstance(value, ast.Call):
        return False
    return made_as(value.func) in ASYNC_LOCKS and not _made_on_lock(value, made_as)


def _made_on_lock(value: ast.expr | None, made_as) -> bool:
    """Whether ``value`` makes a ``Condition`` on a lock it is handed."""
    return (
        isinstance(value, ast.Call)
        and bool(value.args or value.keywords)
        and made_as(value.func) == OWN_LOCK
    )


def free_lock_reason(record: FunctionRecord, line: int) -> str | None:
    """Why an await at ``line`` of coroutine ``record`` would change the program: it lies
    in the body of an ``async with`` on a free lock, or in a section holding one by hand."""
    for first, last, shown, by_hand in record.free_locks:
        if first <= line <= last:
            if by_hand:
                where = f"between `await {shown}.acquire()` and `{shown}.release()`"
                entry = f"`async with` or `acquire()` of `{shown}`"
            else:
                where, entry = f"inside `async with {shown}`", f"`async with` on `{shown}`"
            return (
                f"it runs {where}, a lock no holder ever waits on: an await there would make "
                f"other calls wait to enter it, and each {entry} would then suspend where the "
                "program runs on through it now"
            )
    return None
