"""What a name holds when a manager it was bound by enters to an argument it was handed
(``ENTERS_ARGUMENT``: ``box`` is ``ITEMS`` in ``with nullcontext(ITEMS) as box`` and in
``box = stack.enter_context(nullcontext(ITEMS))``), read one way by the walk and by the state
rules: the maker's name resolved (each its own way), then its catalogue entry."""

from __future__ import annotations

import ast

from deblock.analysis.nodes import dotted_name, first_handed
from deblock.analysis.scopes import Kind, Scope
from deblock.rules.resources import ENTERS_ARGUMENT, STACK_ENTERS


def entered_argument(manager: ast.expr, maker: str | None) -> ast.expr | None:
    """The argument ``manager``, a call of ``maker`` (its resolved name), enters to, if any."""
    places = ENTERS_ARGUMENT.get(maker or "")
    return first_handed(manager, places) if places and manager.__class__ is ast.Call else None


def stacked_manager(value: ast.expr) -> ast.Call | None:
    """The manager a stack's entry (``STACK_ENTERS``), ``value`` (awaited or not), enters
    and returns what it enters to (``nullcontext(ITEMS)`` of ``stack.enter_context(
    nullcontext(ITEMS))``), if a call."""
    if value.__class__ is ast.Await:
        value = value.value
    if value.__class__ is not ast.Call or getattr(value.func, "attr", None) not in STACK_ENTERS:
        return None
    manager = value.args[0] if len(value.args) == 1 else None
    return manager if manager.__class__ is ast.Call else None


def imported_maker(manager: ast.Call, scope: Scope) -> str | None:
    """The name ``manager``'s function has through the one import ``scope`` sees for its
    base (``contextlib.nullcontext`` for ``nc(...)`` of ``from contextlib import nullcontext
    as nc``): the walk's reading, which resolves no calls."""
    name = dotted_name(manager.func)
    root, _, rest = (name or "").partition(".")
    bindings = scope.lookup(root)[0] if root else None
    if not bindings or len(bindings) != 1 or bindings[0].kind is not Kind.IMPORT:
        return None
    return f"{bindings[0].qualname}.{rest}" if rest else bindings[0].qualname
