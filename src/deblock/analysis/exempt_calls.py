"""Calls of the catalogue's blocking functions that do not block, by their arguments
or their place."""

from __future__ import annotations

import ast

from deblock.analysis.nodes import call_arguments, last_name
from deblock.analysis.passed_arguments import keyword_names
from deblock.analysis.scopes import Scope
from deblock.analysis.walker import Candidate
from deblock.rules.model import Blocking


def exempt(
    entry: Blocking, candidate: Candidate, prefixed: dict[str, list[tuple[str, int, int]]]
) -> bool:
    """Whether ``candidate``'s call of ``entry``'s target does not block: by its arguments
    (``prefixed``: the function's parameters its guards make start with a prefix,
    ``Judge._prefixes``), by what is known of its place (``nonblocking``), or because its
    I/O runs at the exit of a ``with`` block that does not enter it."""
    call, scope = candidate.node, candidate.scope
    if candidate.nonblocking:
        return True
    if entry.only_entered and candidate.entered.__class__ is not ast.With:
        return True
    if entry.exempt_by_arguments(keyword_names(call), len(call.args)):
        return True
    if entry.unless_prefixed and starts_with(call, prefixed, entry.unless_prefixed):
        return True
    return bool(entry.unless_named and _names(call, scope) & set(entry.unless_named))


def starts_with(
    call: ast.Call, prefixed: dict[str, list[tuple[str, int, int]]], prefixes: tuple[str, ...]
) -> bool:
    """Whether ``call``'s first argument starts with one of ``prefixes``: a string or
    f-string that does, or a parameter a guard above the call makes start so."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.JoinedStr) and first.values:
        first = first.values[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value.startswith(prefixes)
    if isinstance(first, ast.Name):
        guards = prefixed.get(first.id, ())
        return any(p.startswith(prefixes) and a <= call.lineno <= b for p, a, b in guards)
    return False


def _names(call: ast.Call, scope: Scope) -> set[str]:
    """The names ``call``'s arguments use, and those the values of the module constants
    among them use (``flags | _NUMERIC_ONLY``: ``AI_NUMERICHOST`` too)."""
    names: set[str] = set()
    for argument in call_arguments(call):
        for node in ast.walk(argument):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Name):
                names.add(node.id)
                bindings = scope.module().bindings.get(node.id) or ()
                for binding in bindings:
                    if binding.expr is not None:
                        names |= {last_name(n) for n in ast.walk(binding.expr)} - {None}
    return names
