"""What works only in the coroutine's own frame and thread: no fix may move it into a
helper function run in a worker thread.

``super()`` without arguments finds its class and instance from the method's own frame (in
a helper it raises ``RuntimeError``). The exception being handled belongs to the thread
handling it: in a worker thread ``sys.exc_info()`` is empty, ``traceback.print_exc()``
prints ``NoneType: None``, ``logger.exception(...)`` and ``exc_info=True`` log no
traceback, and a bare ``raise`` raises ``RuntimeError``, unless the moved code handles an
exception of its own there (an ``except`` among the moved statements).
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import child_nodes, last_name
from deblock.analysis.shared_state import SCOPES

# Calls that read the exception being handled (``logger.exception``, ``sys.exc_info``).
_EXCEPTION_READERS = frozenset({"exc_info", "exception", "print_exc", "format_exc"})
_NO_EXCEPTION = "which reads the exception being handled: a worker thread handles none"


def frame_bound(statements: list[ast.stmt]) -> str | None:
    """What among ``statements`` needs the coroutine's own frame or thread, and why."""
    for statement in statements:
        found = _bound(statement, False)
        if found is not None:
            return found
    return None


def _bound(node: ast.AST, handling: bool) -> str | None:
    if isinstance(node, SCOPES):
        return None
    handling = handling or isinstance(node, ast.ExceptHandler)
    if isinstance(node, ast.Raise) and node.exc is None and not handling:
        return f"a bare `raise`, {_NO_EXCEPTION}"
    if isinstance(node, ast.Call):
        found = _bound_call(node, handling)
        if found is not None:
            return found
    for child in child_nodes(node):
        found = _bound(child, handling)
        if found is not None:
            return found
    return None


def _bound_call(call: ast.Call, handling: bool) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "super" and not (call.args or call.keywords):
        return "`super()` without arguments, which works only in the method itself"
    if handling:
        return None
    if last_name(func) in _EXCEPTION_READERS:
        return f"`{ast.unparse(func)}()`, {_NO_EXCEPTION}"
    for keyword in call.keywords:
        if keyword.arg == "exc_info" and not (
            isinstance(keyword.value, ast.Constant) and not keyword.value.value
        ):
            return f"`exc_info=` in `{ast.unparse(func)}()`, {_NO_EXCEPTION}"
    return None
