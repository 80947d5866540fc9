"""Where code expects a call to raise: a test's ``pytest.raises`` block, a ``try`` that
catches cancellation. There a thread bridge is part of what runs: its machinery may raise
or be cancelled, so unwrapping it changes what the code observes."""

from __future__ import annotations

import ast

from deblock.analysis.cancellation import catches_cancellation, holds
from deblock.analysis.nodes import last_name

# Context managers of tests that expect the block to raise.
_RAISES = frozenset({"raises", "assertRaises", "assertRaisesRegex", "RaisesGroup"})


def expected_raise(function: ast.AST, node: ast.AST) -> str | None:
    """Why the code around ``node`` (inside ``function``) expects what it runs to raise,
    or None."""
    for statement in ast.walk(function):
        if isinstance(statement, (ast.With, ast.AsyncWith)) and holds(statement.body, node):
            for item in statement.items:
                name = isinstance(item.context_expr, ast.Call) and last_name(item.context_expr)
                if name in _RAISES:
                    return f"it runs inside `{name}(...)`, which expects it to raise"
        if isinstance(statement, ast.Try) and holds(statement.body, node):
            for handler in statement.handlers:
                if catches_cancellation(handler):
                    return "it runs inside a `try` that catches cancellation"
    return None
