"""The child nodes of a syntax node, faster than ``ast.iter_child_nodes``.

Only what can hold a node that matters is visited: no ``ctx`` (``Load``, ``Store``) and
nothing below a leaf (a name, a constant, an operator). ``ast.iter_child_nodes`` goes
through two generators per node; the analysis visits each coroutine's nodes several
times (the walk, its runs of statements, the state its functions share).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_LEAVES = (
    ast.Name,
    ast.Constant,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
    ast.boolop,
    ast.alias,
    ast.Pass,
    ast.Break,
    ast.Continue,
)
# Fields that hold a name, a flag or a number, never a node.
_PLAIN = frozenset(
    {"ctx", "name", "id", "attr", "arg", "module", "level", "kind", "conversion", "is_async",
     "simple", "tag", "type_comment"}
)  # fmt: skip
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_SCOPE_TYPES = frozenset(SCOPES)


class _ChildFields(dict):
    """The fields of each node type that may hold child nodes, found on first asking."""

    def __missing__(self, node_type: type) -> tuple[str, ...]:
        leaf = issubclass(node_type, _LEAVES)
        fields = self[node_type] = (
            () if leaf else tuple(f for f in node_type._fields if f not in _PLAIN)
        )
        return fields


# ``child_fields(type(node))``: a dict's own lookup, called for every node of every walk
child_fields = _ChildFields().__getitem__


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The nodes directly below ``node``, in field order (``ast.iter_child_nodes``'s)."""
    found: list[ast.AST] = []
    for name in child_fields(node.__class__):
        value = getattr(node, name, None)
        if value.__class__ is list:
            for child in value:
                if isinstance(child, ast.AST):
                    found.append(child)
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


def own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and everything below it that runs in the same scope."""
    todo = [node]
    while todo:  # ``child_nodes``' reading, inlined: the analysis's most frequent walk
        current = todo.pop()
        yield current
        for name in child_fields(current.__class__):
            value = getattr(current, name, None)
            if value.__class__ is list:  # a loop: no comprehension's call for short lists
                for child in value:
                    if isinstance(child, ast.AST) and child.__class__ not in _SCOPE_TYPES:
                        todo.append(child)
            elif isinstance(value, ast.AST) and value.__class__ not in _SCOPE_TYPES:
                todo.append(value)


def walk(node: ast.AST) -> list[ast.AST]:
    """``node`` and every node below it in ``ast.walk``'s order (breadth first), but for
    expression contexts (``Load``, ``Store``): a few times faster."""
    found = [node]
    for below in found:
        found += child_nodes(below)
    return found


def statements_below(node: ast.AST, own: bool = False) -> list[ast.AST]:
    """``node`` and every statement below it, with the ``except`` handlers and ``case``
    clauses that hold some, in ``ast.walk``'s order (no expression holds a statement);
    ``own``: none below the functions and classes ``node`` defines (``own_nodes``'
    statements)."""
    found = [node]
    for below in found:
        if own and below.__class__ in _SCOPE_TYPES and below is not node:
            continue
        found += [c for c in child_nodes(below) if isinstance(c, _HOLDING_STATEMENTS)]
    return found


_HOLDING_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)


def parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each node below ``tree`` with the node right above it."""
    return {child: node for node in walk(tree) for child in child_nodes(node)}


def up_to_statement(node: ast.AST, up: dict[ast.AST, ast.AST]) -> list[ast.AST]:
    """``node`` and the nodes holding it (``up``: ``parents``), up to the innermost statement
    holding it, last (or as far as ``up`` goes)."""
    held = [node]
    while not isinstance(node, ast.stmt) and (node := up.get(node)) is not None:
        held.append(node)
    return held


def reached(expr: ast.expr) -> tuple[ast.expr, str | None]:
    """The base of ``expr`` (``self`` for ``self.x[k].y``) and the attribute of it that
    ``expr`` reaches (``x``), if any."""
    attribute = None
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        attribute = expr.attr if isinstance(expr, ast.Attribute) else None
        expr = expr.value
    return expr, attribute


def call_arguments(call: ast.Call) -> tuple[ast.expr, ...]:
    """The values ``call`` passes: its positional arguments, then its keywords'."""
    return (*call.args, *(k.value for k in call.keywords))


def argument_places(call: ast.Call) -> list[tuple[str, ast.expr]]:
    """(``#`` and place, or keyword; value) of each argument ``call`` binds to a known
    parameter: its positional arguments up to a ``*args``, its named keywords."""
    handed = [(f"#{i}", value) for i, value in enumerate(call.args)]
    starred = next((i for i, (_, v) in enumerate(handed) if isinstance(v, ast.Starred)), None)
    return handed[:starred] + [(k.arg, k.value) for k in call.keywords if k.arg]


def first_handed(call: ast.Call, places: tuple[str, ...]) -> ast.expr | None:
    """The value ``call`` hands the first of ``places`` it binds (``argument_places``), if
    any: ``tarfile.open(name, fileobj=buf)`` reads ``buf``."""
    handed = dict(argument_places(call))
    return next((handed[place] for place in places if place in handed), None)


def dotted_name(expr: ast.expr) -> str | None:
    """The dotted text of a chain of attributes on a plain name (``a.b.c``), else None."""
    parts = []
    while expr.__class__ is ast.Attribute:
        parts.append(expr.attr)
        expr = expr.value
    return ".".join([expr.id, *reversed(parts)]) if expr.__class__ is ast.Name else None


def last_name(expr: ast.expr) -> str | None:
    """The last name of a dotted expression: ``c`` for ``a.b.c`` and for ``c``; for a
    call, its callee's (``property`` for ``functools.cached_property()``)."""
    if isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


def unpacked_part(targets: list[ast.expr], values: list[ast.expr], index: int) -> ast.expr | None:
    """The element of a literal (``values``) that target ``index`` of ``targets`` takes when
    they unpack it (``box, *rest = ITEMS, 1``; ``*rest, box = 1, ITEMS``): None for the
    starred target, or when the lengths cannot match or a value is starred."""
    stars = [i for i, target in enumerate(targets) if target.__class__ is ast.Starred]
    if any(value.__class__ is ast.Starred for value in values) or len(stars) > 1:
        return None
    if not stars:
        return values[index] if len(values) == len(targets) else None
    if index == stars[0] or len(values) < len(targets) - 1:
        return None
    return values[index] if index < stars[0] else values[len(values) - (len(targets) - index)]


def alternatives(expr: ast.expr) -> list[ast.expr]:
    """The values ``expr`` may be: each branch of a conditional (``ITEMS if flag else
    OTHER``) or operand of ``or``/``and`` (``ITEMS or OTHER``), through nested ones."""
    if expr.__class__ is ast.IfExp:
        return [*alternatives(expr.body), *alternatives(expr.orelse)]
    if expr.__class__ is ast.BoolOp:
        return [value for operand in expr.values for value in alternatives(operand)]
    return [expr]
