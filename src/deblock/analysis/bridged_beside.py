"""Calls one branch of an ``if`` makes on the event loop that the other branch hands to a
thread (starlette's ``UploadFile.read``: ``if self._in_memory: return self.file.read(size)``,
else ``return await run_in_threadpool(self.file.read, size)``): the author keeps the call on
the loop only where it does no I/O (the file still in memory). Evidence in code: such a call
is not reported. The other branch is the ``else``, and the statements after the ``if`` when
its body leaves the block; it hands the callee over as written, uncalled, to a call it
awaits."""

from __future__ import annotations

import ast

from deblock.analysis.nodes import last_name
from deblock.analysis.walker import FunctionRecord

_LEAVES = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def mark_bridged_beside(record: FunctionRecord) -> None:
    """Mark (``nonblocking``) the calls of coroutine ``record`` whose callee the other
    branch of their ``if`` hands to a thread."""
    if not _may_be_handed(record):
        return
    beside: set[int] = set()
    for block in _blocks(record.node.body):
        for i, statement in enumerate(block):
            if not isinstance(statement, ast.If):
                continue
            leaves = isinstance(statement.body[-1], _LEAVES)
            rest = block[i + 1 :] if leaves else []
            sides = (statement.body, [*statement.orelse, *rest])
            handed = [_handed(_nodes(side)) for side in sides]
            for side, other in zip(sides, reversed(handed), strict=True):
                if other:
                    beside |= {id(c) for c in _calls(side) if ast.dump(c.func) in other}
    for candidate in record.calls:
        if id(candidate.node) in beside:
            candidate.nonblocking = True


def _blocks(statements: list[ast.stmt]):
    """``statements`` and every statement list nested in them, outside nested scopes."""
    yield statements
    for statement in statements:
        if isinstance(statement, _NESTED):
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(statement, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                yield from _blocks(inner)
            elif isinstance(inner, list):  # handlers, match cases
                for part in inner:
                    yield from _blocks(part.body)


def _nodes(statements: list[ast.stmt]):
    """The nodes of ``statements`` outside nested scopes."""
    todo = [statement for statement in statements if not isinstance(statement, _NESTED)]
    while todo:
        node = todo.pop()
        yield node
        todo += (n for n in ast.iter_child_nodes(node) if not isinstance(n, _NESTED))


def _calls(statements: list[ast.stmt]) -> list[ast.Call]:
    return [node for node in _nodes(statements) if isinstance(node, ast.Call)]


def _may_be_handed(record: FunctionRecord) -> bool:
    """Whether a call of ``record`` may have its callee handed to a call it awaits: a cheap
    test (its awaits, by last name) before any branch is walked."""
    handed = {last_name(argument) for argument in _arguments(record.suspensions)}
    return any(
        isinstance(c.node, ast.Call) and last_name(c.node.func) in handed for c in record.calls
    )


def _handed(nodes) -> set[str]:
    """The callees (dumped) that ``nodes`` hand, uncalled, to a call they await."""
    return {ast.dump(argument) for argument in _arguments(nodes)}


def _arguments(nodes):
    """The names and attributes among ``nodes`` passed, uncalled, to a call they await."""
    return (
        argument
        for node in nodes
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call)
        for argument in node.value.args
        if isinstance(argument, ast.Attribute | ast.Name)
    )
