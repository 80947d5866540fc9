"""Coroutines that await what they are handed. A call whose result a coroutine hands such
a parameter, awaiting the coroutine, is evidence that the call returns an awaitable, as an
``await`` of the call itself is: its receiver may be an async class. One that awaits it
only when it tests it (jupyter_core's ``ensure_async(obj)``: ``if inspect.isawaitable(obj):
return await obj``) takes a result of either kind: evidence only where the class of the
call's receiver is not known, or defines the method as a coroutine (``project.findings``);
an async subclass is not enough, since an instance of the class
itself runs its sync method (jupyter_server's tests' ``await ensure_async(cm.get(path))``,
``cm`` a ``FileContentsManager`` fixture that is either class, and a ``LargeFileManager``,
which no class makes async, reported with ``jupyter_core`` installed too)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from deblock.analysis.nodes import argument_places, last_name

if TYPE_CHECKING:
    from deblock.analysis.summary import CallSite, FunctionSummary
    from deblock.analysis.walker import ModuleFacts
    from deblock.findings import Finding


def awaited_parameters(facts: ModuleFacts) -> dict[str, tuple[str, ...]]:
    """The module's top-level coroutine functions that await a parameter as they are handed
    it (rebound, if at all, only to ``cast(T, p)``), with each such parameter by place
    (``#0``) and by name, after ``TESTED`` for one they test (``if isawaitable(p)``)."""
    found = {}
    for record in facts.functions:
        node = record.node
        if not record.is_async or record.qualname != f"{facts.scope.qualname}.{node.name}":
            continue
        places = {a.arg: f"#{i}" for i, a in enumerate((*node.args.posonlyargs, *node.args.args))}
        places |= {a.arg: a.arg for a in node.args.kwonlyargs}
        awaited = _awaited_as_handed(record.own_code, places.keys())
        if not awaited:  # most coroutines: their tests are not read
            continue
        tested = _tested(record.own_code)
        keys = {
            f"{TESTED if name in tested else ''}{key}"
            for name in awaited
            for key in (places[name], name)
        }
        if keys:
            found[record.qualname] = tuple(sorted(keys))
    return found


TESTED = "?"  # before a parameter the coroutine awaits only as it tests it


def _tested(own_code: list[ast.AST]) -> set[str]:
    """The names read in the tests of a coroutine's ``if`` statements, conditional
    expressions, ``while`` loops and ``assert`` statements (``own_code``: its nodes)."""
    tests = (
        node.test
        for node in own_code
        if node.__class__ in (ast.If, ast.IfExp, ast.While, ast.Assert)
    )
    return {n.id for test in tests for n in ast.walk(test) if n.__class__ is ast.Name}


def _awaited_as_handed(own_code: list[ast.AST], parameters: Collection[str]) -> set[str]:
    """The ``parameters`` a coroutine awaits (``await p``) that it binds only as
    parameters, or to a ``cast`` of themselves (``own_code``: its ``FunctionRecord.own_code``,
    which most coroutines' later phases read too)."""
    awaited, rebound = set(), set()
    for node in own_code:
        if node.__class__ is ast.Await and node.value.__class__ is ast.Name:
            awaited.add(node.value.id)
        elif node.__class__ is ast.Name and node.ctx.__class__ is not ast.Load:
            rebound.add(node.id)
    awaited.intersection_update(parameters)
    if not awaited & rebound:  # nothing awaited is rebound: no cast to look for
        return awaited
    for node in own_code:
        if node.__class__ is ast.Assign and _casts_itself(node):
            rebound.discard(node.targets[0].id)
    return awaited - rebound


def _casts_itself(assign: ast.Assign) -> bool:
    """Whether ``assign`` is ``p = cast(T, p)``."""
    value, targets = assign.value, assign.targets
    return (
        len(targets) == 1
        and targets[0].__class__ is ast.Name
        and value.__class__ is ast.Call
        and last_name(value.func) == "cast"
        and len(value.args) == 2
        and value.args[1].__class__ is ast.Name
        and value.args[1].id == targets[0].id
    )


def mark_handed_to_awaited(
    facts: ModuleFacts, functions: dict[str, FunctionSummary], span: Callable
) -> None:
    """Note, on each coroutine's call site of a method whose result is handed as it is to
    another call site the coroutine awaits (``await ensure_async(cm.is_hidden(p))``), that
    call's callee and the place it is handed at (``CallSite.awaited_by``); ``span``: a
    node's site span."""
    for record in facts.functions:
        summary = functions.get(record.qualname)
        if not record.is_async or summary is None or not summary.sites:
            continue
        sites = {(site.line, site.col): site for site in summary.sites}
        for candidate in record.calls:
            outer = candidate.node
            if not candidate.awaited or outer.__class__ is not ast.Call:
                continue
            handing = sites.get(span(outer)[:2])
            for place, value in argument_places(outer) if handing else ():
                inner = sites.get(span(value)[:2]) if _method_call(value) else None
                if inner is not None:
                    inner.awaited_by = (handing.callee, place)


def _method_call(value: ast.expr) -> bool:
    """Whether ``value`` calls a method of a receiver, whose type may be another class's
    than the one declared (a function called by name is the one it names)."""
    return value.__class__ is ast.Call and value.func.__class__ is ast.Attribute


def awaited_through(
    site: CallSite | Finding, awaiters_of, may_be_coroutine: Callable[[CallSite], bool]
) -> bool:
    """Whether ``site``'s result (or a module pass finding's call's: ``Finding.awaited_by``)
    is handed to a coroutine that awaits it (``awaiters_of``: the places a callee, as
    written, awaits), or that awaits it when it is awaitable and
    ``may_be_coroutine(site)`` (its receiver's class may define the method as one)."""
    if not site.awaited_by:
        return False
    callee, place = site.awaited_by
    places = awaiters_of(callee)
    return place in places or (f"{TESTED}{place}" in places and may_be_coroutine(site))
