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
    surely = _surely_bound(statements)
    maybe = set() if surely is None else bound - surely  # None: nothing runs after them
    if not maybe:
        return None
    outside = [n for n in own_nodes(function) if isinstance(n, ast.Name) and n not in inside]
    maybe -= {n.id for n in outside if not isinstance(n.ctx, ast.Load)}  # shared, not returned
    read = next((n.id for n in outside if n.id in maybe), None)
    return read and f"{they} `{read}` only on some paths, and the coroutine reads it after"


def _surely_bound(statements: list[ast.stmt]) -> set[str] | None:
    """The names ``statements`` bind on every path that runs them to their end (None: no
    path does, they always leave by a ``raise`` or a jump)."""
    names: set[str] = set()
    for statement in statements:
        if isinstance(statement, ast.Raise | ast.Return | ast.Break | ast.Continue):
            return None
        found = _binds(statement)
        if found is None:
            return None
        names |= found
    return names


def _binds(statement: ast.stmt) -> set[str] | None:
    """What ``_surely_bound`` finds in one statement."""
    if isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign):
        if isinstance(statement, ast.AnnAssign) and statement.value is None:
            return set()
        targets = getattr(statement, "targets", None) or [statement.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    if isinstance(statement, ast.With | ast.AsyncWith):
        made = {
            n.id
            for item in statement.items
            if item.optional_vars is not None
            for n in ast.walk(item.optional_vars)
            if isinstance(n, ast.Name)
        }
        body = _surely_bound(statement.body)
        return None if body is None else made | body
    if isinstance(statement, ast.Try | ast.TryStar):
        paths = [_surely_bound([*statement.body, *statement.orelse])]
        paths += [_surely_bound(handler.body) for handler in statement.handlers]
        final, going_on = _surely_bound(statement.finalbody), _on_every(paths)
        return None if final is None or going_on is None else final | going_on
    if isinstance(statement, ast.If):
        return _on_every([_surely_bound(statement.body), _surely_bound(statement.orelse)])
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).partition(".")[0] for a in statement.names}
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    return set()  # loops may not run their body; other statements bind nothing for sure


def _on_every(paths: list[set[str] | None]) -> set[str] | None:
    """The names bound on every path that goes on (None: none does)."""
    going_on = [p for p in paths if p is not None]
    return set.intersection(*going_on) if going_on else None
