"""Runs of a coroutine's statements with no suspension point between them: each runs with
no other task interleaving, the unit the section planner weighs (``sections``).
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from typing import TYPE_CHECKING

from deblock.analysis.joined_runs import inner_bodies

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord


def segment_spans(record: FunctionRecord, lines: list[int]) -> list[tuple[int, int]]:
    """The first and last line of each run of the coroutine's statements with no
    suspension point that holds two or more of ``lines`` (calls that may share it)."""
    spans = []
    for segment in statement_runs(record):
        span = (segment[0].lineno, segment[-1].end_lineno)
        if sum(span[0] <= line <= span[1] for line in lines) > 1:
            spans.append(span)
    return spans


def statement_runs(
    record: FunctionRecord, through: frozenset[ast.AST] = frozenset()
) -> list[list[ast.stmt]]:
    """Runs of coroutine ``record``'s statements with no suspension point, in its body and
    in the bodies of its statements that suspend (found from the suspension points the
    walk recorded, ``FunctionRecord.suspensions``, except those in ``through``)."""
    points = [node for node in record.suspensions if node not in through]
    return runs_apart([record.node.body], points)


def runs_apart(bodies: list[list[ast.stmt]], nodes: list[ast.AST]) -> list[list[ast.stmt]]:
    """Runs of the statements of ``bodies`` (and of the bodies of those that hold one of
    ``nodes``) in which none of ``nodes`` lies."""
    points = sorted((node.lineno, node.col_offset) for node in nodes)
    segments: list[list[ast.stmt]] = []
    while bodies:
        run: list[ast.stmt] = []
        for statement in bodies.pop(0):
            if not _holds(statement, points):
                run.append(statement)
                continue
            if run:
                segments.append(run)
            run = []
            bodies += inner_bodies(statement)
        if run:
            segments.append(run)
    return segments


def _holds(statement: ast.stmt, points: list[tuple[int, int]]) -> bool:
    """Whether one of the sorted positions ``points`` lies within ``statement``."""
    i = bisect_left(points, (statement.lineno, statement.col_offset))
    return i < len(points) and points[i] <= (statement.end_lineno, statement.end_col_offset)
