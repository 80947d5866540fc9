"""Code that steps coroutines by hand, where no event loop runs them.

ESPHome's code generator runs its components' ``async def to_code`` in a loop of its own
(``FakeEventLoop``): it takes each fresh coroutine's iterator, ``coro(...).__await__()``,
and advances it with ``next``; gel's blocking client sends ``None`` into each coroutine
of the protocol it shares with its async client, ``coro.send(None)``, and takes the result
from the ``StopIteration`` (its ``value``, which a generator's driver rarely reads). Such a
coroutine may run where no event loop is; an
awaitable's own ``__await__`` method that hands a coroutine's iterator on
(``return self._coro().__await__()``) is not stepping: an event loop still drives it. Nor
are the iterator methods (``__next__``, ``send``, ``throw``) of a class that defines
``__await__`` (aiocsv's ``AsyncReader`` returns itself there and steps its read in
``__next__``): they run as the loop drives the awaitable.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from deblock.analysis.nodes import child_nodes, last_name

# one of them is in the text of every module that can step a coroutine by hand
_MARKS = ("__await__(", ".send(None)")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_ITERATOR_METHODS = frozenset({"__next__", "send", "throw"})  # an awaitable's own, driven


def steps_coroutines(source: str, tree: ast.Module | None = None) -> int | None:
    """The first line where the module (``source``, parsed ``tree`` if at hand) takes a
    fresh coroutine's iterator outside an ``__await__`` method, or None."""
    if not any(mark in source for mark in _MARKS):
        return None
    if tree is None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError):
            return None
    marked = [m.start() for mark in _MARKS for m in re.finditer(re.escape(mark), source)]
    lines = {source.count("\n", 0, start) + 1 for start in marked}
    return min(_stepped(tree, lines), default=None)


def _stepped(node: ast.AST, lines: set[int], inside_await: bool = False):
    """The lines of the calls below ``node`` that take a fresh coroutine's iterator outside
    an awaitable's own methods (``__await__``, and the iterator methods of a class defining
    it); only nodes whose lines hold the mark (``lines``) are read."""
    for child in child_nodes(node):
        first = getattr(child, "lineno", None)
        if first is not None:
            decorators = getattr(child, "decorator_list", ())
            first = min((first, *(d.lineno for d in decorators)))
            last = getattr(child, "end_lineno", None) or first  # a type: ignore has none
            if not any(first <= line <= last for line in lines):
                continue
        if isinstance(child, _FUNCTIONS):
            driven = child.name == "__await__" or (
                child.name in _ITERATOR_METHODS
                and isinstance(node, ast.ClassDef)
                and _awaitable(node)
            )
            yield from _stepped(child, lines, driven)
            continue
        if (
            not inside_await
            and isinstance(child, ast.Call)
            and isinstance(child.func, ast.Attribute)
            and child.func.attr == "__await__"
            and isinstance(child.func.value, ast.Call)
        ):
            yield child.lineno
        if not inside_await and isinstance(child, ast.Try):
            yield from _sent_for_result(child)
        yield from _stepped(child, lines, inside_await)


def _sent_for_result(node: ast.Try) -> Iterator[int]:
    """The lines of the ``x.send(None)`` calls in ``node``'s body when one of its handlers
    catches ``StopIteration`` and reads its ``value``: a coroutine's result."""
    if not any(_reads_result(handler) for handler in node.handlers):
        return
    for statement in node.body:
        for call in ast.walk(statement):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "send"
                and len(call.args) == 1
                and isinstance(call.args[0], ast.Constant)
                and call.args[0].value is None
            ):
                yield call.lineno


def _reads_result(handler: ast.ExceptHandler) -> bool:
    """Whether ``handler`` catches ``StopIteration`` as a name whose ``value`` it reads."""
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else (handler.type,)
    if handler.name is None or not any(last_name(t) == "StopIteration" for t in caught if t):
        return False
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "value"
        and isinstance(node.value, ast.Name)
        and node.value.id == handler.name
        for statement in handler.body
        for node in ast.walk(statement)
    )


def _awaitable(cls: ast.ClassDef) -> bool:
    """Whether class ``cls`` defines ``__await__``."""
    return any(isinstance(s, _FUNCTIONS) and s.name == "__await__" for s in cls.body)
