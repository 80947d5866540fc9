"""An ordered lock's body run on, with no suspension, into another ``async with`` on it.

A task holding an asyncio lock that some holder suspends in (``FunctionRecord.ordered_locks``)
and running its body through without an await leaves it and takes it again at the next
``async with`` on the same lock that it reaches with no suspension between (the ``finally``
right after, a block after the first): when no task waited for the lock meanwhile, it finds
the lock free and takes it without suspending, and its two bodies run as one hold. An await
a fix adds in the first body lets other tasks ask for the lock while the task holds it; the
lock hands itself on in the order it was asked, so at the second ``async with`` the task
waits behind them, and their bodies come between its two (fix_fuzz ``--supers`` 196125).
"""

from __future__ import annotations

import ast


def reentered(
    chain: list[list[ast.stmt]], ordered: list[ast.AsyncWith]
) -> tuple[ast.AsyncWith, ast.AsyncWith] | None:
    """The ordered lock's block whose body holds the first of ``chain``'s runs (joined runs,
    ``joined_runs.joined_chains``) and another ``async with`` on the same lock whose body
    holds its last and not its first, the first's not its last; None if there are none."""
    if len(ordered) < 2:
        return None
    first, last = chain[0][0], chain[-1][0]
    holding = [block for block in ordered if _holds(block, first) and not _holds(block, last)]
    for taken in holding:
        lock = ast.dump(taken.items[0].context_expr)
        for again in ordered:
            if again is not taken and _holds(again, last) and not _holds(again, first):
                if ast.dump(again.items[0].context_expr) == lock:
                    return taken, again
    return None


def _holds(block: ast.AsyncWith, statement: ast.stmt) -> bool:
    """Whether ``statement`` lies in ``block``'s body."""
    return block.body[0].lineno <= statement.lineno <= block.body[-1].end_lineno
