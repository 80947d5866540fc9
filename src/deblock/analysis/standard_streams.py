"""The process's standard output streams, known by how code names them (``sys.stdout``,
``from sys import stderr``, ``out = sys.stdout``). deblock does not count their methods'
calls as blocking (``sys.stdout.write`` is not reported), so one handed to a helper's
parameter where a file may be is no file (``handed_streams``); and a fix's thread that
writes one must not meet other writers (``process_streams``). ``sys.stdin`` is not one: its
reads wait for the user (DBK701)."""

from __future__ import annotations

import ast

from deblock.analysis.scopes import Binding, Kind, Scope

STANDARD_STREAMS = frozenset({"stdout", "stderr", "__stdout__", "__stderr__"})
_NONE: frozenset[str] = frozenset()


def standard_stream(value: ast.expr, scope: Scope, reaching: dict | None = None) -> bool:
    """Whether ``value`` is a standard output stream (``stream_names``)."""
    return bool(stream_names(value, scope, reaching))


def stream_names(
    value: ast.expr, scope: Scope, reaching: dict | None = None, seen: frozenset = _NONE
) -> frozenset[str]:
    """Which of ``stdout`` and ``stderr`` ``value`` is (``sys.__stderr__`` counts as
    ``stderr``), none when it is neither: ``sys.stdout``… or its ``buffer``, read from the
    ``sys`` module, imported from it, a name every binding of which reaching it is one (but
    those ``seen`` on the way there, the ids of bindings followed: names may cycle), or a
    choice of two (``sys.stderr if err else sys.stdout``)."""
    if value.__class__ is ast.IfExp:
        body = stream_names(value.body, scope, reaching, seen)
        orelse = stream_names(value.orelse, scope, reaching, seen) if body else _NONE
        return body | orelse if orelse else _NONE
    if value.__class__ is ast.Attribute and value.attr == "buffer":
        return stream_names(value.value, scope, reaching, seen)
    if value.__class__ is ast.Attribute:
        if value.attr not in STANDARD_STREAMS or value.value.__class__ is not ast.Name:
            return _NONE
        bindings, _ = scope.lookup(value.value.id)
        sys = bool(bindings) and all(
            b.kind is Kind.IMPORT and b.qualname == "sys" for b in bindings
        )
        return frozenset({value.attr.strip("_")}) if sys else _NONE
    if value.__class__ is not ast.Name:
        return _NONE
    bindings, _ = scope.lookup(value.id, reaching)
    found = _NONE
    for binding in bindings or ():
        streams = _NONE if id(binding) in seen else _bound_stream(binding, seen | {id(binding)})
        if not streams:
            return _NONE
        found |= streams
    return found


def stream_aliases(scope: Scope) -> list[str]:
    """The names ``scope`` binds only to standard streams (``from sys import stderr as err``,
    ``OUT = sys.stdout``)."""
    return [
        name
        for name, bindings in scope.bindings.items()
        if bindings and all(_bound_stream(b, frozenset({id(b)})) for b in bindings)
    ]


def _bound_stream(binding: Binding, seen: frozenset) -> frozenset[str]:
    """The streams ``binding`` binds: ``from sys import stdout``, or ``out = sys.stdout``
    (``seen``: as ``stream_names``')."""
    if binding.kind is Kind.IMPORT:
        module, _, name = (binding.qualname or "").rpartition(".")
        return (
            frozenset({name.strip("_")}) if module == "sys" and name in STANDARD_STREAMS else _NONE
        )
    value = binding.expr
    if binding.kind is not Kind.VALUE or binding.scope is None:
        return _NONE
    return stream_names(value, binding.scope, seen=seen)
