"""The calls of a coroutine that a handler of its own may catch what they raise from."""

from __future__ import annotations

import ast

from deblock.analysis.walker import FunctionRecord

_TRIES = (ast.Try, ast.TryStar)


def caught_calls(record: FunctionRecord, calls: dict[ast.AST, int]) -> list[ast.AST]:
    """Those of ``calls`` that lie in the body of a ``try`` of ``record``'s own code with
    handlers: the coroutine may go on after what they raise (``CallSite.caught``)."""
    bodies = [
        ((node.body[0].lineno, node.body[0].col_offset), _end(node.body[-1]))
        for node in record.own_code
        if node.__class__ in _TRIES and node.handlers
    ]
    return [
        call
        for call in calls
        if any(start <= (call.lineno, call.col_offset) <= end for start, end in bodies)
    ]


def _end(node: ast.AST) -> tuple[int, int]:
    return node.end_lineno, node.end_col_offset
