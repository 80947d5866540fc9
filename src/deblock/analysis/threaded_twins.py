"""Coroutine methods that run their instance's sync code in a worker thread.

LangChain's ``Runnable.ainvoke`` is ``await run_in_executor(config, self.invoke, ...)``, and
``RunnableLambda``'s hands the user's function (``self.func``) to one: such a coroutine
"twin" is the sync method moved into a thread, not its async version. Read from the class's
source: a coroutine method, a function nested in it, or another method of the class it
refers to (``self._ainvoke``), that hands a thread bridge (``run_in_executor``,
``to_thread``, ``run_sync``, ...) a sync method of the instance, a callable the instance
holds, a callable it is handed, or a nested function that uses the instance. A bridge that
runs every call in one shared thread, one at a time (Django's ``sync_to_async(self.count)``)
keeps that code serialised and in one thread: it does not count.
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import last_name, walk
from deblock.rules.bridges import BRIDGED_ARGUMENT, ONE_THREAD_BRIDGES

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = frozenset({*_FUNCTIONS, ast.Lambda})


def threaded_methods(cls: ast.ClassDef, bridge_lines: set[int]) -> dict[str, list[tuple[str, str]]]:
    """Each coroutine method of ``cls`` that runs the instance's sync code in a worker
    thread: the methods of ``cls`` it reaches whose own code hands a bridge that code, each
    with the code as written (``self.invoke``). A subclass that overrides such a method
    (``_agenerate`` below LangChain's ``BaseChatModel.ainvoke``) may not thread. Only the
    methods holding one of ``bridge_lines`` (where the class calls a thread bridge) are
    read for what they hand it, the others only when one does (a test class of anyio's
    ``test_from_thread.py`` reads 15 of its 42 methods: ~2.5 of ~27 ms)."""
    methods = {n.name: n for n in cls.body if isinstance(n, _FUNCTIONS)}
    readers = _Readers(methods)
    bridging = {
        name: code
        for name, method in methods.items()
        if name in readers.selves
        and _holds_a_line(method, bridge_lines)
        and (code := readers[name].handed()) is not None
    }
    found = {}
    for name, method in methods.items() if bridging else ():
        if name in readers.selves and isinstance(method, ast.AsyncFunctionDef):
            reached = [(m, bridging[m]) for m in _reached(name, readers) if m in bridging]
            if reached:
                found[name] = reached
    return found


class _Readers(dict):
    """The methods of a class that take the instance first, each read when first asked."""

    def __init__(self, methods: dict[str, ast.AST]):
        super().__init__()
        self.methods = methods
        self.selves = {
            name: self_name
            for name, node in methods.items()
            if (self_name := _self_name(node)) is not None
        }

    def __missing__(self, name: str) -> _Reader:
        reader = self[name] = _Reader(self.methods[name], self.selves[name], self.methods)
        return reader


def _holds_a_line(method: ast.AST, lines: set[int]) -> bool:
    """Whether one of ``lines`` lies in ``method``, its decorators included."""
    first = min((d.lineno for d in method.decorator_list), default=method.lineno)
    return any(first <= line <= method.end_lineno for line in lines)


def _reached(start: str, readers: _Readers) -> list[str]:
    """``start`` and the methods of its class it refers to (``self._ainvoke``), directly or
    through others, in the order met."""
    seen, todo = [start], [start]
    while todo:
        for name in readers[todo.pop(0)].methods_used:
            if name in readers.selves and name not in seen:
                seen.append(name)
                todo.append(name)
    return seen


class _Reader:
    """One method of a class, read once: the methods of the instance it refers to, and what
    its thread bridges (its own, or in functions nested in it) are handed."""

    def __init__(self, method: ast.AST, self_name: str, methods: dict[str, ast.AST]):
        self.self_name = self_name
        self.methods = methods
        self.methods_used: list[str] = []
        self.nested: dict[str, ast.AST] = {}
        self.parameters: set[str] = set()
        self.bridges: list[ast.Call] = []
        for node in walk(method):  # by class: most nodes are none of these
            kind = node.__class__
            if kind is ast.Attribute:
                if node.attr in methods and _self_attribute(node, self_name):
                    self.methods_used.append(node.attr)
            elif kind is ast.Call:
                if last_name(node.func) in BRIDGED_ARGUMENT:
                    self.bridges.append(node)
            elif kind in _SCOPES:
                self.parameters.update(a.arg for a in _arguments(node.args))
                if node is not method and kind is not ast.Lambda:
                    self.nested[node.name] = node
        self.parameters.discard(self_name)

    def handed(self) -> str | None:
        """The instance's sync code the method's bridges run in a worker thread, if any."""
        return next((c for call in self.bridges if (c := self._bridged(call)) is not None), None)

    def _bridged(self, call: ast.Call) -> str | None:
        """The instance's sync code bridge ``call`` runs in a worker thread, if any."""
        name = last_name(call.func)
        index = BRIDGED_ARGUMENT.get(name)
        if index is None or len(call.args) <= index or _one_thread(name, call):
            return None
        return self._code(_unwrapped(call.args[index]))

    def _code(self, expr: ast.expr) -> str | None:
        name = _self_attribute(expr, self.self_name)
        if name is not None:
            coroutine = isinstance(self.methods.get(name), ast.AsyncFunctionDef)
            return None if coroutine else f"{self.self_name}.{name}"
        if not isinstance(expr, ast.Name):
            return None
        if expr.id in self.nested:  # a closure: what of the instance it uses
            return next(
                (
                    f"{self.self_name}.{name}"
                    for node in walk(self.nested[expr.id])
                    if (name := _self_attribute(node, self.self_name)) is not None
                    and not isinstance(self.methods.get(name), ast.AsyncFunctionDef)
                ),
                None,
            )
        return expr.id if expr.id in self.parameters else None


def _one_thread(name: str, call: ast.Call) -> bool:
    """Whether bridge ``call`` runs what it is handed in one shared thread, one at a time."""
    keyword = ONE_THREAD_BRIDGES.get(name)
    return keyword is not None and not any(
        k.arg == keyword and isinstance(k.value, ast.Constant) and k.value.value is False
        for k in call.keywords
    )


def _unwrapped(expr: ast.expr) -> ast.expr:
    """The function of ``functools.partial(f, ...)`` or ``lambda: f(...)``."""
    if isinstance(expr, ast.Call) and last_name(expr.func) == "partial" and expr.args:
        return expr.args[0]
    if isinstance(expr, ast.Lambda) and isinstance(expr.body, ast.Call):
        return expr.body.func
    return expr


def _self_name(method: ast.AST) -> str | None:
    positional = [*method.args.posonlyargs, *method.args.args]
    decorators = {last_name(d) for d in method.decorator_list}
    if not positional or decorators & {"staticmethod", "classmethod"}:
        return None
    return positional[0].arg


def _self_attribute(node: ast.AST, self_name: str) -> str | None:
    """``x`` for ``self.x``."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == self_name
    ):
        return node.attr
    return None


def _arguments(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    return found + [a for a in (args.vararg, args.kwarg) if a is not None]
