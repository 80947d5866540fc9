"""Why a coroutine's sync ``with`` block cannot move whole into a worker thread.

The fix that moves it (``def _fh_in_thread(): with ...``, awaited in a thread) needs a
block that neither suspends (``await``, ``yield``, ``async for``, ``async with``) nor leaves
a loop around it, that returns on every path or on none, and whose file handles (its
``as`` names) the coroutine does not read after it when it also binds them elsewhere: the
helper then keeps them to itself (a handle only the block binds, it returns).
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import own_nodes
from deblock.analysis.statement_exits import (
    FROM_GENERATOR,
    generator_returns,
    jumps_out,
    returns_in,
)
from deblock.analysis.thread_bound import frame_bound

_SUSPENDS = {
    ast.Await: "the block awaits",
    ast.Yield: "the block yields",
    ast.YieldFrom: "the block yields",
    ast.AsyncFor: "the block uses `async for`",
    ast.AsyncWith: "the block uses `async with`",
}


def move_blocker(function: ast.AST, block: ast.With) -> str | None:
    """Why ``block`` of coroutine ``function`` cannot move into a thread helper (``None``
    when it can)."""
    suspends = [
        (n.lineno, n.col_offset, why) for n in own_nodes(block) if (why := _SUSPENDS.get(type(n)))
    ]
    if suspends:
        return max(suspends)[2]  # the last one
    if jumps_out([block]):
        return "the block breaks out of or continues a loop around it"
    bound = frame_bound([block])
    if bound is not None:
        return f"the block uses {bound}"
    if returns_in([block]) and not _ends_in_return(block.body):
        return "the block returns on some paths only"
    if generator_returns(function, [block]):
        return f"the block returns {FROM_GENERATOR}"
    read = next(
        (n for n in handle_reads_after(function, block) if _bound_outside(n, function, block)), None
    )
    return read and f"the coroutine reads the block's handle `{read.id}` after it"


def _bound_outside(name: ast.Name, function: ast.AST, block: ast.With) -> bool:
    """Whether ``function`` binds ``name`` outside ``block`` too: the helper then keeps the
    block's handle to itself (it returns one that only the block binds)."""
    inside = set(own_nodes(block))
    return any(
        isinstance(n, ast.Name) and n.id == name.id and not isinstance(n.ctx, ast.Load)
        for n in own_nodes(function)
        if n not in inside
    )


def _ends_in_return(statements: list[ast.stmt]) -> bool:
    last = statements[-1]
    if isinstance(last, ast.With):
        return _ends_in_return(last.body)
    return isinstance(last, ast.Return)


def handle_reads_after(function: ast.AST, block: ast.With) -> list[ast.Name]:
    """The reads of ``block``'s handles in coroutine ``function`` that may read what the
    block bound: after it with no other binding of the name between (by position), or
    before it when a loop around it runs it again."""
    handles = {i.optional_vars.id for i in block.items if isinstance(i.optional_vars, ast.Name)}
    if not handles:
        return []
    inside = set(own_nodes(block))
    names = [n for n in own_nodes(function) if isinstance(n, ast.Name) and n.id in handles]
    end = (block.end_lineno, block.end_col_offset)
    stores = [_at(n) for n in names if not isinstance(n.ctx, ast.Load) and n not in inside]
    looped = _in_loop(function, block)
    return [
        n
        for n in names
        if isinstance(n.ctx, ast.Load)
        and n not in inside
        and (not any(end <= s < _at(n) for s in stores) if _at(n) >= end else looped)
    ]


def _at(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)


def _in_loop(function: ast.AST, block: ast.With) -> bool:
    """Whether a loop of ``function`` (its own) holds ``block``."""
    return any(
        isinstance(loop, ast.For | ast.While | ast.AsyncFor) and block in set(own_nodes(loop))
        for loop in own_nodes(function)
    )
