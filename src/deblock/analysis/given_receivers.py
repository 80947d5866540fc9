"""The object an awaited method call is made on when a call on the instance gives it.

``await self.other_one().note(word)``: the callee's ``self.x`` is the ``x`` of whatever
``self.other_one()`` returns. A sync method of the instance's class whose every ``return``
hands back one attribute of its instance (``return self.other``) gives that attribute's
object, the caller's ``self.other``: the callee's ``self.log`` is the caller's
``self.other``'s (as for ``await self.other.note(word)``). One returning a parameter of
its own (``return other``) gives the argument the call hands it (``self.chosen(box)``:
as for ``await box.note(word)``, none of the caller's state for a local), one returning
a name it does not bind gives that global's object (``return LEDGER``: as for ``await
LEDGER.note(word)``). Any other call on the instance may give any object the instance
reaches, itself or another: all of its state, ``self``.
Before, the callee's ``self.log`` was taken for the caller's own ``self.log``: a caller
reading ``self.other.log`` after the await saw no write there, and one reading its own
``self.log`` saw one; then a global's or an argument's object for the whole instance: a
caller reading its own ``self.log`` or ``self.name`` after the await saw a write there.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.nodes import dotted_name, first_handed, own_nodes
from deblock.analysis.shared_state import StateAccess


def given_by_instance(
    call: ast.Call, state: StateAccess, key_of: Callable[[ast.expr], str | None]
) -> str | None:
    """The caller's state (``state``: its accesses) that the object method ``call`` is made
    on is, when a call on its instance gives that object: ``self.other`` for
    ``self.other_one().note()``, and what ``key_of`` (the caller's state an expression of
    its own is) gives the argument a method returns (``self.chosen(box)``) or the global
    it returns (``LEDGER``), "" for none of its state (``_returned``); else ``self``, also
    through attributes and items (``self.books.get(key).note()``); None for other calls."""
    value = call.func.value if isinstance(call.func, ast.Attribute) else None
    name = state.self_name
    if value.__class__ is ast.Call and _on_instance(value.func, name) and state.helpers:
        called = state.helpers.records.get(state.callees.get(value, ""))
        returned = _returned(called) if called is not None else None
        if returned is not None:
            kind, text = returned
            if kind is _ATTRIBUTE:
                return f"self.{text}"
            given = first_handed(value, _places(called.node, text)) if kind is _PARAMETER else None
            caller_binds = text in state.params or text in state.local
            if kind is _GLOBAL and not caller_binds:
                given = ast.Name(text, ast.Load())
            key = key_of(given) if given is not None else None
            if key or (kind is _PARAMETER and given is not None):
                return key or ""
    through_call = False
    while isinstance(value, ast.Attribute | ast.Subscript | ast.Call):
        through_call = through_call or value.__class__ is ast.Call
        value = value.func if value.__class__ is ast.Call else value.value
    return "self" if through_call and isinstance(value, ast.Name) and value.id == name else None


def _on_instance(func: ast.expr, name: str | None) -> bool:
    """Whether ``func`` is a method of the instance ``name`` (``self.other_one``)."""
    return func.__class__ is ast.Attribute and dotted_name(func.value) == name is not None


_ATTRIBUTE, _PARAMETER, _GLOBAL = "attribute", "parameter", "global"


def _returned(record) -> tuple[str, str] | None:
    """What sync method ``record`` returns at its every ``return``, no name it returns bound
    again: an attribute of its instance (``_ATTRIBUTE``, ``other`` or ``a.b`` of ``return
    self.other``), another parameter of its own (``_PARAMETER``, its name) or a name it
    does not bind (``_GLOBAL``: a global's object); None for another, and for a decorated
    one (a ``staticmethod``'s first parameter is no instance)."""
    node = record.node
    parameters = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    if record.is_generator or node.decorator_list or not parameters or not record.own_scope:
        return None
    me, bindings = parameters[0], record.own_scope.bindings
    returned = {
        _kind(below.value, me) for below in own_nodes(node) if below.__class__ is ast.Return
    }
    found = returned.pop() if len(returned) == 1 else None
    if found is None or len(bindings.get(me, ())) > 1:
        return None
    kind, name = found
    if kind is _ATTRIBUTE or name not in bindings:
        return found
    handed = name in parameters or name in (a.arg for a in node.args.kwonlyargs)
    return (_PARAMETER, name) if handed and len(bindings[name]) == 1 else None


def _kind(value: ast.expr | None, me: str) -> tuple[str, str] | None:
    """``_returned``'s pair for the value of one ``return``: an attribute of the instance
    ``me`` (``_ATTRIBUTE``) or a name (``_GLOBAL``, told from a parameter after)."""
    text = dotted_name(value) if value is not None else None
    if text is None or text == me:
        return None
    if text.startswith(f"{me}."):
        return _ATTRIBUTE, text[len(me) + 1 :]
    return None if "." in text else (_GLOBAL, text)


def _places(node: ast.FunctionDef, parameter: str) -> tuple[str, ...]:
    """Where a call on the instance hands method ``node``'s ``parameter``: its place after
    the instance's (``argument_places``' ``#0`` for the first after ``self``), or its
    keyword (a positional-only one by place only, a keyword-only one by keyword only)."""
    only = [a.arg for a in node.args.posonlyargs]
    positional = [*only, *(a.arg for a in node.args.args)][1:]
    if parameter not in positional:
        return (parameter,)
    place = (f"#{positional.index(parameter)}",)
    return place if parameter in only else (*place, parameter)
