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

from deblock.rules.bridges import BRIDGED_ARGUMENT, ONE_THREAD_BRIDGES

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def threaded_methods(cls: ast.ClassDef) -> dict[str, list[tuple[str, str]]]:
    """Each coroutine method of ``cls`` that runs the instance's sync code in a worker
    thread: the methods of ``cls`` it reaches whose own code hands a bridge that code, each
    with the code as written (``self.invoke``). A subclass that overrides such a method
    (``_agenerate`` below LangChain's ``BaseChatModel.ainvoke``) may not thread."""
    methods = {n.name: n for n in cls.body if isinstance(n, _FUNCTIONS)}
    bridging = {}
    for name, node in methods.items():
        handed = _handed(node, methods)
        if handed is not None:
            bridging[name] = handed
    found = {}
    for name, node in methods.items():
        if isinstance(node, ast.AsyncFunctionDef):
            reached = [(m, bridging[m]) for m in _reached(node, methods) if m in bridging]
            if reached:
                found[name] = reached
    return found


def _reached(start: ast.AST, methods: dict[str, ast.AST]) -> list[str]:
    """``start``'s name and the methods of its class it refers to (``self._ainvoke``), directly
    or through others, in the order met."""
    seen, todo = [start.name], [start]
    while todo:
        method = todo.pop(0)
        self_name = _self_name(method)
        for node in ast.walk(method) if self_name else ():
            name = _self_attribute(node, self_name)
            if name in methods and name not in seen:
                seen.append(name)
                todo.append(methods[name])
    return seen


def _handed(method: ast.AST, methods: dict[str, ast.AST]) -> str | None:
    """The instance's sync code ``method``'s own code (with the functions nested in it) runs
    in a worker thread."""
    self_name = _self_name(method)
    if self_name is None:
        return None
    reader = _Reader(method, self_name, methods)
    calls = (node for node in ast.walk(method) if isinstance(node, ast.Call))
    return next((h for call in calls if (h := reader.handed(call)) is not None), None)


class _Reader:
    """What a method's thread bridges are handed, told apart by where it comes from."""

    def __init__(self, method: ast.AST, self_name: str, methods: dict[str, ast.AST]):
        self.self_name = self_name
        self.methods = methods
        self.nested: dict[str, ast.AST] = {}
        self.parameters: set[str] = set()
        for node in ast.walk(method):
            if isinstance(node, (*_FUNCTIONS, ast.Lambda)):
                self.parameters.update(a.arg for a in _arguments(node.args))
            if isinstance(node, _FUNCTIONS) and node is not method:
                self.nested[node.name] = node
        self.parameters.discard(self_name)

    def handed(self, call: ast.Call) -> str | None:
        """The instance's sync code ``call`` runs in a thread, if it is a bridge."""
        name = _last_name(call.func)
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
                    for node in ast.walk(self.nested[expr.id])
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
    if isinstance(expr, ast.Call) and _last_name(expr.func) == "partial" and expr.args:
        return expr.args[0]
    if isinstance(expr, ast.Lambda) and isinstance(expr.body, ast.Call):
        return expr.body.func
    return expr


def _self_name(method: ast.AST) -> str | None:
    positional = [*method.args.posonlyargs, *method.args.args]
    decorators = {_last_name(d) for d in method.decorator_list}
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


def _last_name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None
