"""The methods a sync function calls on its parameters (``FunctionSummary.calls_on``): what
the project pass weighs as a change of the object a caller hands it.

A method is called on a parameter directly (``ledger.record()``), on an attribute or item
of it (``shelf.ledger.record()``), through a local bound once to either (``book = ledger``
or ``book = shelf.ledger``, then ``book.record()``) or to the method itself (``record =
ledger.record``, then ``record()``; ``stands_for``), or is handed on bound
(``apply(ledger.record)``), where the code it reaches may call it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.duck_calls import duck_callee
from deblock.analysis.lock_aliases import stands_for
from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import argument_places, call_arguments, reached
from deblock.analysis.resolver import Resolver
from deblock.analysis.section_partners import ANY
from deblock.analysis.symbols import Symbol
from deblock.analysis.walker import Candidate, FunctionRecord
from deblock.rules.resources import PLAIN_CONTAINERS

CalledOn = tuple[str, tuple[str, ...], str]  # method, the parameter's names, attribute


def calls_on_parameters(
    call: ast.Call,
    callee: Symbol | None,
    record: FunctionRecord,
    own: dict[str, tuple[str, ...]],
    resolve: Callable[[ast.expr], Symbol | None],
) -> list[CalledOn]:
    """``FunctionSummary.calls_on``'s entries for ``call`` in sync function ``record``
    (``own``: its parameters it never rebinds, ``own_parameters``): the method it calls and
    those it hands on bound, each made on a parameter (the instance left out), as the
    project's method it resolves to (``callee`` for the call's own, ``resolve`` for one
    reached through a local or handed on) or ``?.record`` where it resolves to none; the
    attribute ``""`` for the parameter itself, ``inner`` for ``shelf.inner.record()``,
    ``ANY`` for an item."""
    methods = [(call.func, callee), *((value, None) for value in call_arguments(call))]
    found = []
    for given, resolved in methods:
        method = stands_for(given, record) if given.__class__ is ast.Name else given
        if method.__class__ is not ast.Attribute:
            continue
        on = _on_parameter(method.value, record, own)
        if on is None:
            continue
        if method is not call.func:
            resolved = resolve(method)
        if resolved is None:
            found.append((duck_callee(method), *on))
        elif maybe_project(resolved.qualname):
            found.append((resolved.qualname, *on))
    return found


def _on_parameter(
    receiver: ast.expr, record: FunctionRecord, own: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], str] | None:
    """The names of the parameter ``receiver`` is or reaches (through a local bound once
    to it or to an attribute or item of it) and the attribute of it reached (``""``: the
    parameter itself; ``ANY``: an item); None for any other receiver."""
    base, attribute = reached(receiver)
    whole = receiver is base
    if base.__class__ is ast.Name and base.id not in own:
        bound = stands_for(base, record)
        if bound.__class__ is not ast.Name:  # ``book = ledger.inner``: all it reaches of it
            whole, (bound, attribute) = False, reached(bound)
        base = bound
    if base.__class__ is not ast.Name or base.id == record.self_name:
        return None
    names = own.get(base.id)
    if names is None:
        return None
    return names, "" if whole else attribute or ANY


def plain_arguments(
    call: ast.Call, handed: tuple[tuple[str, str], ...], resolver: Resolver, candidate: Candidate
) -> tuple[str, ...]:
    """The places of ``handed`` (``CallSite.arguments`` of sync ``call``, the ``candidate``
    of a coroutine) whose argument the caller's ``resolver`` knows for an instance made by
    a builtin container's class on every path (``PLAIN_CONTAINERS``: ``TABLE`` of ``TABLE =
    OrderedDict()``; not a subclass, nor an annotation alone), whose changing methods are
    the mutating names alone: a duck-typed call on the parameter it binds changes it no
    other way."""
    values = dict(argument_places(call))
    scope, reaching = candidate.scope, candidate.reaching
    return tuple(
        place
        for place, _ in handed
        if resolver.made_by(values[place], scope, reaching) in PLAIN_CONTAINERS
    )
