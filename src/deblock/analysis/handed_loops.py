"""Event loops handed in: ``self._loop = loop or asyncio.get_running_loop()`` needs the
running loop only when the caller hands no loop. A sync function whose one call needing
the loop is so guarded by a parameter (``FunctionSummary.loop_unless``), called with an
attribute its class binds only to a loop (``ClassSummary.loops``: never falsy), runs no such
call, in a worker thread too (``project.loop_bound.loop_chain``): aiohttp's cookie jar
makes its loading jar with ``loop=self._loop``."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import argument_places
from deblock.analysis.scopes import Binding, Kind
from deblock.analysis.symbols import Obj

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver

# What the catalogue says a loop factory returns (``asyncio.get_running_loop()``).
LOOP = "asyncio.AbstractEventLoop"


def loop_unless(
    function: ast.AST | None, needing: list[ast.AST], own: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """The names a call may give the parameter (of ``own``: ``own_parameters``) that keeps
    ``function``'s one call needing the loop (``needing``: each such call) from running:
    ``loop or asyncio.get_running_loop()``, the call the last operand of an ``or`` on it."""
    if function is None or len(needing) != 1:
        return ()
    for node in ast.walk(function):
        if node.__class__ is ast.BoolOp and node.op.__class__ is ast.Or:
            if node.values[-1] is needing[0]:
                names = [v.id for v in node.values[:-1] if v.__class__ is ast.Name]
                return next((own[name] for name in names if name in own), ())
    return ()


def loop_attributes(attributes: dict[str, list[Binding]], resolver: Resolver) -> tuple[str, ...]:
    """The attributes of a class that each of its bindings binds to an event loop (``loop
    or asyncio.get_running_loop()``, what a loop factory returns): never falsy."""
    return tuple(
        sorted(
            name
            for name, bindings in attributes.items()
            if any(b.kind is Kind.VALUE for b in bindings)
            and all(b.kind is Kind.ANNOTATION or _a_loop(b, resolver) for b in bindings)
        )
    )


def _a_loop(binding: Binding, resolver: Resolver) -> bool:
    """Whether a value binding binds a loop on every path: a loop factory's call, or an
    ``or`` whose last operand is one."""
    if binding.kind is not Kind.VALUE:
        return False
    value = binding.expr
    if value.__class__ is ast.BoolOp and value.op.__class__ is ast.Or:
        value = value.values[-1]
    if value.__class__ is not ast.Call:
        return False
    return resolver.resolve(value, binding.scope, binding.reaching) == Obj(LOOP)


def handed_attributes(call: ast.Call, self_name: str | None) -> tuple[tuple[str, str], ...]:
    """(place ``#0`` or keyword, attribute) of each argument of ``call`` that is an
    attribute of the instance (``loop=self._loop``)."""
    return tuple(
        (place, value.attr)
        for place, value in argument_places(call)
        if value.__class__ is ast.Attribute
        and value.value.__class__ is ast.Name
        and value.value.id == self_name
    )
