"""Tests that never run beside each other: pytest runs one test at a time.

A coroutine pytest collects as a test runs only as that test (when no code names it), so
the statements of two such tests never run at the same time, nor those of one test with
themselves: a call one of them leaves on the event loop never meets the worker thread of
another's section (nor of its own, which its task awaits). What they start may run beside
them (a helper in a task, a callback): the lines of the functions, lambdas, classes and
generator expressions nested in a test are not its own.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from typing import TYPE_CHECKING

from deblock.analysis.nodes import walk
from deblock.analysis.test_paths import is_test_module

if TYPE_CHECKING:  # a warm run imports this module for ``Lines``, not the walker
    from deblock.analysis.walker import FunctionRecord

Lines = tuple[tuple[int, int], ...]

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# a mark that runs the tests it marks beside each other (pytest-asyncio-cooperative)
_TOGETHER = "asyncio_cooperative"


def lone_test_lines(
    tree: ast.Module, path: str, source: str, functions: list[FunctionRecord]
) -> Lines:
    """The runs of lines (first, last) that only the own statements of the module's lone
    tests hold: coroutines named ``test*``, at the top level of a test module or in a
    top-level ``Test*`` class, decorated (they and their class) only by ``pytest.mark``
    marks (not ``asyncio_cooperative``), not async generators, that no code of the module
    names (a name, an attribute, an import, a word of a string: ``getattr(self, "test_x")``;
    a comment calls nothing). A test whose name is a word of the module's text
    (``source``) only as often as the module and its classes define it is named nowhere:
    the code is read only for the others. ``functions``: the walk's records of the
    module's functions."""
    if not is_test_module(path):
        return ()
    words: Counter | None = None
    defined: Counter | None = None
    named: set[str] | None = None
    records: dict[int, FunctionRecord] | None = None
    runs: list[tuple[int, int]] = []
    for test in _collected(tree):
        if records is None:
            records = {id(r.node): r for r in functions if r.is_async}
        record = records[id(test)]
        if record.is_generator:  # an async generator
            continue
        if words is None:
            # the words that may name a test: a word starting "test", or a part of a word
            # (it then counts as naming the test, and the code is read)
            words, defined = Counter(re.findall(r"test\w*", source)), _defined(tree)
        if words[test.name] > defined[test.name]:
            named = _named(tree) if named is None else named
            if test.name in named:
                continue
        runs += _own_lines(test, record.nested)
    return tuple(runs)


def _defined(tree: ast.Module) -> Counter:
    """How often the module and its classes define each function name."""
    classes = [s.body for s in tree.body if isinstance(s, ast.ClassDef)]
    statements = [s for body in (tree.body, *classes) for s in body]
    return Counter(s.name for s in statements if isinstance(s, _FUNCTIONS))


def _named(tree: ast.Module) -> set[str]:
    """Every name the module's code uses, and every word of its strings that hold ``test``
    (only a test's name is looked up: a string without it names none)."""
    named: set[str] = set()
    for node in walk(tree):
        kind = node.__class__
        if kind is ast.Name:
            named.add(node.id)
        elif kind is ast.Attribute:
            named.add(node.attr)
        elif kind is ast.alias:
            named.add((node.asname or node.name).rpartition(".")[2])
            named.update(node.name.split("."))
        elif kind is ast.Constant and isinstance(node.value, str) and "test" in node.value:
            named.update(re.findall(r"\w+", node.value))
    return named


def in_lines(line: int, lines: Lines) -> bool:
    """Whether ``line`` lies in one of the runs ``lines``."""
    return any(first <= line <= last for first, last in lines)


def _collected(tree: ast.Module):
    """The coroutines pytest would collect as tests, run only as tests."""
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            if statement.name.startswith("Test") and _marks_only(statement):
                yield from (s for s in statement.body if _is_test(s))
        elif _is_test(statement):
            yield statement


def _is_test(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.AsyncFunctionDef)
        and node.name.startswith("test")
        and _marks_only(node)
    )


def _marks_only(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    """Whether every decorator of ``node`` is a ``pytest.mark`` mark that keeps its tests
    apart."""
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        dotted = ast.unparse(target).split(".")
        if dotted[:2] != ["pytest", "mark"] or len(dotted) < 3 or _TOGETHER in dotted:
            return False
    return True


def _own_lines(test: ast.AsyncFunctionDef, nested: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lines of ``test``'s body, without those a scope nested in it touches."""
    first, last = test.body[0].lineno, test.end_lineno
    runs = []
    for start, end in sorted(nested):
        if start > first:
            runs.append((first, start - 1))
        first = max(first, end + 1)
    if first <= last:
        runs.append((first, last))
    return runs
