"""Tests of an ``if`` whose value no other task can change, nor their evaluation anything:
identity comparisons of the coroutine's own local names and constants (``artwork is not
None``), with ``not``, ``and`` and ``or``. A local name is bound in the coroutine's frame,
which no other task reaches unless a nested function rebinds it (``nonlocal``); ``is``
calls no method of its operands (``==`` and truth tests may, and read shared state)."""

from __future__ import annotations

import ast

from deblock.analysis.nodes import own_nodes
from deblock.analysis.walker import all_args

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def steady_test(test: ast.expr, function: ast.AsyncFunctionDef) -> bool:
    """Whether ``test`` is such a test in ``function``."""
    return _steady(test, _frame_names(function))


def _frame_names(function: ast.AsyncFunctionDef) -> set[str]:
    """The names ``function`` binds in its own frame that no ``global`` or ``nonlocal``
    there or in a function nested in it names (a comprehension's targets are its own)."""
    bound = {a.arg for a in all_args(function.args)}
    nodes = list(own_nodes(function))
    targets = {
        target
        for n in nodes
        if n.__class__ in _COMPREHENSIONS
        for generator in n.generators
        for target in ast.walk(generator.target)
    }
    bound |= {
        n.id
        for n in nodes
        if n.__class__ is ast.Name and n.ctx.__class__ is ast.Store and n not in targets
    }
    shared = {
        name
        for n in ast.walk(function)
        if n.__class__ in (ast.Global, ast.Nonlocal)
        for name in n.names
    }
    return bound - shared


def _steady(test: ast.expr, names: set[str]) -> bool:
    if test.__class__ is ast.Compare:
        return all(op.__class__ in (ast.Is, ast.IsNot) for op in test.ops) and all(
            _operand(value, names) for value in (test.left, *test.comparators)
        )
    if test.__class__ is ast.BoolOp:
        return all(_steady(value, names) for value in test.values)
    if test.__class__ is ast.UnaryOp and test.op.__class__ is ast.Not:
        return _steady(test.operand, names)
    return test.__class__ is ast.Constant


def _operand(value: ast.expr, names: set[str]) -> bool:
    return value.__class__ is ast.Constant or (value.__class__ is ast.Name and value.id in names)
