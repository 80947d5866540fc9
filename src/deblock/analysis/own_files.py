"""The files a task made itself: what ``sections.temporary_names`` may take for them.

A temporary file or directory made in the system's temporary directory has a name no other
call makes (``tempfile`` picks a fresh one each time): the calls on it, and on paths built
in it, touch no resource other tasks do, as long as its name stays with the call. Made in
a directory the caller names (``dir=root``), it is in every listing of that directory; its
name kept in shared state (a global, an attribute, an item, a list), other tasks may reach
it there. Either way the file is the file system's, shared, like any other.
"""

from __future__ import annotations

import ast
import re

from deblock.analysis.nodes import last_name, own_nodes
from deblock.rules.resources import MADE_IN, ONE_DESCRIPTOR

# Calls that hand what they are given on: methods keeping it in their object for whoever
# holds it (a list's, a set's, a dict's, a queue's), and those starting another task or
# thread with it, which runs beside the call.
_HANDING = frozenset(
    "append appendleft extend extendleft insert add update setdefault put put_nowait "
    "create_task ensure_future start_soon run_coroutine_threadsafe call_soon call_later "
    "Thread Process submit".split()
)
# A literal mode of ``open``: what it does with the file, no path.
_MODE = re.compile(r"[rwxabt+]{1,3}")


def made_apart(target: str, call: ast.AST | None) -> bool:
    """Whether call ``call`` of temporary-file maker ``target`` makes its file in the
    system's temporary directory: given no directory (``dir``, by name or place, or maybe
    in ``*args`` or ``**kwargs``) but ``None``."""
    place = MADE_IN.get(target)
    if place is None or not isinstance(call, ast.Call):
        return True
    given = [k.value for k in call.keywords if k.arg == "dir"]
    given += [*call.args[place : place + 1], *(k.value for k in call.keywords if k.arg is None)]
    given += [a for a in call.args if a.__class__ is ast.Starred]  # at any place
    return all(g.__class__ is ast.Constant and g.value is None for g in given)


def unpacked(function: ast.AST, makers: set[ast.AST]) -> set[str]:
    """The names ``function`` binds once by unpacking what one of ``makers`` returns
    (``fd, name = tempfile.mkstemp()``): its descriptor and its path."""
    stores: dict[str, int] = {}
    names: set[str] = set()
    for node in own_nodes(function):
        if node.__class__ is ast.Name and node.ctx.__class__ is ast.Store:
            stores[node.id] = stores.get(node.id, 0) + 1
        elif node.__class__ is ast.Assign and node.value in makers and len(node.targets) == 1:
            if isinstance(node.targets[0], ast.Tuple | ast.List):
                names.update(e.id for e in node.targets[0].elts if e.__class__ is ast.Name)
    return {name for name in names if stores[name] == 1}


def kept_elsewhere(function: ast.AST, names: set[str]) -> bool:
    """Whether ``function`` hands one of ``names`` (or what it builds on one) to state
    other calls reach: a global or nonlocal name, an attribute or an item stored into (or
    the key it is stored at), a list or queue it is added to, what a generator yields, a
    task or thread it starts."""
    declared: set[str] = set()
    read: dict[str, list[ast.expr]] = {}  # what each of ``names`` is bound to
    for node in own_nodes(function):
        if isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
        elif node.__class__ is ast.Assign and len(node.targets) == 1:
            if node.targets[0].__class__ is ast.Name and node.targets[0].id in names:
                read.setdefault(node.targets[0].id, []).append(node.value)
    if declared & names:
        return True
    # what a method of one returned (``got = spool.read()``, ``rows = cur.fetchall()``):
    # data read from the file, not its name
    names = names - {n for n, values in read.items() if all(_on(v, names) for v in values)}
    for node in own_nodes(function):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if node.__class__ is ast.Assign else [node.target]
            shared = any(
                t.__class__ is not ast.Name or t.id in declared
                for target in targets
                for t in _stored(target)
            )
            if shared and any(_mentions(n, names) for n in (node.value, *targets)):
                return True
        elif isinstance(node, ast.Yield | ast.YieldFrom) and _mentions(node.value, names):
            return True
        elif node.__class__ is ast.Call and last_name(node.func) in _HANDING:
            given = [*node.args, *(k.value for k in node.keywords)]
            if any(_mentions(g, names) for g in given):
                return True
    return False


def _stored(target: ast.expr) -> list[ast.expr]:
    """What an assignment's target stores into, its unpacked elements one by one."""
    if isinstance(target, ast.Tuple | ast.List):
        return [t for e in target.elts for t in _stored(e)]
    return [target.value if target.__class__ is ast.Starred else target]


def _on(value: ast.expr, names: set[str]) -> bool:
    """Whether ``value`` is what a method of one of ``names`` returns."""
    if value.__class__ is not ast.Call or value.func.__class__ is not ast.Attribute:
        return False
    node = value.func
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if node.__class__ is ast.Call else node.value
    return node.__class__ is ast.Name and node.id in names


def _mentions(value: ast.AST | None, names: set[str]) -> bool:
    """Whether ``value`` reads one of ``names``, but in what a method of one returns (data
    read from the file: ``out.append(spool.read())``)."""
    if value is None or _on(value, names):
        return False
    if value.__class__ is ast.Name:
        return value.id in names
    return any(_mentions(child, names) for child in ast.iter_child_nodes(value))


def one_file(call: ast.Call) -> bool:
    """Whether ``call``'s only file is its first argument, its others a literal mode
    (``open(path, "w")``) or data (``os.write(fd, data)``), not a second path
    (``shutil.copy(tmp, target)``)."""
    func = call.func
    if func.__class__ is ast.Attribute and func.value.__class__ is ast.Name:
        if f"{func.value.id}.{func.attr}" in ONE_DESCRIPTOR:
            return True
    if last_name(func) != "open" or len(call.args) != 2:
        return False
    mode = call.args[1]
    return mode.__class__ is ast.Constant and _MODE.fullmatch(str(mode.value)) is not None
