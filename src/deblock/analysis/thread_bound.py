"""What a coroutine's statements do that belongs to the event loop's thread or context.

Moved into a worker thread, such statements act elsewhere: a ``ContextVar.set`` changes
the thread's copy of the context (lost when it returns), ``threading.local`` data is the
worker's own, ``threading.current_thread()`` names the worker, a signal handler cannot be
set there, and the async libraries' calls find no running loop.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from deblock.analysis.nodes import child_nodes
from deblock.rules.resources import THREAD_BOUND_CALLS, THREAD_LOCAL

LOOP_LIBRARIES = frozenset({"asyncio", "trio", "anyio"})


def thread_bound(
    function: ast.AST,
    callees: dict[ast.AST, str],
    type_of: Callable[[ast.expr], str | None],
) -> dict[ast.AST, str]:
    """The nodes of coroutine ``function`` that must run on the event loop's thread, each
    with why: calls (``callees``: what they resolve to) and uses of thread-local data
    (``type_of``: the class an expression holds an instance of, if known)."""
    locals_ = _thread_local_names(function, callees)
    bound = {}
    for node in _walk(function):
        if isinstance(node, ast.Call):
            callee = callees.get(node)
            if callee in THREAD_BOUND_CALLS:
                bound[node] = f"`{callee}` acts on the thread or context that runs it"
            elif callee and callee.partition(".")[0] in LOOP_LIBRARIES:
                bound[node] = f"`{callee}` must stay on the event loop"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute)):
            local = isinstance(node.value, ast.Name) and node.value.id in locals_
            if local or (type_of(node.value) or "").removesuffix("()") in THREAD_LOCAL:
                bound[node] = f"`{ast.unparse(node)}` is thread-local data"
    return bound


def first_bound(nodes: Iterable[ast.AST], bound: dict[ast.AST, str]) -> str | None:
    """Why one of ``nodes`` must stay on the event loop's thread, if one must."""
    return next((bound[node] for node in nodes if node in bound), None)


def _thread_local_names(function: ast.AST, callees: dict[ast.AST, str]) -> set[str]:
    """The names ``function`` binds to a new ``threading.local()``."""
    return {
        target.id
        for node in _walk(function)
        if isinstance(node, ast.Assign) and callees.get(node.value) in THREAD_LOCAL
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _walk(node: ast.AST) -> Iterable[ast.AST]:
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child_nodes(node))
