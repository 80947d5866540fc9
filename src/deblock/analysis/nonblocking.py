"""Sockets the code makes non-blocking itself (``setblocking(False)``, ``settimeout(0)``):
a call on them returns at once or raises ``BlockingIOError``; it never waits.

A ``self`` attribute counts when every mode its class sets on it is non-blocking and every
method assigning it sets it non-blocking afterwards; a local name when the last mode set
before the call is.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import walk
from deblock.analysis.scopes import self_attribute

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord, ModuleFacts

_MODE_SETTERS = frozenset({"setblocking", "settimeout"})


def mark_nonblocking_sockets(facts: ModuleFacts) -> None:
    """Mark, in place, the calls on sockets the module made non-blocking (only a module
    whose text names ``setblocking`` or ``settimeout`` can)."""
    modes = {id(r): _modes(r) for r in facts.functions}
    if not any(modes.values()):
        return
    attributes: dict[tuple[str, str], bool] = {}  # (class, attribute) -> non-blocking
    for record in facts.functions:
        for (kind, name), nonblocking, _ in modes[id(record)]:
            if kind == "self":
                key = (record.scope.qualname, name)
                attributes[key] = attributes.get(key, True) and nonblocking
    for record in facts.functions:
        for name, at in _self_assignments(record):
            key = (record.scope.qualname, name)
            set_after = [m for r, m, pos in modes[id(record)] if r == ("self", name) and pos > at]
            if key in attributes and not (set_after and set_after[-1]):
                attributes[key] = False
    for record in facts.functions:
        for candidate in record.calls:
            receiver = _receiver(candidate.node, record)
            if receiver is None:
                continue
            kind, name = receiver
            if kind == "self":
                set_before = attributes.get((record.scope.qualname, name), False)
            else:
                at = (candidate.node.lineno, candidate.node.col_offset)
                earlier = [m for r, m, pos in modes[id(record)] if r == receiver and pos < at]
                set_before = bool(earlier) and earlier[-1]
            candidate.nonblocking = candidate.nonblocking or set_before


def _modes(record: FunctionRecord) -> list[tuple[tuple[str, str], bool, tuple[int, int]]]:
    """The blocking modes ``record`` sets: (receiver, non-blocking, position)."""
    found = []
    for candidate in record.calls:
        call = candidate.node
        if not isinstance(call, ast.Call) or len(call.args) != 1:
            continue
        receiver = _receiver(call, record)
        if receiver is not None and call.func.attr in _MODE_SETTERS:
            value = call.args[0]
            nonblocking = isinstance(value, ast.Constant) and value.value == 0
            found.append((receiver, nonblocking, (call.lineno, call.col_offset)))
    return found


def _self_assignments(record: FunctionRecord) -> list[tuple[str, tuple[int, int]]]:
    """The attributes of ``self`` that ``record`` assigns: (name, position)."""
    if record.self_name is None or record.node is None:
        return []
    return [
        (target.attr, (target.lineno, target.col_offset))
        for node in walk(record.node)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == record.self_name
    ]


def _receiver(node: ast.expr, record: FunctionRecord) -> tuple[str, str] | None:
    """``("self", x)`` for a call on ``self.x``, ``("name", n)`` for one on a name ``n``."""
    func = node.func if isinstance(node, ast.Call) else None
    if not isinstance(func, ast.Attribute):
        return None
    if isinstance(func.value, ast.Name):
        return ("name", func.value.id)
    attribute = self_attribute(func, record.self_name)
    return None if attribute is None else ("self", attribute)
