"""Names a run of statements may leave unbound while the coroutine reads them after it.

A thread helper running the statements returns what they bind and the coroutine reads
later (``line, seen = await asyncio.to_thread(helper)``). A name they bind only on some
paths (a loop's target, a branch, a handler) may not exist when the helper returns: its
``return`` raises ``UnboundLocalError`` where the original read the name only on a path
that bound it (``line if seen else None`` after ``for line in fp``).
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import own_nodes


def unbound_read(function: ast.AST, statements: list[ast.stmt], they: str) -> str | None:
    """Why ``statements`` (called ``they`` in the reason) cannot move into a helper of
    coroutine ``function``: a name they may leave unbound that it reads elsewhere (and binds
    nowhere else), if any."""
    inside = {n for s in statements for n in own_nodes(s)}
    bound = {n.id for n in inside if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if not bound:
        return None
    outside = [n for n in own_nodes(function) if isinstance(n, ast.Name) and n not in inside]
    returned = bound - {n.id for n in outside if not isinstance(n.ctx, ast.Load)}  # not shared
    last = _bound_last(statements[-1], inside) if returned else set()
    caught = _read_when_raised(function, statements, returned - last, outside)
    if caught is not None:
        return (
            f"{they} `{caught}`, which the coroutine reads after an exception there: "
            "a helper that raises returns nothing"
        )
    surely = _surely_bound(statements)
    maybe = set() if surely is None else returned - surely  # None: nothing runs after them
    read = next((n.id for n in outside if n.id in maybe), None)
    return read and f"{they} `{read}` only on some paths, and the coroutine reads it after"


def _read_when_raised(function, statements, returned: set[str], outside) -> str | None:
    """A name of ``returned`` (bound only by ``statements``, handed back by the helper's
    ``return``) that the coroutine may read once they raised: in the handlers or the
    ``finally`` of a ``try`` around them, or after it when a handler lets it go on."""
    start = (statements[0].lineno, statements[0].col_offset)
    for node in own_nodes(function) if returned else ():
        if not isinstance(node, ast.Try | ast.TryStar) or not (node.handlers or node.finalbody):
            continue
        body = (
            (node.body[0].lineno, node.body[0].col_offset),
            (
                node.body[-1].end_lineno,
                node.body[-1].end_col_offset,
            ),
        )
        if not body[0] <= start <= body[1]:
            continue
        go_on = any(_surely_bound(h.body) is not None for h in node.handlers)
        after = body[1]
        for name in outside:
            at = (name.lineno, name.col_offset)
            if name.id in returned and isinstance(name.ctx, ast.Load) and at > after:
                if node.orelse and at <= (
                    node.orelse[-1].end_lineno,
                    node.orelse[-1].end_col_offset,
                ):
                    continue  # ``else`` runs only when they did not raise
                if go_on or at <= (node.end_lineno, node.end_col_offset):
                    return name.id
    return None


def _bound_last(last: ast.stmt, inside: set[ast.AST]) -> set[str]:
    """The names only ``last``, the last of the statements (whose nodes are ``inside``),
    binds, as the plain target of its assignment (``audio = open(path, "rb")``, khoj 1.42's
    ``transcribe``): bound once the value is made, with nothing left to raise after. When
    the statements raise, the name is not bound in the original either, so a helper that
    raises loses none of it. A name also bound before (a ``:=`` in the value too) is not."""
    targets = last.targets if isinstance(last, ast.Assign) else [getattr(last, "target", None)]
    if not isinstance(last, ast.Assign | ast.AnnAssign) or last.value is None:
        return set()
    names = {t.id for t in targets if isinstance(t, ast.Name)}
    if len(names) < len(targets):
        return set()  # an attribute or an item set after a name may raise
    elsewhere = {
        n.id
        for n in inside
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n not in targets
    }
    return names - elsewhere


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
    """What ``_surely_bound`` finds in one statement: what it binds, and what the ``:=`` of
    the expressions it always evaluates bind (``if (n := len(items)) > 0:``)."""
    found = _binds_past(statement)
    if found is None:
        return None
    return found.union(*(_walrus(e) for e in _always_evaluated(statement)))


def _always_evaluated(statement: ast.stmt) -> list[ast.expr]:
    """The expressions of ``statement`` that run whenever it runs: a value, a ``with``'s
    items, an ``if``'s or a loop's test or iterable (once at least), a ``match`` subject."""
    if isinstance(statement, ast.With | ast.AsyncWith):
        return [item.context_expr for item in statement.items]
    heads = (getattr(statement, f, None) for f in ("test", "iter", "subject", "value"))
    return [head for head in heads if isinstance(head, ast.expr)]


def _walrus(expr: ast.expr) -> set[str]:
    """The names the ``:=`` of ``expr`` bind whenever it is evaluated to its end: not those
    of an ``and``/``or`` past its first operand, of a conditional expression's branches, of
    a chained comparison past its second operand, or of a comprehension (it may not run)."""
    if isinstance(expr, ast.NamedExpr):
        return {expr.target.id} | _walrus(expr.value)
    if isinstance(expr, ast.BoolOp):
        parts = expr.values[:1]
    elif isinstance(expr, ast.IfExp):
        parts = [expr.test]
    elif isinstance(expr, ast.Compare):
        parts = [expr.left, expr.comparators[0]]
    elif isinstance(
        expr, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ):
        return set()
    else:
        parts = [c for c in ast.iter_child_nodes(expr) if isinstance(c, ast.expr)]
    return set().union(*(_walrus(p) for p in parts))


def _binds_past(statement: ast.stmt) -> set[str] | None:
    """What ``_binds`` finds beside the ``:=`` of the statement's own expressions."""
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
