"""Cleanup that a cancelled await would run beside a worker thread still at work.

A coroutine cancelled while it awaits a call moved into a worker thread (``to_thread``,
``aiofiles``) goes on to its cleanup (a ``finally``, an ``except`` that catches
cancellation) at once, while the call runs on in its thread, or is yet to start there (the
pool is busy; anyio's runner waits for a thread it started, but is cancelled at its own
checkpoint before it starts one). On the event loop the call always ended before the
cancellation arrived, at the next await, so the cleanup ran after it. When the cleanup
touches the file system too (it removes the file the call writes), the two now race: a
removal fails on a file not written yet, or a file is written after its removal.

The release of an asyncio lock (leaving its ``async with`` block, a ``release()`` in such
cleanup) lets its next holder run beside the call still at work: what the lock kept apart
(a read of a file and its write after an await) no longer is.

A ``with`` or ``async with`` block's exit is such cleanup too: a temporary directory
removed at the exit, the module's own manager whose ``__exit__``, ``__aexit__`` or
generator's code after its ``yield`` touches the file system, an ``ExitStack`` with such a
callback or context pushed in the block, or by code the block hands it to, or with a callback
the block pushes that changes a flag other code reads (``stack.callback(DONE.add, p)``), and
the module's own manager whose exit changes such a global (``DONE.add(path)``).
So is cleanup that changes a module global (or an attribute of one), or an attribute of the
method's instance, that other code may read (``DONE.add(i)``, ``self.done.add(i)``,
``STATE.done.add(i)`` in a ``finally``, a signal that the work is done):
a reader would see it while the thread still writes. Not a file handle's (``with open(p) as f``, a
temporary file's): its close waits for a read or write of the handle that a thread has begun
(a buffered file's lock), and what a cancelled read returns is dropped anyway.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from deblock.analysis.cancellation import catches_cancellation
from deblock.analysis.modules import maybe_project
from deblock.analysis.shared_state import positional_parameters
from deblock.analysis.stateful_managers import (
    ASYNC_ENTRY,
    EXIT_STACKS,
    ExitCode,
    stack_call,
    stack_names,
)
from deblock.rules.resources import ASYNC_LOCKS, MUTATING_METHODS

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord

# Async functions and thread bridges (by qualname prefix) that touch the file system, or
# run what they are handed in a worker thread.
_FILE_WORK = (
    "aiofiles.",
    "anyio.Path",
    "anyio.open_file",
    "anyio.to_thread.",
    "trio.Path",
    "trio.open_file",
    "trio.to_thread.",
    "asyncio.to_thread",
)
# Bridges that are methods of an event loop, by name.
_LOOP_BRIDGES = frozenset({"run_in_executor"})
# An exit stack's methods that push a callback (its first argument) or a context on it.
_PUSHED = frozenset({"callback", "push", "push_async_callback", "push_async_exit"})
_ENTERED = frozenset({"enter_context", ASYNC_ENTRY})
# Managers of the catalogue whose exit removes what they made (not a temporary file: its
# handle's close waits for a thread's call on it, as any file's does).
_REMOVED_AT_EXIT = frozenset({"tempfile.TemporaryDirectory"})


class FileWork(NamedTuple):
    """What tells a coroutine's code touching the file system: ``touching(first, last)``
    shows a file-system call the analysis found on those lines (a sync function's too);
    ``project`` tells a name of the project's; ``type_of`` names what an expression is;
    ``exit_of(manager, awaited)`` gives the function the exit of the module's own manager
    runs in and its statements there (of an ``async with``: ``awaited``), if it is one;
    ``blocks(name)`` tells a blocking function of the catalogue that touches the file system
    (a temporary file of its own too: a call in a ``tempfile.TemporaryDirectory`` its exit
    removes); ``read_elsewhere(name, rebound)`` tells a name or attribute of the coroutine's
    that other code may read, ``rebound``: the bare name bound (not what it holds changed);
    ``function(name)`` gives the record of the module's function (a coroutine too) so named,
    if it is one; ``read_by(record, name, rebound)`` tells the same of another function's
    names (a manager's exit, whose ``self`` is the manager)."""

    touching: Callable[[int, int], str | None]
    project: Callable[[str], bool]
    type_of: Callable[[ast.expr], str | None]
    exit_of: Callable[[ast.expr, bool], ExitCode | None]
    blocks: Callable[[str], bool]
    read_elsewhere: Callable[[str, bool], bool] = lambda name, rebound: False
    function: Callable[[str], FunctionRecord | None] = lambda name: None
    read_by: Callable[[FunctionRecord, str, bool], bool] = lambda record, name, rebound: False


def raced_regions(
    statements: list[ast.stmt], work: FileWork
) -> list[tuple[int, int, int, int, str]]:
    """The parts of the ``try``, ``with`` and ``async with`` statements among
    ``statements`` (a coroutine's, outer ones first) whose cleanup touches the file system,
    releases an asyncio lock or gives a signal: (first and last line of the part, first
    and last line of the statement, why). An
    awaited call of the project's, of an unknown object, of a bridge or of an async file
    library may touch it too."""
    regions = []
    for statement in statements:
        whole = (statement.lineno, statement.end_lineno)
        body = (statement.body[0].lineno, statement.body[-1].end_lineno)
        if isinstance(statement, ast.With | ast.AsyncWith):
            head = "async with" if isinstance(statement, ast.AsyncWith) else "with"
            held = (item.context_expr for item in statement.items)
            lock = next((manager for manager in held if _lock(manager, work)), None)
            if lock is not None:
                regions.append((*body, *whole, _released(f"leave `{head} {ast.unparse(lock)}`")))
                continue
            cleanup = f"the exit of its `{head}`"
            shown = _exit_touches(statement, work)
            if shown:
                regions.append((*body, *whole, _why(cleanup, shown)))
            elif signal := _stack_signal(statement, work) or _exit_signal(statement, work):
                regions.append((*body, *whole, _signalled(cleanup, signal)))
            continue
        if isinstance(statement, ast.Try | ast.TryStar):
            regions += _try_regions(statement, work)
    return regions


def _try_regions(
    statement: ast.Try | ast.TryStar, work: FileWork
) -> list[tuple[int, int, int, int, str]]:
    """``raced_regions``' parts of a ``try`` whose ``finally`` (its body up to it), or else
    an ``except`` for cancellation (its body), races: split where the names its body binds
    from a line on change (``_parts``), as a signal the cleanup gives may read them."""
    whole = (statement.lineno, statement.end_lineno)
    last = statement.body[-1].end_lineno
    cleanups = [
        (handler.body, "its `except` for cancellation", last)
        for handler in statement.handlers
        if catches_cancellation(handler)
    ]
    if statement.finalbody:
        end = statement.finalbody[0].lineno - 1
        cleanups.insert(0, (statement.finalbody, "its `finally`", end))
    if not cleanups:
        return []
    judged = [(body, shown, end, _cleanup_why(body, shown, work)) for body, shown, end in cleanups]
    regions = []
    for first, part_last, bound in _parts(statement, cleanups[0][2]):
        for body, shown, end, why in judged:
            why = first <= end and (why or _signal_why(body, shown, work, bound))
            if why:
                regions.append((first, min(part_last, end), *whole, why))
                break
    return regions


def _cleanup_why(body: list[ast.stmt], cleanup: str, work: FileWork) -> str | None:
    """Why a cancelled await before ``body``, the cleanup shown ``cleanup``, would race a
    worker thread still at work, whatever the ``try`` has bound: it releases an asyncio
    lock, or touches the file system."""
    for node in (n for statement in body for n in ast.walk(statement)):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr == "release" and _lock(func.value, work):
            return _released(f"run {cleanup}, which releases `{ast.unparse(func.value)}`,")
    shown = _touches(body, work)
    return _why(cleanup, shown) if shown else None


def _signal_why(
    body: list[ast.stmt], cleanup: str, work: FileWork, bound: frozenset[str]
) -> str | None:
    """Why the cleanup ``body`` (shown ``cleanup``) would race a worker thread still at work
    by a signal it gives (``_signal``), if it would."""
    signal = _signal(body, work, bound)
    return _signalled(cleanup, signal) if signal else None


def _signal(
    body: list[ast.stmt],
    work: FileWork,
    bound: frozenset[str],
    read: Callable[[str, bool], bool] | None = None,
) -> str | None:
    """A name (a module global, a parameter), or an attribute of one (``self.done``), the
    statements ``body`` change (bind, store into, or call a method of ``MUTATING_METHODS``
    on) that other code may read (``read(name, rebound)``: the coroutine's
    ``read_elsewhere``, unless told), shown. A statement that reads a name the ``try`` binds
    (``bound``) is left: cancelled before the binding, it raises before it changes anything
    (``_OPEN.append(audio)``)."""
    read = read or work.read_elsewhere
    kept = [s for s in body if not any(_reads(n, bound) for n in ast.walk(s))]
    for node in (n for statement in kept for n in ast.walk(statement)):
        if isinstance(node, ast.Name | ast.Attribute) and not isinstance(node.ctx, ast.Load):
            changed = node
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
            changed = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            changed = node.func.value if node.func.attr in MUTATING_METHODS else None
        else:
            continue
        shown = _held(changed)
        rebound = changed.__class__ is ast.Name and changed.ctx.__class__ is not ast.Load
        if shown and read(shown, rebound):
            return shown
    return None


def _held(node: ast.expr | None) -> str | None:
    """``node`` shown if it is a name or an attribute of one (``self.done``)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return ast.unparse(node)
    return node.id if isinstance(node, ast.Name) else None


def _lock(node: ast.expr, work: FileWork) -> bool:
    """Whether ``node`` holds an asyncio lock (a semaphore, a condition)."""
    return (work.type_of(node) or "").removesuffix("()") in ASYNC_LOCKS


def _touches(body: list[ast.stmt], work: FileWork) -> str | None:
    """What in the statements ``body`` touches the file system or may, shown."""
    found = work.touching(body[0].lineno, body[-1].end_lineno)
    if found is not None:
        return found
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            func = node.value.func
            if _may_touch(work.type_of(func), func, work):
                return ast.unparse(func)
    return None


def _may_touch(named: str | None, func: ast.expr, work: FileWork) -> bool:
    """Whether awaiting what ``func`` (named ``named``) gives may touch the file system."""
    return named is None or work.project(named) or _file_work(named, func)


def _exit_touches(statement: ast.With | ast.AsyncWith, work: FileWork) -> str | None:
    """What the exit of one of the block's managers touches on the file system, shown."""
    awaited = isinstance(statement, ast.AsyncWith)
    for item in statement.items:
        shown = _exit_of(item.context_expr, awaited, work)
        if not shown and (stack := _stack_name(item, work)):
            shown = _pushed(statement.body, {stack}, work)
        if shown:
            return shown
    return None


def _stack_name(item: ast.withitem, work: FileWork) -> str | None:
    """The name an exit stack the ``with`` item makes is bound to (``as stack``), if it
    makes one."""
    manager = item.context_expr
    called = work.type_of(manager.func) if isinstance(manager, ast.Call) else None
    named = called in EXIT_STACKS and item.optional_vars is not None
    return ast.unparse(item.optional_vars) if named else None


def _stack_signal(statement: ast.With | ast.AsyncWith, work: FileWork) -> str | None:
    """What a callback the block pushes on its exit stack changes in place (``stack.callback
    (DONE.add, p)``) that other code may read, shown: a signal its exit gives."""
    for stack in filter(None, (_stack_name(item, work) for item in statement.items)):
        stacks, bound = stack_names(statement.body, {stack})
        for node in (n for s in statement.body for n in ast.walk(s)):
            method, call = stack_call(node, stacks, bound)
            pushed = call.args[0] if method in _PUSHED and call.args else None
            if isinstance(pushed, ast.Attribute) and pushed.attr in MUTATING_METHODS:
                shown = _held(pushed.value)
                if shown and work.read_elsewhere(shown, False):
                    return shown
    return None


def _exit_signal(statement: ast.With | ast.AsyncWith, work: FileWork) -> str | None:
    """What the exit of the module's own manager among the block's changes that other code
    may read (``DONE.add(path)`` after a generator's ``yield``, ``self.done.add(self.path)``
    in an ``__exit__``: the manager's), shown: the exit's code runs in a function of its
    own, whose names are not the coroutine's."""
    awaited = isinstance(statement, ast.AsyncWith)
    for item in statement.items:
        exit_ = work.exit_of(item.context_expr, awaited)
        read = exit_ and partial(work.read_by, exit_.function)
        signal = exit_ and _signal(exit_.statements, work, frozenset(), read)
        if signal:
            return signal
    return None


def _exit_of(manager: ast.expr, awaited: bool, work: FileWork) -> str | None:
    """What the exit of ``manager`` (an ``async with``'s: ``awaited``) touches on the file
    system, shown: a temporary directory it removes, or what the module's own manager's exit
    does."""
    called = work.type_of(manager.func) if isinstance(manager, ast.Call) else None
    if called in _REMOVED_AT_EXIT:
        return ast.unparse(manager.func)  # type: ignore[attr-defined]
    exit_ = work.exit_of(manager, awaited)
    return _touches(exit_.statements, work) if exit_ else None


def _pushed(
    body: list[ast.stmt], stacks: set[str], work: FileWork, seen: frozenset[str] = frozenset()
) -> str | None:
    """A callback or context the statements ``body`` push on the stack held by a name of
    ``stacks`` (an ``ExitStack``), through another name of it or its bound method too, or
    have other code push (``_handed``), held in a list or dict too (``stack_names``), that
    touches the file system, shown. ``seen``: the functions the stack was handed through."""
    stacks, bound = stack_names(body, stacks)
    for node in (n for statement in body for n in ast.walk(statement)):
        method, call = stack_call(node, stacks, bound)
        if method is None:
            shown = _handed(node, stacks, work, seen)
            if shown:
                return shown
            continue
        if not call.args:
            continue
        pushed = call.args[0]
        if method in _ENTERED:
            shown = _exit_of(pushed, method == ASYNC_ENTRY, work)
            if shown:
                return shown
        elif method in _PUSHED:
            named = work.type_of(pushed)
            if named is not None and (work.blocks(named) or work.project(named)):
                return ast.unparse(pushed)
            if method.startswith("push_async") and _may_touch(named, pushed, work):
                return ast.unparse(pushed)
    return None


def _handed(node: ast.AST, stacks: set[str], work: FileWork, seen: frozenset[str]) -> str | None:
    """What a call ``node`` that hands a stack named in ``stacks`` to other code
    (``helper(stack)``) has pushed on it, shown: a function of the module (a coroutine too:
    its body pushes when it runs) by what its body pushes on the parameters the stack binds;
    any other but the standard library's (another module's: only the project pass reads it)
    as what may push anything."""
    if node.__class__ is not ast.Call:
        return None
    handed = [*enumerate(node.args), *((k.arg, k.value) for k in node.keywords)]
    places = [place for place, value in handed if ast.unparse(value) in stacks]
    if not places:
        return None
    named = work.type_of(node.func)
    if named in seen:
        return None  # read already, up the chain of calls
    record = work.function(named) if named is not None else None
    parameters = _parameters(record, node, places) if record is not None else None
    if parameters is None:  # another module's, of no known name, or ``*args``'
        may = _may_touch(named, node.func, work) or maybe_project(named)
        return ast.unparse(node.func) if may else None
    return _pushed(record.node.body, parameters, work, seen | {named})


def _parameters(record: FunctionRecord, call: ast.Call, places: list) -> set[str] | None:
    """The parameters of ``record`` that the arguments of ``call`` at ``places`` (a position
    or a keyword) bind; None when ``*args`` or ``**kwargs`` would take one."""
    positional = positional_parameters(record, bound=call.func.__class__ is ast.Attribute)
    keywords = {a.arg for a in (*record.node.args.args, *record.node.args.kwonlyargs)}
    parameters = {
        positional[p] if isinstance(p, int) and p < len(positional) else p for p in places
    }
    return parameters if parameters <= set(positional) | keywords else None


def _file_work(qualname: str, func: ast.expr) -> bool:
    return qualname.startswith(_FILE_WORK) or (
        isinstance(func, ast.Attribute) and func.attr in _LOOP_BRIDGES
    )


def _released(done: str) -> str:
    return (
        f"cancelled at the await, the coroutine would {done} while the call goes on in its "
        "worker thread (or before it starts there): the lock's next holder would run beside "
        "it, where on the event loop the call always ended first"
    )


def _parts(statement: ast.Try | ast.TryStar, end: int) -> list[tuple[int, int, frozenset[str]]]:
    """The lines of ``statement`` from its body's first to ``end`` in parts, each (first,
    last line, the names its body has yet to bind when a call there is cancelled: those
    bound on a line from the part's first on, but for a binding in a loop's body that holds
    the part too, which an earlier turn may have made; an assignment binds on its value's
    last line). Past its body, all it binds."""
    bindings = [
        (line, n.id)
        for s in statement.body
        for node in ast.walk(s)
        for line, target in _bound_at(node)
        for n in ast.walk(target)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    ]
    loops = [
        (node.body[0].lineno, node.body[-1].end_lineno)
        for s in statement.body
        for node in ast.walk(s)
        if isinstance(node, ast.For | ast.AsyncFor | ast.While)
    ]
    first, last = statement.body[0].lineno, statement.body[-1].end_lineno
    splits = {line + 1 for line, _ in bindings if line < last} | {top for top, _ in loops}
    starts = sorted({first} | splits)
    parts = [
        (start, stop - 1, frozenset(n for line, n in bindings if _unbound(line, start, loops)))
        for start, stop in zip(starts, [*starts[1:], last + 1], strict=True)
    ]
    if end > last:
        parts.append((last + 1, end, frozenset(name for _, name in bindings)))
    return parts


def _unbound(line: int, start: int, loops: list[tuple[int, int]]) -> bool:
    """Whether a binding on ``line`` is yet to be made where a part from ``start`` runs:
    it comes later, and no loop's body (its first and last line, ``loops``) holding both
    runs it on an earlier turn."""
    return line >= start and not any(
        top <= min(line, start) and max(line, start) <= bottom for top, bottom in loops
    )


def _bound_at(node: ast.AST) -> list[tuple[int, ast.AST]]:
    """What ``node`` binds, each with the line it is bound on."""
    if isinstance(node, ast.Assign):
        return [(node.end_lineno, target) for target in node.targets]
    if isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        return [(node.end_lineno, node.target)]
    return [(node.lineno, node)] if isinstance(node, ast.Name) else []


def _reads(node: ast.AST, names: frozenset[str]) -> bool:
    return isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names


def _signalled(cleanup: str, shown: str) -> str:
    return (
        f"cancelled at the await, the coroutine would run {cleanup} while the call goes on "
        f"in its worker thread, and that cleanup changes `{shown}`, which other code may "
        "read: it would see the change while the call is still at work, where on "
        "the event loop the call always ended first"
    )


def _why(cleanup: str, shown: str) -> str:
    return (
        f"cancelled at the await, the coroutine would run {cleanup} while the call goes on "
        f"in its worker thread (or before it starts there), and that cleanup touches the "
        f"file system too (`{shown}`): on the event loop the call always ended first"
    )


def raced_at(
    regions: list[tuple[int, int, int, int, str]], line: int, section: tuple[int, int] | None
) -> str | None:
    """The why of the first region holding ``line`` whose ``try`` does not move whole into
    the worker thread with ``section``."""
    for first, last, start, end, why in regions:
        moved = section is not None and section[0] <= start and end <= section[1]
        if first <= line <= last and not moved:
            return why
    return None
