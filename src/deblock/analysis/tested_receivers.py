"""Calls on an object right after a test of it, with no await between
(``while not self.queue.empty(): self.queue.get()``).

On the event loop the test and the call run as one piece: no other task comes between
them. A fix that runs the call in a worker thread awaits it, and other tasks run before
the thread starts: they may act on the object first, and what the test found no longer
holds when the call runs (shiny 1.8.0's reactive flush: two tasks flushed at once, one
took the item the other had found, whose ``get()`` then waited in its thread for ever).
The project pass offers such a call's thread only as unsafe, saying so
(``CallSite.tested``); the module pass marks the sites.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.nodes import dotted_name, own_nodes
from deblock.analysis.positions import lies_between
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.walker import FunctionRecord

_WAITS = {"get": "a `get()` of a queue they emptied would wait in its thread for ever"}


def mark_tested_sites(
    records: list[FunctionRecord],
    functions: dict[str, FunctionSummary],
    suspended: list[tuple[int, int]],
    span: Callable[[ast.expr], tuple[int, int, int, int]],
) -> None:
    """Set ``CallSite.tested`` of each coroutine's call site ``r.m()`` that runs in the
    body or ``else`` of an ``if`` or ``while`` whose test calls a method of ``r`` (or takes
    its ``len``), with no suspension between (``suspended``: the module's suspension
    points, sorted); ``span``: a node's site span."""
    for record in records:
        summary = functions.get(record.qualname) if record.is_async else None
        calls = [
            (candidate, receiver)
            for candidate in (record.calls if summary and summary.sites else ())
            if candidate.conditional and (receiver := _receiver(candidate.node))
        ]
        tests = _receiver_tests(record) if calls else None
        if not tests:
            continue
        sites = {site.span: site for site in summary.sites}
        for candidate, receiver in calls:
            site = sites.get(span(candidate.node)) if receiver in tests else None
            if site is None:
                continue
            start = (candidate.node.lineno, candidate.node.col_offset)
            for test, within in tests[receiver]:
                end = (test.end_lineno, test.end_col_offset)
                apart = lies_between(suspended, end, start)
                if within(candidate.node) and end < start and not apart:
                    site.tested = _reason(receiver, test, candidate.node.func.attr)
                    break


def _receiver(node: ast.AST) -> str | None:
    """The receiver of method call ``node`` (``q`` of ``q.get()``), if it is a dotted name."""
    func = getattr(node, "func", None)
    return dotted_name(func.value) if func.__class__ is ast.Attribute else None


def _receiver_tests(record: FunctionRecord) -> dict[str, list[tuple[ast.expr, Callable]]]:
    """By receiver, the tests of the function's own ``if`` and ``while`` statements that
    call a method of it or take its ``len``, each with whether a node is in its statement's
    body or ``else``."""
    found: dict[str, list[tuple[ast.expr, Callable]]] = {}
    for statement in record.own_code:
        if statement.__class__ not in (ast.If, ast.While):
            continue
        first = statement.body[0].lineno
        last = (statement.orelse or statement.body)[-1].end_lineno

        def within(node: ast.AST, first: int = first, last: int = last) -> bool:
            return first <= node.lineno and node.end_lineno <= last

        for receiver in {_tested(node) for node in own_nodes(statement.test)} - {None}:
            found.setdefault(receiver, []).append((statement.test, within))
    return found


def _tested(node: ast.AST) -> str | None:
    """The receiver whose state call ``node`` asks: ``q`` of ``q.empty()``, ``len(q)``."""
    if node.__class__ is not ast.Call:
        return None
    func = node.func
    if func.__class__ is ast.Attribute:
        return dotted_name(func.value)
    if func.__class__ is ast.Name and func.id == "len" and len(node.args) == 1:
        return dotted_name(node.args[0])
    return None


def _reason(receiver: str, test: ast.expr, method: str) -> str:
    waits = _WAITS.get(method)
    return (
        f"it acts on `{receiver}` right after the test of it at line {test.lineno}, with no "
        "await between: the thread's await would let other tasks act on it first, and what "
        "the test found may no longer hold when the thread runs" + (f" ({waits})" if waits else "")
    )
