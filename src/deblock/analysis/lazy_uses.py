"""Where a lazy result (a walk, a glob, a directory scan) may become a list made inside the
worker thread: only where the coroutine consumes it whole, as it did.

``for entry in os.scandir(root)`` may become ``for entry in await asyncio.to_thread(lambda:
list(os.scandir(root)))``: the loop gets the same entries. ``next(os.scandir(root))``, a
result returned or handed to another function, or a walk whose loop prunes the directory
lists it yields may not: a list made in the thread changes what that code gets.
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import parents

# Builtins that take an iterable whole, those that may stop before its end, and methods
# (``b"".join``, ``items.extend``) that take it whole.
CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "dict", "sum", "min", "max"})
STOPPERS = frozenset({"any", "all"})
_CONSUMING_METHODS = frozenset({"join", "extend", "update"})
# Walks whose caller may prune or reorder the directories still to visit.
WALKS = frozenset({"os.walk", "os.fwalk", "pathlib.Path.walk"})
_STEERED = (
    "the loop changes the directory lists the walk yields (to prune it): "
    "a walk materialised in a thread would not see that"
)
ELSEWHERE = (
    "its lazy result is used as an iterator (`next`, another function, returned): "
    "a list made in the thread would change what that code gets"
)


def materialise_hazard(call: ast.expr, function: ast.AST, target: str) -> str | None:
    """Why the lazy result of ``call`` (of ``target``, or of a bridge that runs it) in
    ``function`` must not become a list made in the thread (None: a loop, a comprehension
    or a consuming builtin takes it whole, directly or through one local name)."""
    above = parents(function)
    parent = above.get(call)
    if isinstance(parent, ast.Await):
        call, parent = parent, above.get(parent)
    if (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        name = parent.targets[0].id
        uses = (
            node
            for node in ast.walk(function)
            if node.__class__ is ast.Name and node.id == name and isinstance(node.ctx, ast.Load)
        )
        return next((r for u in uses if (r := _use_hazard(u, above, target))), None)
    return _use_hazard(call, above, target)


def _use_hazard(used: ast.expr, above: dict[ast.AST, ast.AST], target: str) -> str | None:
    parent = above.get(used)
    if isinstance(parent, ast.For) and parent.iter is used:
        return _STEERED if target in WALKS and _changes_directories(parent) else None
    if isinstance(parent, ast.comprehension) and parent.iter is used:
        return None
    if isinstance(parent, ast.Call) and any(arg is used for arg in parent.args):
        func = parent.func
        if isinstance(func, ast.Name) and (func.id in CONSUMERS or func.id in STOPPERS):
            return None
        if isinstance(func, ast.Attribute) and func.attr in _CONSUMING_METHODS:
            return None
    return ELSEWHERE


def _changes_directories(loop: ast.For) -> bool:
    """Whether the body of ``for root, dirs, files in walk`` changes ``dirs``: an item set
    or deleted (``dirs[:] = ...``, ``del dirs[0]``), ``dirs += ...``, ``dirs.remove(d)``."""
    target = loop.target
    if not isinstance(target, (ast.Tuple, ast.List)) or len(target.elts) < 2:
        return False
    directories = target.elts[1]
    if not isinstance(directories, ast.Name):
        return False
    name = directories.id

    def names_it(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == name

    for node in (n for statement in loop.body for n in ast.walk(statement)):
        if isinstance(node, (ast.Assign, ast.Delete)):
            if any(isinstance(t, ast.Subscript) and names_it(t.value) for t in node.targets):
                return True
        elif isinstance(node, ast.AugAssign) and names_it(node.target):
            return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if names_it(node.func.value):
                return True
    return False
