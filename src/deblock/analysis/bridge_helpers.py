"""A project's own thread bridge: a coroutine function that only runs the callable it is
handed in a worker thread, ``async def run_sync(fn, *args, **kwargs)``; and its own
decorator that makes a function one that only runs itself so (modal's ``asyncify``)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.rules.bridges import HELPER_BRIDGES

Resolve = Callable[[ast.expr], "str | None"]


def bridge_helper(node: ast.AsyncFunctionDef, resolve: Resolve) -> str | None:
    """The async library a call of ``node`` needs (``asyncio``, ``anyio``, ``trio``) when
    ``node`` takes ``(fn, *args, **kwargs)`` and returns the awaited result of
    ``fn(*args, **kwargs)`` run in a worker thread, and does nothing else; else None.

    ``resolve`` gives an expression's qualified name (``asyncio.to_thread``).
    """
    params = node.args
    positional = [*params.posonlyargs, *params.args]
    if len(positional) != 1 or params.kwonlyargs or params.defaults:
        return None
    if params.vararg is None or params.kwarg is None:
        return None
    names = (positional[0].arg, params.vararg.arg, params.kwarg.arg)
    return _bridged_return(_undocumented(node), names, resolve)


def thread_decorator(node: ast.FunctionDef, resolve: Resolve) -> bool:
    """Whether ``node`` is a decorator whose every call runs the function it wraps in a
    worker thread: ``def asyncify(f)`` that defines a coroutine function ``wrapper(*args,
    **kwargs)`` (under ``functools.wraps(f)`` at most) doing what ``bridge_helper``'s
    helper does with ``f``, and returns it; nothing else. What it decorates then gives an
    awaitable, and its body never runs on the event loop."""
    params = node.args
    positional = [*params.posonlyargs, *params.args]
    if len(positional) != 1 or params.vararg or params.kwarg or params.kwonlyargs:
        return False
    body = _undocumented(node)
    if len(body) != 2 or not isinstance(body[0], ast.AsyncFunctionDef):
        return False
    wrapper, returned = body
    wrapped = positional[0].arg
    if not (isinstance(returned, ast.Return) and _is_name(returned.value, wrapper.name)):
        return False
    if not all(_wraps(decorator, wrapped, resolve) for decorator in wrapper.decorator_list):
        return False
    params = wrapper.args
    if params.posonlyargs or params.args or params.kwonlyargs or params.vararg is None:
        return False
    if params.kwarg is None:
        return False
    names = (wrapped, params.vararg.arg, params.kwarg.arg)
    return _bridged_return(_undocumented(wrapper), names, resolve) is not None


def _wraps(decorator: ast.expr, wrapped: str, resolve: Resolve) -> bool:
    """``functools.wraps(f)`` of the function ``wrapped``."""
    return (
        isinstance(decorator, ast.Call)
        and resolve(decorator.func) == "functools.wraps"
        and len(decorator.args) == 1
        and not decorator.keywords
        and _is_name(decorator.args[0], wrapped)
    )


def _undocumented(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """``node``'s body without its docstring."""
    return node.body[1:] if ast.get_docstring(node) is not None else node.body


def _bridged_return(body: list[ast.stmt], names: tuple[str, str, str], resolve: Resolve):
    """The async library of ``body`` when it only returns the awaited result of
    ``fn(*args, **kwargs)`` (``names``) run in a worker thread, after ``loop =
    asyncio.get_running_loop()`` at most; else None."""
    loop = None
    if len(body) == 2:  # ``loop = asyncio.get_running_loop()`` first
        first, body = body[0], body[1:]
        if not (isinstance(first, ast.Assign) and _is_loop(first.value, resolve)):
            return None
        if len(first.targets) != 1 or not isinstance(first.targets[0], ast.Name):
            return None
        loop = first.targets[0].id
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    awaited = body[0].value
    if not (isinstance(awaited, ast.Await) and isinstance(awaited.value, ast.Call)):
        return None
    return _bridged_library(awaited.value, names, loop, resolve)


def _bridged_library(
    call: ast.Call, names: tuple[str, str, str], loop: str | None, resolve: Resolve
) -> str | None:
    """The library of ``call`` when it runs ``fn(*args, **kwargs)`` in a worker thread
    (``loop``: the local name of the running loop, if any)."""
    target = resolve(call.func)
    if target in HELPER_BRIDGES:
        library, forwards = HELPER_BRIDGES[target]
        if call.keywords and not forwards:
            return None
        if forwards and _forwarded(call.args, call.keywords, names):
            return library
        return library if len(call.args) == 1 and _deferred(call.args[0], names, resolve) else None
    func = call.func
    executor = (
        isinstance(func, ast.Attribute)
        and func.attr == "run_in_executor"
        and (_is_loop(func.value, resolve) or (loop is not None and _is_name(func.value, loop)))
    )
    if not executor or call.keywords or len(call.args) != 2:
        return None
    default_pool = isinstance(call.args[0], ast.Constant) and call.args[0].value is None
    return "asyncio" if default_pool and _deferred(call.args[1], names, resolve) else None


def _forwarded(args: list[ast.expr], keywords: list[ast.keyword], names) -> bool:
    """``fn, *args`` and ``**kwargs`` exactly."""
    fn, rest, kwargs = names
    return (
        len(args) == 2
        and _is_name(args[0], fn)
        and isinstance(args[1], ast.Starred)
        and _is_name(args[1].value, rest)
        and len(keywords) == 1
        and keywords[0].arg is None
        and _is_name(keywords[0].value, kwargs)
    )


def _deferred(expr: ast.expr, names: tuple[str, str, str], resolve: Resolve) -> bool:
    """``functools.partial(fn, *args, **kwargs)`` or ``lambda: fn(*args, **kwargs)``."""
    if isinstance(expr, ast.Lambda):
        params = expr.args
        if params.args or params.posonlyargs or params.vararg or params.kwonlyargs:
            return False
        if params.kwarg or not isinstance(expr.body, ast.Call):
            return False
        call = expr.body
        return _forwarded([call.func, *call.args], call.keywords, names)
    return (
        isinstance(expr, ast.Call)
        and resolve(expr.func) == "functools.partial"
        and _forwarded(expr.args, expr.keywords, names)
    )


def _is_loop(expr: ast.expr, resolve: Resolve) -> bool:
    """``asyncio.get_running_loop()`` (or ``get_event_loop()``)."""
    return isinstance(expr, ast.Call) and resolve(expr.func) in (
        "asyncio.get_running_loop",
        "asyncio.get_event_loop",
    )


def _is_name(expr: ast.expr, name: str) -> bool:
    return isinstance(expr, ast.Name) and expr.id == name
