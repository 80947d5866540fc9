"""What a coroutine's statements do that belongs to the event loop's thread or context,
or that the loop's other tasks would see.

Moved into a worker thread, such statements act elsewhere: a ``ContextVar.set`` changes
the thread's copy of the context (lost when it returns), ``threading.local`` data is the
worker's own, ``threading.current_thread()`` names the worker, a signal handler cannot be
set there, and the async libraries' calls find no running loop. A change of what the
whole process sees (``os.chdir``, ``os.environ[...] = ...``, ``redirect_stdout``) made in a
worker thread is seen by the loop's other tasks while it lasts; on the loop, none ran then.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterable
from typing import NamedTuple

from deblock.analysis.nodes import SCOPES, child_nodes, last_name
from deblock.rules.resources import PROCESS_STATE_CALLS, THREAD_LOCAL, call_bound


class Bound(NamedTuple):
    """A coroutine's nodes that must run on the event loop's thread (``moves``: a thread
    helper must not take them), each with why; ``process``: those of them that change what
    the whole process sees (no await may come between them and what follows them)."""

    moves: dict[ast.AST, str]
    process: dict[ast.AST, str]


def thread_bound(
    nodes: list[ast.AST],
    callees: dict[ast.AST, str],
    type_of: Callable[[ast.expr], str | None],
    thread_locals: bool = True,
    loop_of: Callable[[str], str | None] = lambda name: None,
    context_attributes: Collection[str] = (),
) -> Bound:
    """The nodes of a function (``nodes``: its ``FunctionRecord.own_code``, which its other
    phases read too) that must run on the event loop's thread, each
    with why: calls (``callees``: what they resolve to) and uses of thread-local data
    (``type_of``: what an expression names, or the class it holds an instance of, written
    ``cls()``, if known; ``thread_locals``: whether its module can hold any, having imported
    ``threading``); ``loop_of(name)``: why the sync function ``name`` nested in it must run
    on the event loop's thread, if it must (``FunctionSummary.loop``); ``context_attributes``: the
    attribute names its module gives a ``ContextVar`` (``CTX.var = ContextVar(...)``): a
    ``set`` or ``reset`` through one of them that no type resolves acts on the context."""
    locals_ = _thread_local_names(nodes, callees)
    callbacks = _loop_callbacks(nodes, loop_of)
    bound, process = {}, {}
    for node in nodes:
        if isinstance(node, ast.Name) and node.id in callbacks:
            if isinstance(node.ctx, ast.Load):
                bound[node] = callbacks[node.id]
        elif isinstance(node, ast.Call):
            callee = callees.get(node)
            why = callee and call_bound(callee)
            if why:
                (process if callee in PROCESS_STATE_CALLS else bound)[node] = why
            elif context_attributes and _through_context_attribute(
                node, callee, context_attributes
            ):
                shown = ast.unparse(node.func)
                bound[node] = (
                    f"`{shown}` acts on the thread or context that runs it: a `ContextVar`"
                )
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
            if type_of(node.value) == "os.environ":
                process[node] = "`os.environ` changes what the loop's other tasks see meanwhile"
        elif thread_locals and isinstance(node, ast.Name | ast.Attribute):
            # the data itself, handed on (``getattr(local, "x")``), or an attribute of it
            value = node.value if isinstance(node, ast.Attribute) else None
            if (isinstance(node.ctx, ast.Load) and _holds_local(node, locals_, type_of)) or (
                isinstance(value, ast.Name | ast.Attribute)
                and (
                    (isinstance(value, ast.Name) and value.id in locals_)
                    or (type_of(value) or "").removesuffix("()") in THREAD_LOCAL
                )
            ):
                bound[node] = f"`{ast.unparse(node)}` is thread-local data"
    return Bound({**bound, **process}, process)


def _holds_local(
    node: ast.Name | ast.Attribute, locals_: set[str], type_of: Callable[[ast.expr], str | None]
) -> bool:
    """Whether ``node`` holds a ``threading.local()`` (``locals_``: the names the function
    binds to one)."""
    if isinstance(node, ast.Name) and node.id in locals_:
        return True
    held = type_of(node) or ""
    return held.endswith("()") and held[:-2] in THREAD_LOCAL


def _through_context_attribute(
    call: ast.Call, callee: str | None, attributes: Collection[str]
) -> bool:
    """Whether ``call`` (resolved to ``callee``) sets or resets what an attribute named in
    ``attributes`` holds (``CTX.var.set(x)``), no type telling what that attribute is."""
    func = call.func
    if not (
        isinstance(func, ast.Attribute)
        and func.attr in _CONTEXT_METHODS
        and isinstance(func.value, ast.Attribute)
        and func.value.attr in attributes
    ):
        return False
    return callee is None or callee.endswith(f".{func.value.attr}.{func.attr}")


_CONTEXT_METHODS = frozenset({"set", "reset"})


def first_bound(nodes: Iterable[ast.AST], bound: dict[ast.AST, str]) -> str | None:
    """Why one of ``nodes`` must stay on the event loop's thread, if one must: the first
    such in the source, the outer one of two that start together (``a.b(c).d()``): the same
    reason every run."""
    first = first_bound_node(nodes, bound)
    return None if first is None else bound[first]


def first_bound_node(nodes: Iterable[ast.AST], bound: dict[ast.AST, str]) -> ast.AST | None:
    """The first of ``nodes`` in ``bound`` in the source (``first_bound``)."""
    return min((node for node in nodes if node in bound), key=_outer_first, default=None)


def _outer_first(node: ast.AST) -> tuple[int, int, int, int]:
    return node.lineno, node.col_offset, -node.end_lineno, -node.end_col_offset


def _loop_callbacks(nodes: list[ast.AST], loop_of: Callable[[str], str | None]) -> dict[str, str]:
    """The names of a function (``nodes``: its own) that hold one of its own sync functions
    whose body must run on the event loop's thread (or something made from one, as ``tool =
    function_tool(action)``), each with why: handed to code a worker thread runs, it would
    run there (openai's sync stream calls its tool handlers in the caller's thread)."""
    found: dict[str, str] = {}
    assignments = []
    for node in nodes:
        if isinstance(node, ast.Assign):
            assignments.append(node)
        elif isinstance(node, ast.stmt | ast.excepthandler):
            for inner in ast.iter_child_nodes(node):
                if isinstance(inner, ast.FunctionDef) and inner.name not in found:
                    why = loop_of(inner.name)
                    if why is not None:
                        found[inner.name] = f"`{inner.name}` would run in a worker thread: {why}"
    grown = bool(found)
    while grown:  # what is made from them holds them too
        grown = False
        for node in assignments:
            made = next(
                (n.id for n in ast.walk(node.value) if getattr(n, "id", None) in found), None
            )
            for target in node.targets if made is not None else ():
                if isinstance(target, ast.Name) and target.id not in found:
                    found[target.id] = found[made]
                    grown = True
    return found


def _thread_local_names(nodes: list[ast.AST], callees: dict[ast.AST, str]) -> set[str]:
    """The names a function (``nodes``: its own) binds to a new ``threading.local()``."""
    return {
        target.id
        for node in nodes
        if isinstance(node, ast.Assign) and callees.get(node.value) in THREAD_LOCAL
        for target in node.targets
        if isinstance(target, ast.Name)
    }


# What works only in the coroutine's own frame and thread, found from the syntax alone
# (``frame_bound``): ``super()`` without arguments finds its class and instance from the
# method's own frame (in a helper it raises ``RuntimeError``); the exception being handled
# belongs to the thread handling it: in a worker thread ``sys.exc_info()`` is empty,
# ``traceback.print_exc()`` prints ``NoneType: None``, ``logger.exception(...)`` and
# ``exc_info=True`` log no traceback and a bare ``raise`` raises ``RuntimeError``, unless
# the moved code handles an exception of its own there (an ``except`` among it). A future's
# ``exception()`` (no message) is its own outcome, not the exception being handled. A
# ``StopIteration`` must rise in the coroutine (which turns it into ``RuntimeError``): from a
# worker thread asyncio cannot set it on the awaited future, and the coroutine waits forever
# (``next(reader)`` on an empty CSV file), unless the moved code catches it itself. And
# ``locals()``, ``vars()``, ``dir()``, ``eval``/``exec`` given no namespace and
# ``sys._getframe()`` read the calling frame: in a helper, the helper's (it lacks the
# coroutine's names it does not use itself: ``"{name}".format(**locals())`` raised KeyError).

# Calls that read the exception being handled (``logger.exception``, ``sys.exc_info``).
_EXCEPTION_READERS = frozenset({"exc_info", "exception", "print_exc", "format_exc"})
_NO_EXCEPTION = "which reads the exception being handled: a worker thread handles none"


_OWN_FRAME = "which reads the frame that calls it: in a helper, the helper's"
# Builtins reading their caller's variables when given no namespace, with how many
# arguments they then take; and calls returning the caller's frame.
FRAME_READERS = {"locals": 0, "vars": 0, "dir": 0, "eval": 1, "exec": 1}
FRAME_GETTERS = frozenset({"_getframe", "currentframe"})
_STOPS = "which may raise `StopIteration`: a worker thread cannot hand it back, and the "
_STOPS += "coroutine would wait forever"
# What an ``except`` names that catches ``StopIteration``.
_STOP_CATCHERS = frozenset({"StopIteration", "Exception", "BaseException"})


def frame_bound(statements: list[ast.stmt]) -> str | None:
    """What among ``statements`` needs the coroutine's own frame or thread, and why."""
    found = frame_bound_at(statements)
    return None if found is None else found[0]


def frame_bound_at(
    statements: list[ast.stmt], own_frame: bool = True
) -> tuple[str, ast.AST] | None:
    """What among ``statements`` needs the coroutine's own frame or thread, why and where;
    a sync function's body (``own_frame=False``) reads its own frame wherever it runs, but
    not the exception its caller handles, and a ``StopIteration`` it lets out is its
    caller's."""
    for statement in statements:
        found = _bound(statement, False, False, own_frame)
        if found is not None:
            return found
    return None


# The calls whose presence among a sync function's calls sends its body to ``frame_bound_at``.
FRAME_CALLS = frozenset({"next", "__next__", *_EXCEPTION_READERS})


def _bound(
    node: ast.AST, handling: bool, stops_caught: bool, own_frame: bool
) -> tuple[str, ast.AST] | None:
    if isinstance(node, SCOPES):
        return None
    handling = handling or isinstance(node, ast.ExceptHandler)
    if isinstance(node, ast.Raise) and node.exc is None and not handling:
        return f"a bare `raise`, {_NO_EXCEPTION}", node
    if isinstance(node, ast.Call):
        found = _bound_call(node, handling, own_frame)
        if found is None and not stops_caught:
            found = stops_in_thread(node)
        if found is not None:
            return found, node
    caught_in = node.body if _catches_stop(node) else ()
    for child in child_nodes(node):
        found = _bound(child, handling, stops_caught or child in caught_in, own_frame)
        if found is not None:
            return found
    return None


def _reads_frame(call: ast.Call) -> bool:
    """Whether ``call`` reads the variables or the frame of the function calling it
    (``locals()``, ``"{name}".format(**vars())``, ``eval(text)``, ``sys._getframe()``)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in FRAME_READERS:
        return len(call.args) == FRAME_READERS[func.id] and not call.keywords
    return last_name(func) in FRAME_GETTERS


def stops_in_thread(call: ast.Call) -> str | None:
    """Why ``call``, run in a worker thread, may leave its coroutine waiting forever: it
    steps an iterator with no default (``next(it)``)."""
    return f"`{ast.unparse(call.func)}()`, {_STOPS}" if _steps(call) else None


def _steps(call: ast.Call) -> bool:
    """Whether ``call`` steps an iterator with no default: ``next(it)``, ``it.__next__()``."""
    if isinstance(call.func, ast.Name) and call.func.id == "next":
        return len(call.args) == 1 and not call.keywords
    return isinstance(call.func, ast.Attribute) and call.func.attr == "__next__"


def _catches_stop(node: ast.AST) -> bool:
    """Whether ``node`` is a ``try`` one of whose handlers catches ``StopIteration``."""
    for handler in getattr(node, "handlers", ()):
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(k is None or last_name(k) in _STOP_CATCHERS for k in kinds):
            return True
    return False


def _bound_call(call: ast.Call, handling: bool, own_frame: bool) -> str | None:
    func = call.func
    if own_frame:
        if isinstance(func, ast.Name) and func.id == "super" and not (call.args or call.keywords):
            return "`super()` without arguments, which works only in the method itself"
        if _reads_frame(call):
            return f"`{ast.unparse(func)}()`, {_OWN_FRAME}"
    if handling:
        return None
    if last_name(func) in _EXCEPTION_READERS and not _future_outcome(call):
        return f"`{ast.unparse(func)}()`, {_NO_EXCEPTION}"
    for keyword in call.keywords:
        if keyword.arg == "exc_info" and not (
            isinstance(keyword.value, ast.Constant) and not keyword.value.value
        ):
            return f"`exc_info=` in `{ast.unparse(func)}()`, {_NO_EXCEPTION}"
    return None


def _future_outcome(call: ast.Call) -> bool:
    """Whether a call named ``exception`` asks a future or a task for its own outcome
    (``future.exception()``, ``exception(timeout=1)``): the logging ``exception`` takes its
    message first, so it is never called without one."""
    return (
        last_name(call.func) == "exception"
        and not call.args
        and all(k.arg == "timeout" for k in call.keywords)
    )
