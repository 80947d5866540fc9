"""Names a run of statements may leave unbound while the coroutine reads them after it.

A thread helper running the statements returns what they bind and the coroutine reads
later (``line, seen = await asyncio.to_thread(helper)``). A name they bind only on some
paths (a loop's target, a branch, a handler) may not exist when the helper returns: its
``return`` raises ``UnboundLocalError`` where the original read the name only on a path
that bound it (``line if seen else None`` after ``for line in fp``).
"""

from __future__ import annotations

import ast

from deblock.analysis.shared_state import own_nodes


def unbound_read(function: ast.AST, statements: list[ast.stmt], they: str) -> str | None:
    """Why ``statements`` (called ``they`` in the reason) cannot move into a helper of
    coroutine ``function``: a name they may leave unbound that it reads elsewhere (and binds
    nowhere else), if any."""
    inside = {n for s in statements for n in own_nodes(s)}
    bound = {n.id for n in inside if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    maybe = bound - _surely_bound(statements)
    if not maybe:
        return None
    outside = [n for n in own_nodes(function) if isinstance(n, ast.Name) and n not in inside]
    maybe -= {n.id for n in outside if not isinstance(n.ctx, ast.Load)}  # shared, not returned
    read = next((n.id for n in outside if n.id in maybe), None)
    return read and f"{they} `{read}` only on some paths, and the coroutine reads it after"


def _surely_bound(statements: list[ast.stmt]) -> set[str]:
    """The names ``statements`` bind on every path that runs them to their end."""
    names: set[str] = set()
    for statement in statements:
        if isinstance(statement, ast.Assign | ast.AugAssign) or (
            isinstance(statement, ast.AnnAssign) and statement.value is not None
        ):
            targets = getattr(statement, "targets", None) or [statement.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(statement, ast.With):
            names |= {
                n.id
                for item in statement.items
                if item.optional_vars is not None
                for n in ast.walk(item.optional_vars)
                if isinstance(n, ast.Name)
            }
            names |= _surely_bound(statement.body)
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).partition(".")[0] for a in statement.names}
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
    return names
