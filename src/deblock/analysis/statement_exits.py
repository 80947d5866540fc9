"""Whether statements a fix would move into a helper leave it otherwise than at its end: a
``return`` midway, one from an async generator, a ``break`` or ``continue`` of a loop around
them.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import SCOPES, own_nodes

if TYPE_CHECKING:
    pass


LOOPS = (ast.For, ast.While)


# Why a helper's ``return`` cannot become the coroutine's (``generator_returns``).
FROM_GENERATOR = "from an async generator, which cannot return a helper's result"


def returns_in(statements: list[ast.stmt]) -> bool:
    """Whether the statements hold a ``return`` of their own function."""
    return any(isinstance(n, ast.Return) for s in statements for n in own_nodes(s))


def generator_returns(function: ast.AST, statements: list[ast.stmt]) -> bool:
    """Whether the statements return from ``function``, an async generator: it cannot
    return what a helper returns (``return await ...`` does not compile there)."""
    return returns_in(statements) and any(
        isinstance(n, ast.Yield | ast.YieldFrom) for n in own_nodes(function)
    )


def jumps_out(statements: list[ast.stmt]) -> bool:
    """Whether a ``break``/``continue`` leaves the statements (not a loop inside them)."""
    return any(_breaks_out(s, False) for s in statements)


def _breaks_out(node: ast.AST, in_loop: bool) -> bool:
    if isinstance(node, (ast.Break, ast.Continue)) and not in_loop:
        return True
    if isinstance(node, SCOPES):
        return False
    inner = in_loop or isinstance(node, LOOPS)
    return any(_breaks_out(c, inner) for c in ast.iter_child_nodes(node))
