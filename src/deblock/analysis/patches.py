"""Patches a coroutine puts in place with no await between them and a blocking call.

aioesphomeapi's test starts a server (its accept loop is a task), connects to it with a
blocking ``socket.create_connection``, then enters ``patch.object(server, ...)``: on the
loop the server cannot accept before the patch is in place. An await a fix adds at the
connect lets the tasks already running act first, on what the patch replaces; one added
inside a patch's block that never awaits shows them the patch, which they never saw.
``unittest.mock``'s patches (``patch``, ``mock.patch.object``, ``mocker.patch``) and
pytest's ``monkeypatch`` count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

from deblock.analysis.nodes import last_name, own_nodes

if TYPE_CHECKING:
    from deblock.analysis.walker import Candidate

# What ``patch`` is called on: ``unittest.mock`` (``mock.patch``), pytest-mock's fixture.
_MOCKS = frozenset({"mock", "mocker"})
_PATCH_KINDS = frozenset({"object", "dict", "multiple"})  # ``patch.object(...)``


def patches_state(calls: Iterable[Candidate]) -> bool:
    """Whether one of a coroutine's ``calls`` (the walk's) puts a patch in place: only
    then can it have patch regions."""
    return any(_is_patch(call.node) for call in calls)


def patch_regions(function: ast.AST, suspensions: list[ast.AST]) -> list[tuple[int, int, str]]:
    """For each patch coroutine ``function`` puts in place, the lines from its last
    suspension point before the patch to the patch (to the end of a ``with`` block that
    holds none), with why an await there would change the program."""
    points = sorted((node.end_lineno, node.lineno) for node in suspensions)
    nodes = list(own_nodes(function))
    scoped = {
        id(item.context_expr): statement
        for statement in nodes
        if isinstance(statement, ast.With)
        for item in statement.items
    }
    regions = []
    for node in nodes:
        if node.__class__ is not ast.Call or not _is_patch(node):
            continue
        before = [end for end, _ in points if end < node.lineno]
        last = node.lineno
        block = scoped.get(id(node))
        if block is not None and not any(block.lineno <= s <= block.end_lineno for _, s in points):
            last = block.end_lineno
        shown = ast.unparse(node.func)
        why = (
            f"`{shown}(...)` (line {node.lineno}) patches with no await between: on the event "
            "loop no other task runs meanwhile, and an await here would let them run on what "
            "the patch replaces, or see the patch"
        )
        regions.append((before[-1] + 1 if before else function.lineno, last, why))
    return regions


def _is_patch(node: ast.expr) -> bool:
    """A call of ``unittest.mock``'s ``patch`` (``patch.object``, ``mock.patch.dict``,
    ``mocker.patch``) or of a ``monkeypatch`` fixture's method; not an HTTP client's
    ``patch`` (``requests.patch(url)``, ``session.patch(url)``)."""
    if node.__class__ is not ast.Call:
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and last_name(func.value) == "monkeypatch":
        return True
    if isinstance(func, ast.Attribute) and func.attr in _PATCH_KINDS:
        func = func.value
    if isinstance(func, ast.Attribute):
        return func.attr == "patch" and last_name(func.value) in _MOCKS
    return isinstance(func, ast.Name) and func.id == "patch"
