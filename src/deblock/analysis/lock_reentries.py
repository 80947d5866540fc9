"""An ordered lock's body run on, with no suspension, into another ``async with`` on an
asyncio lock.

A task holding an asyncio lock that some holder suspends in (``FunctionRecord.ordered_locks``)
and running its body through without an await leaves it and comes to the next ``async
with`` on an asyncio lock that it reaches with no suspension between (the ``finally`` right
after, a block after the first): the same lock, which it finds free and takes again
without suspending when no task waited for it meanwhile, its two bodies running as one
hold, or another, which it asks for while the tasks that came before it already wait
there. An await a fix adds in the first body keeps the first lock taken while other tasks
ask for it: on the same lock they come before the task's second body (the lock hands
itself on in the order it was asked; fix_fuzz ``--supers`` 196125); on another, they are
held back behind the first, and the task comes to the second before them.
"""

from __future__ import annotations

import ast


def reentered(
    chain: list[list[ast.stmt]], ordered: list[ast.AsyncWith]
) -> tuple[ast.AsyncWith, ast.AsyncWith] | None:
    """The ordered lock's block whose body holds the first of ``chain``'s runs (joined runs,
    ``joined_runs.joined_chains``) and another ``async with`` on an asyncio lock whose body
    holds its last and not its first, the first's not its last; None if there are none."""
    if len(ordered) < 2:
        return None
    first, last = chain[0][0], chain[-1][0]
    holding = [block for block in ordered if _holds(block, first) and not _holds(block, last)]
    for taken in holding:
        for again in ordered:
            if again is not taken and _holds(again, last) and not _holds(again, first):
                return taken, again
    return None


def _holds(block: ast.AsyncWith, statement: ast.stmt) -> bool:
    """Whether ``statement`` lies in ``block``'s body."""
    return block.body[0].lineno <= statement.lineno <= block.body[-1].end_lineno
