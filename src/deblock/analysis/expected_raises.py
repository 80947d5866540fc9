"""Where code expects a call to raise: a test's ``pytest.raises`` block, a ``try`` that
catches cancellation. There a thread bridge is part of what runs: its machinery may raise
or be cancelled, so unwrapping it changes what the code observes."""

from __future__ import annotations

import ast

from deblock.analysis.cancellation import catches_cancellation, lines_of
from deblock.analysis.nodes import last_name

# Context managers of tests that expect the block to raise.
_RAISES = frozenset({"raises", "assertRaises", "assertRaisesRegex", "RaisesGroup"})


def raise_regions(statements: list[ast.stmt]) -> list[tuple[int, int, str]]:
    """The lines of a function whose code expects what it runs to raise, each with why:
    the blocks of ``pytest.raises(...)`` and the like, ``try`` bodies that catch
    cancellation. ``statements``: the function's ``try`` and ``with`` statements."""
    regions = []
    for statement in statements:
        if isinstance(statement, ast.With | ast.AsyncWith):
            for item in statement.items:
                name = isinstance(item.context_expr, ast.Call) and last_name(item.context_expr)
                if name in _RAISES:
                    why = f"it runs inside `{name}(...)`, which expects it to raise"
                    regions.append((*lines_of(statement.body), why))
        elif isinstance(statement, ast.Try):
            if any(catches_cancellation(handler) for handler in statement.handlers):
                why = "it runs inside a `try` that catches cancellation"
                regions.append((*lines_of(statement.body), why))
    return regions
