"""Names a move into a thread can make each helper's own instead of sharing them.

A helper declares ``nonlocal`` a name the coroutine binds elsewhere too. When that other
binding is in an earlier fix's helper (``_x_in_thread``, which declares the name ``nonlocal``
for the same reason) and nothing else in the coroutine uses the name, the two helpers share
nothing through it if each binds it before every read: both keep it as their own, and the
earlier helper's ``nonlocal`` goes (blacksheep 2.6.4's test reads files into ``binary`` in two
loops; the second loop's helper declared it, and the first loop could not move after it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst
import libcst.matchers as m

from deblock.rules.resources import FIX_HELPER


class VariableNames(cst.CSTVisitor):
    """The ``Name`` nodes of variables (not attribute or keyword names) that ``wanted``
    accepts."""

    def __init__(self) -> None:
        self.names: list[cst.Name] = []

    def wanted(self, node: cst.Name) -> bool:
        return True

    def visit_Name(self, node: cst.Name) -> None:
        if self.wanted(node):
            self.names.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


class _Uses(VariableNames):
    """The ``Name`` nodes of one variable."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def wanted(self, node: cst.Name) -> bool:
        return node.value == self.name


def _uses(node: cst.CSTNode, name: str) -> list[cst.Name]:
    uses = _Uses(name)
    node.visit(uses)
    return uses.names


def _binds(small: cst.BaseSmallStatement, name: str) -> bool:
    """Whether ``small`` is an assignment whose targets hold ``name`` itself."""
    if isinstance(small, cst.Assign):
        return any(_holds(t.target, name) for t in small.targets)
    return (
        isinstance(small, cst.AnnAssign) and small.value is not None and _holds(small.target, name)
    )


def _holds(target: cst.BaseExpression, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, cst.Tuple | cst.List):
        return any(_holds(e.value, name) for e in target.elements)
    return isinstance(target, cst.StarredElement) and _holds(target.value, name)


def _targets_only(small: cst.BaseSmallStatement, name: str) -> bool:
    """Whether every use of ``name`` in ``small`` is one of its assignment's targets."""
    if not isinstance(small, cst.Assign):
        return not _uses(small, name)
    return not _uses(small.value, name) and all(
        isinstance(t.target, cst.Name | cst.Tuple | cst.List)
        and all(n is t.target or _plain(t.target, n) for n in _uses(t.target, name))
        for t in small.targets
    )


def _plain(target: cst.BaseExpression, node: cst.Name) -> bool:
    """Whether ``node`` is a bare element of the unpacking ``target`` (not ``x[name]``)."""
    if not isinstance(target, cst.Tuple | cst.List):
        return False
    return any(
        e.value is node
        or isinstance(e.value, cst.StarredElement)
        and e.value.value is node
        or _plain(e.value, node)
        for e in target.elements
    )


def bound_before_read(statements: Sequence[cst.CSTNode], name: str, bound: bool = False) -> bool:
    """Whether every read of ``name`` in ``statements`` follows, on every path, their own
    binding of it: an assignment earlier in the same block or one around it, a ``for``
    target or a ``with`` item's ``as`` for their bodies. A binding in a branch, loop or
    handler does not count after it; ``del``, ``global``, ``nonlocal``, ``except ... as``,
    nested functions and classes, ``match`` using the name decline."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if not (bound or _targets_only(small, name)):
                    return False
                if isinstance(small, cst.Del | cst.Global | cst.Nonlocal) and _uses(small, name):
                    return False
                bound = bound or _binds(small, name)
        elif not _compound(statement, name, bound):
            return False
    return True


def _compound(statement: cst.CSTNode, name: str, bound: bool) -> bool:
    if isinstance(statement, cst.For):
        if not bound and _uses(statement.iter, name):
            return False
        inner = bound or _holds(statement.target, name)
        return _block(statement.body, name, inner) and _block(statement.orelse, name, bound)
    if isinstance(statement, cst.While | cst.If):
        if not bound and _uses(statement.test, name):
            return False
        return _block(statement.body, name, bound) and _block(statement.orelse, name, bound)
    if isinstance(statement, cst.With):
        if not bound and any(_uses(item.item, name) for item in statement.items):
            return False
        inner = bound or any(
            item.asname is not None and _holds(item.asname.name, name) for item in statement.items
        )
        return _block(statement.body, name, inner)
    if isinstance(statement, cst.Try | cst.TryStar):
        if any(h.name is not None and _uses(h.name, name) for h in statement.handlers):
            return False
        parts = [statement.body, *statement.handlers, statement.orelse, statement.finalbody]
        return all(_block(part, name, bound) for part in parts)
    return not _uses(statement, name)  # a nested def or class, a match: only when unused


def _block(part: cst.CSTNode | None, name: str, bound: bool) -> bool:
    """``bound_before_read`` of a clause (``else``, a handler, a body), with its header's
    reads checked (an ``elif``'s test, a handler's type)."""
    if part is None:
        return True
    if isinstance(part, cst.If):
        return _compound(part, name, bound)
    if isinstance(part, cst.ExceptHandler | cst.ExceptStarHandler) and not bound:
        if part.type is not None and _uses(part.type, name):
            return False
    suite = part if isinstance(part, cst.BaseSuite) else part.body
    if isinstance(suite, cst.SimpleStatementSuite):  # ``with x: y = 1`` on one line
        return bound_before_read([cst.SimpleStatementLine(suite.body)], name, bound)
    return bound_before_read(suite.body, name, bound)


def earlier_helpers(
    function: cst.FunctionDef,
    statements: Sequence[cst.CSTNode],
    name: str,
    uses: list[cst.Name],
    within: Callable[[cst.CSTNode, Sequence[cst.CSTNode]], bool],
) -> list[cst.FunctionDef] | None:
    """The earlier fixes' helpers in coroutine ``function`` that declare ``name``
    ``nonlocal``, when ``name`` can be their own and that of the helper made of
    ``statements``: every use of the coroutine's ``name`` (``uses``, nested functions'
    own variables left out) is in the statements or in those helpers, and each binds it
    before every read (``bound_before_read``). Else None."""
    helpers = [
        d
        for d in m.findall(function.body, m.FunctionDef())
        if FIX_HELPER.fullmatch(d.name.value)
        and any(
            isinstance(small, cst.Nonlocal) and any(n.name.value == name for n in small.names)
            for line in d.body.body
            if isinstance(line, cst.SimpleStatementLine)
            for small in line.body
        )
    ]
    if not helpers or not bound_before_read(statements, name):
        return None
    declaration = m.SimpleStatementLine([m.Nonlocal()])  # the one that goes
    bodies = [[s for s in d.body.body if not m.matches(s, declaration)] for d in helpers]
    if not all(bound_before_read(body, name) for body in bodies):
        return None
    places = [statements, *([d] for d in helpers)]
    if not all(any(within(n, p) for p in places) for n in uses):
        return None
    return helpers


class Unshared(cst.CSTTransformer):
    """Drops names from the ``nonlocal`` statements of the helpers named in ``names``
    (helper name → the names it no longer shares), and a statement left with none."""

    def __init__(self, names: dict[str, set[str]]) -> None:
        self.names = names
        self.helpers: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.helpers.append(node.name.value)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        self.helpers.pop()
        return updated

    def leave_Nonlocal(self, original: cst.Nonlocal, updated: cst.Nonlocal):
        dropped = self.names.get(self.helpers[-1], set()) if self.helpers else set()
        kept = [n for n in updated.names if n.name.value not in dropped]
        if len(kept) == len(updated.names):
            return updated
        if not kept:
            return cst.RemovalSentinel.REMOVE
        last = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(names=[*kept[:-1], last])
