"""A ``for`` over a lazy result that calls a blocking function it was handed (``for text in
map(Path.read_text, paths)``): its fix lists the result in a worker thread first (``for text
in await asyncio.to_thread(lambda: list(map(Path.read_text, paths)))``), which makes every
call before the first body runs. The same only where no body can tell: each only appends
the value to a list the coroutine made and uses only after the loop, outside any ``try`` or
``with`` and any other loop. Such a body cannot stop the loop (a ``break``, ``return`` or a
raise would leave calls the original never made), await (other tasks would run after every
call, not between them), change what a later call reads, nor leave anything half done that
a call raising at the k-th element would show (the list dies with the coroutine's frame).
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import parents

_APPENDS_ONLY = "its body does more than append each value to a list the coroutine made for it"
_LISTS = (ast.List, ast.ListComp)


def listed_first_hazard(loop: ast.For, function: ast.AST) -> str | None:
    """Why ``loop`` (in ``function``) must not get its lazy result listed in a thread
    before its first body; None where each body only appends the value to a list of its
    own."""
    above = parents(function)
    outer = above.get(loop)
    while outer is not function:
        if outer.__class__ is not ast.If:
            return _APPENDS_ONLY  # a try could catch a raise, a loop or with sees the list
        outer = above.get(outer)
    if loop.target.__class__ is not ast.Name:
        return _APPENDS_ONLY
    lists = {_appended(statement, loop.target.id) for statement in loop.body}
    if None in lists or not all(_own_list(name, loop, function) for name in lists):
        return _APPENDS_ONLY
    return None


def _appended(statement: ast.stmt, value: str) -> str | None:
    """The name ``statement`` appends the loop's ``value`` to (``texts.append(text)``), or a
    constant, if that is all it does."""
    call = statement.value if statement.__class__ is ast.Expr else None
    if call.__class__ is not ast.Call or call.keywords or len(call.args) != 1:
        return None
    func = call.func
    if func.__class__ is not ast.Attribute or func.attr != "append":
        return None
    appended = call.args[0]
    if func.value.__class__ is not ast.Name or not (
        appended.__class__ is ast.Constant or getattr(appended, "id", None) == value
    ):
        return None
    return func.value.id


def _own_list(name: str, loop: ast.For, function: ast.AST) -> bool:
    """Whether ``name`` holds a list ``function`` made (every binding a list display), read
    nowhere before ``loop`` ends but in its body, and not a parameter's, a global's or a
    closure's."""
    body = (loop.body[0].lineno, loop.body[0].col_offset)
    end = (loop.end_lineno, loop.end_col_offset)
    values, stores = [], 0
    for node in ast.walk(function):
        kind = node.__class__
        if kind in (ast.Global, ast.Nonlocal) and name in node.names:
            return False
        if kind is ast.arg and node.arg == name:
            return False
        if kind in (ast.Assign, ast.AnnAssign) and _binds(node) == name:
            values.append(node.value)
        elif kind is ast.Name and node.id == name:
            at = (node.lineno, node.col_offset)
            if node.ctx.__class__ is not ast.Load:
                stores += 1
            elif at < end and not body <= at:
                return False
    return 0 < len(values) == stores and all(v.__class__ in _LISTS for v in values)


def _binds(node: ast.Assign | ast.AnnAssign) -> str | None:
    """The one name an assignment of a value binds, if that is all it binds."""
    targets = node.targets if node.__class__ is ast.Assign else [node.target]
    one = targets[0] if len(targets) == 1 and node.value is not None else None
    return one.id if one.__class__ is ast.Name else None
