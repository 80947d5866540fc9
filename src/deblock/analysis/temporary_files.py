"""Temporary files and private databases: the names a function binds only to files and
databases no other caller uses, and the calls on them, which share nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from deblock.analysis.nodes import last_name, own_nodes
from deblock.analysis.own_files import kept_elsewhere, made_apart, one_file, unpacked
from deblock.rules.resources import PRIVATE_DATABASES, PRIVATE_FILE_CODES

if TYPE_CHECKING:
    pass


_JOINS = frozenset({"join", "Path", "PurePath", "str", "fspath"})  # a path built on another


def bound_name(parent: ast.AST | None, value: ast.AST) -> str | None:
    """The name a value is bound to: ``name = value`` or ``with value as name``."""
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is value:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return targets[0].id
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars.id
    return None


def makes_private(code: str, target: str, call: ast.AST | None) -> bool:
    """Whether a blocking call makes a file or a database no other caller uses: a new
    temporary file, or a database opened by a private name (``PRIVATE_DATABASES``)."""
    if code in PRIVATE_FILE_CODES:
        return made_apart(target, call)
    names = PRIVATE_DATABASES.get(target)
    if names is None or not isinstance(call, ast.Call):
        return False
    keyword = (k.value for k in call.keywords if k.arg == "database")
    given = call.args[0] if call.args else next(keyword, None)
    return isinstance(given, ast.Constant) and given.value in names


def temporary_names(
    function: ast.AST, makers: list[ast.AST], given: frozenset[str] = frozenset()
) -> set[str]:
    """The names ``function`` binds only to the temporary files its calls ``makers`` make
    (``name = maker(...)``, ``with maker(...) as name``), or to what their methods return
    (``cur = conn.cursor()``), their paths (``tmp.name``) or what a call on a path in one
    returns (``open(tmp)``): files and databases no other caller uses; ``given``: names
    of such files it has already (parameters its caller handed it), among them. A name
    bound to anything else too (a file a later ``connect`` opens, a loop's item) is not
    one."""
    if not makers and not given:
        return set()
    stores: dict[str, int] = {}
    values: dict[str, list[ast.AST]] = {}
    for node in own_nodes(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
            continue
        if isinstance(node, ast.withitem):
            value = node.context_expr
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
        else:
            continue
        if value is not None and (name := bound_name(node, value)):
            values.setdefault(name, []).append(value)
    made, names = set(makers), set(given) | unpacked(function, set(makers))
    while more := {
        name
        for name, bound in values.items()
        if name not in names
        and stores[name] == len(bound)
        and all(v in made or _on_private(v, names) for v in bound)
    }:
        names |= more
    return set() if kept_elsewhere(function, names) else names


def _on_private(value: ast.AST, names: set[str]) -> bool:
    """Whether ``value`` is what a method of a private object bound to one of ``names``
    returns (``conn.cursor()``), a temporary file's path (``tmp.name``) or what a call on
    a path in one returns (``open(os.path.join(tmp, "a"))``)."""
    if in_temporary(value, names):  # a path in one: ``os.path.join(tmp, "a")``, ``tmp / "a"``
        return True
    return isinstance(value, ast.Call) and on_temporary(value, names)


def on_temporary(call: ast.AST, names: set[str]) -> bool:
    """Whether ``call`` is a method of a temporary file bound to one of ``names`` (or of
    what one of its methods returned), or takes a path in it
    (``os.makedirs(os.path.join(tmp, "out"))``)."""
    if not names:
        return False
    alone = (
        isinstance(call, ast.Call) and bool(call.args) and (len(call.args) == 1 or one_file(call))
    )
    return _named(_receiver(call), names) or (alone and in_temporary(call.args[0], names))


def in_temporary(path: ast.expr, names: set[str]) -> bool:
    """Whether path expression ``path`` is one of ``names`` (temporary files and
    directories) or built on one (``os.path.join(tmp, "out")``, ``tmp / "out"``)."""
    return any(_named(e, names) for e in _path_roots(path))


def _named(node: ast.AST, names: set[str]) -> bool:
    if node.__class__ is ast.Attribute and node.attr == "name":  # a temporary file's path
        node = node.value
    return isinstance(node, ast.Name) and node.id in names


def _receiver(call: ast.AST) -> ast.AST:
    """What a chain of calls and attributes starts from: ``conn`` for
    ``conn.execute(q).fetchone()``."""
    node = call
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _path_roots(path: ast.expr | None) -> Iterator[ast.expr]:
    """What a path expression starts from: ``tmp`` for ``os.path.join(tmp, "a")``,
    ``tmp / "a"``, ``Path(tmp, "a")`` or ``tmp`` itself."""
    while path is not None:
        yield path
        if isinstance(path, ast.BinOp) and isinstance(path.op, ast.Div):
            path = path.left
        elif isinstance(path, ast.Call) and path.args and last_name(path.func) in _JOINS:
            path = path.args[0]
        else:
            path = None
