"""Zero sleeps: awaits at which tasks come back in the order they went in.

``await asyncio.sleep(0)`` suspends once: the task is put at the end of the event loop's
ready queue, which runs first in, first out, so the tasks that pass zero sleeps go on in
the order they reached them, as from a wait at an asyncio lock. A coroutine that suspends
only there (or in its ordered locks' bodies) keeps its caller's order (``atomic_callers``'
held turn), where an await of I/O hands tasks on in any order.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from deblock.rules.sleep import ORDERED_SLEEPS

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord


def zero_sleeps(record: FunctionRecord, callee_of: Callable[[ast.AST], str | None]) -> list:
    """The awaits of coroutine ``record`` (among its ``suspensions``) of an ordered sleep
    (``ORDERED_SLEEPS``, as ``callee_of`` resolves a call) whose delay is a literal zero."""
    return [
        node
        for node in record.suspensions
        if node.__class__ is ast.Await
        and node.value.__class__ is ast.Call
        and _zero_delay(node.value)
        and callee_of(node.value) in ORDERED_SLEEPS
    ]


def _zero_delay(call: ast.Call) -> bool:
    """Whether ``call``'s one argument, its delay, is ``0`` or ``0.0``."""
    delays = [*call.args, *(k.value for k in call.keywords if k.arg == "delay")]
    if len(delays) != 1 or len(call.args) + len(call.keywords) != 1:
        return False
    delay = delays[0]
    return delay.__class__ is ast.Constant and type(delay.value) in (int, float) and not delay.value
