"""The object an awaited method call is made on when a call on the instance gives it.

``await self.other_one().note(word)``: the callee's ``self.x`` is the ``x`` of whatever
``self.other_one()`` returns. A sync method of the instance's class whose every ``return``
hands back one attribute of its instance (``return self.other``) gives that attribute's
object, the caller's ``self.other``: the callee's ``self.log`` is the caller's
``self.other``'s (as for ``await self.other.note(word)``). Any other call on the instance
may give any object the instance reaches, itself or another: all of its state, ``self``
(or an object its arguments or a global hold: the caller's reads of those are weighed as
state other code may change, ``atomic_callers``).
Before, the callee's ``self.log`` was taken for the caller's own ``self.log``: a caller
reading ``self.other.log`` after the await saw no write there, and one reading its own
``self.log`` saw one.
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import dotted_name, own_nodes
from deblock.analysis.shared_state import StateAccess


def given_by_instance(call: ast.Call, state: StateAccess) -> str | None:
    """The caller's state (``state``: its accesses) that the object method ``call`` is made
    on is, when a call on its instance gives that object: ``self.other`` for
    ``self.other_one().note()`` (``_returned_attribute``), else ``self``, also through
    attributes and items (``self.books.get(key).note()``); None for other calls."""
    value = call.func.value if isinstance(call.func, ast.Attribute) else None
    name = state.self_name
    if value.__class__ is ast.Call and _on_instance(value.func, name) and state.helpers:
        called = state.helpers.records.get(state.callees.get(value, ""))
        returned = _returned_attribute(called) if called is not None else None
        if returned is not None:
            return f"self.{returned}"
    through_call = False
    while isinstance(value, ast.Attribute | ast.Subscript | ast.Call):
        through_call = through_call or value.__class__ is ast.Call
        value = value.func if value.__class__ is ast.Call else value.value
    return "self" if through_call and isinstance(value, ast.Name) and value.id == name else None


def _on_instance(func: ast.expr, name: str | None) -> bool:
    """Whether ``func`` is a method of the instance ``name`` (``self.other_one``)."""
    return func.__class__ is ast.Attribute and dotted_name(func.value) == name is not None


def _returned_attribute(record) -> str | None:
    """The attribute of its instance (``other``, ``a.b``) that sync method ``record`` returns
    at its every ``return``, its first parameter never bound again; None for another, and
    for a decorated one (a ``staticmethod``'s first parameter is no instance)."""
    node = record.node
    if record.is_generator or node.decorator_list or not node.args.args:
        return None
    me = node.args.args[0].arg
    returned, rebound = set(), False
    for below in own_nodes(node):
        if below.__class__ is ast.Return:
            text = dotted_name(below.value) if below.value is not None else None
            returned.add(text[len(me) + 1 :] if text and text.startswith(f"{me}.") else None)
        elif below.__class__ is ast.Name and below.id == me:
            rebound = rebound or below.ctx.__class__ is not ast.Load
    return returned.pop() if len(returned) == 1 and not rebound else None
