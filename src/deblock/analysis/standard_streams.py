"""The process's standard output streams, known by how code names them (``sys.stdout``,
``from sys import stderr``, ``out = sys.stdout``). deblock does not count their methods'
calls as blocking (``sys.stdout.write`` is not reported), so one handed to a helper's
parameter where a file may be is no file (``handed_streams``). ``sys.stdin`` is not one: its
reads wait for the user (DBK701)."""

from __future__ import annotations

import ast

from deblock.analysis.scopes import Binding, Kind, Scope

STANDARD_STREAMS = frozenset({"stdout", "stderr", "__stdout__", "__stderr__"})


def standard_stream(value: ast.expr, scope: Scope, reaching: dict | None = None) -> bool:
    """Whether ``value`` is ``sys.stdout`` or ``sys.stderr`` (``sys.__stdout__``…) or its
    ``buffer``: read from the ``sys`` module, imported from it, a name every binding of
    which reaching it is one, or a choice of two (``sys.stderr if err else sys.stdout``)."""
    if value.__class__ is ast.IfExp:
        return standard_stream(value.body, scope, reaching) and standard_stream(
            value.orelse, scope, reaching
        )
    if value.__class__ is ast.Attribute and value.attr == "buffer":
        return standard_stream(value.value, scope, reaching)
    if value.__class__ is ast.Attribute:
        if value.attr not in STANDARD_STREAMS or value.value.__class__ is not ast.Name:
            return False
        bindings, _ = scope.lookup(value.value.id)
        return bool(bindings) and all(
            b.kind is Kind.IMPORT and b.qualname == "sys" for b in bindings
        )
    if value.__class__ is not ast.Name:
        return False
    bindings, _ = scope.lookup(value.id, reaching)
    return bool(bindings) and all(map(_bound_to_stream, bindings))


def _bound_to_stream(binding: Binding) -> bool:
    """Whether ``binding`` binds a standard stream: ``from sys import stdout``, or
    ``out = sys.stdout`` (not a name bound to another name, which may cycle)."""
    if binding.kind is Kind.IMPORT:
        module, _, name = (binding.qualname or "").rpartition(".")
        return module == "sys" and name in STANDARD_STREAMS
    value = binding.expr
    return (
        binding.kind is Kind.VALUE
        and value.__class__ is not ast.Name
        and binding.scope is not None
        and standard_stream(value, binding.scope)
    )
