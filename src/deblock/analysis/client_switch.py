"""Which sync SDK clients the ``async-client`` fix can switch to their async twin.

The fix rewrites ``CLIENT = Groq()`` as ``CLIENT = AsyncGroq()`` and awaits every reported
call on it: only for a client held in a module name or a ``self`` attribute, created in
the module (every assignment to it makes the sync class), and used nowhere but in the
reported calls (the name appears nowhere else: no other call, parameter, attribute or
import of that name), whose streaming calls a ``for`` iterates (it becomes
``async for``). Judged once the module's findings are final, on its tree (walked only
when a finding offers the fix).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.findings import Finding

STRATEGY = "async-client"
_Key = tuple[str | None, str]  # (None, module name) or ("self", attribute)


def unswitchable(
    tree: ast.Module,
    found: list[tuple[int, Finding, ast.Call]],
    parents: Callable[[], dict[ast.AST, ast.AST]],
    creates: Callable[[ast.expr], str | None],
) -> dict[int, str]:
    """Why each of ``found`` (index, finding, its call; in source order) cannot have its
    client switched, by index; ``creates`` names the class an expression calls."""
    why: dict[int, str] = {}
    clients: dict[_Key, list[tuple[int, Finding, ast.Call]]] = {}
    for i, finding, call in found:
        key = _holder(call, finding)
        if key is None:
            why[i] = "the client is not held in a module name or self attribute"
        else:
            clients.setdefault(key, []).append((i, finding, call))
    for key, calls in clients.items():
        reason = _plan(tree, key, calls, parents, creates)
        why.update((i, reason) for i, _, _ in calls if reason is not None)
    return why


def _classes(finding: Finding) -> tuple[str, str]:
    twin = finding.twin or ""
    return ".".join(finding.target.split(".")[: len(twin.split("."))]), twin


def _holder(call: ast.Call, finding: Finding) -> _Key | None:
    expr = call.func
    for _ in range(len(finding.target.split(".")) - len(_classes(finding)[0].split("."))):
        if not isinstance(expr, ast.Attribute):
            return None
        expr = expr.value
    if isinstance(expr, ast.Name):
        return None, expr.id
    if isinstance(expr, ast.Attribute) and _is_self(expr.value):
        return "self", expr.attr
    return None


def _is_self(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Name) and expr.id == "self"


def _plan(tree, key: _Key, calls, parents, creates) -> str | None:
    sync = _classes(calls[0][1])[0]
    reached = {id(n) for _, _, call in calls for n in ast.walk(call.func)}
    targets = {
        id(t): node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for t in node.targets
    }
    made = False
    for ref in _references(tree, key):
        # ``x.client = ...`` assigns an attribute of ``x``, not the module name ``client``
        if id(ref) in targets and (key[0] == "self" or isinstance(ref, ast.Name)):
            if creates(targets[id(ref)]) != sync:
                return "the client variable is also assigned something else"
            made = True
        elif id(ref) not in reached:
            return "the client is also used outside the reported async calls"
    if not made:
        return "the client is created in another module"
    above = parents()
    for _, finding, call in calls:
        loop = above.get(call)
        if finding.lazy_result and not (isinstance(loop, ast.For) and loop.iter is call):
            return "a streaming call of the async client must be iterated with `async for`"
    return None


def _references(tree: ast.Module, key: _Key):
    """Every place of the module naming the client's holder: for a module name, each
    name, attribute, parameter, keyword, import or definition so named; for a ``self``
    attribute, each ``self.<attribute>``."""
    scope, name = key
    for node in ast.walk(tree):
        if scope == "self":
            if isinstance(node, ast.Attribute) and node.attr == name and _is_self(node.value):
                yield node
        elif _names(node, name):
            yield node


def _names(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.Name):
        return node.id == name
    if isinstance(node, ast.Attribute):
        return node.attr == name
    if isinstance(node, ast.arg | ast.keyword):
        return node.arg == name
    if isinstance(node, ast.alias):
        return name in node.name.split(".") or node.asname == name
    if isinstance(node, ast.ImportFrom):
        return name in (node.module or "").split(".")
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.Global | ast.Nonlocal):
        return name in node.names
    if isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
        return node.name == name
    if isinstance(node, ast.MatchMapping):
        return node.rest == name
    if isinstance(node, ast.MatchClass):
        return name in node.kwd_attrs
    return False
