"""Waits for another thread that a coroutine makes after it has suspended.

``future.result()`` of a ``concurrent.futures.Future`` blocks until another thread (or
another loop) completes the future. A coroutine that awaited something first has usually
waited for it already: an event the future's callback sets (anyio's ``BlockingPortal``), a
message sent once the task has ended (starlette's test client). One that has not suspended
yet waits on the loop: ``run_coroutine_threadsafe(coro, loop).result()``, or
``pool.submit(f).result()``; and so does a wait on a future made in the same expression.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord


def suspended_before(record: FunctionRecord, call: ast.Call) -> bool:
    """Whether coroutine ``record`` suspends before ``call`` (in the source's order), on a
    receiver not made by a call in the same expression."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if receiver is None or isinstance(receiver, ast.Call):
        return False
    start = (call.lineno, call.col_offset)
    for point in record.suspensions:
        if isinstance(point, ast.AsyncWith | ast.AsyncFor):  # entered before its body
            at = (point.lineno, point.col_offset)
        else:
            at = (point.end_lineno, point.end_col_offset)
        if at <= start:
            return True
    return False
