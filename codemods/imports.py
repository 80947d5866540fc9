"""Import bookkeeping: drop the import a fix stopped using, and nothing else."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodCommand
from libcst.helpers import get_full_name_for_node


def root_name(expr: cst.BaseExpression) -> str | None:
    """``a`` for ``a.b.c``; ``None`` when the expression is not a dotted name."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def release(codemod: CodemodCommand, func: cst.BaseExpression) -> None:
    """Schedule removal of the import binding ``func``'s root name, if the fix left it unused."""
    name = root_name(func)
    module = codemod.context.module
    if name is None or module is None:
        return
    for node in m.findall(module, m.Import() | m.ImportFrom()):
        if isinstance(node, cst.Import):
            for alias in node.names:
                if (alias.evaluated_alias or alias.evaluated_name.split(".")[0]) == name:
                    codemod.remove_unused_import(alias.evaluated_name, asname=alias.evaluated_alias)
        elif node.module is not None and not node.relative and not isinstance(
            node.names, cst.ImportStar
        ):
            for alias in node.names:
                if (alias.evaluated_alias or alias.evaluated_name) == name:
                    codemod.remove_unused_import(
                        get_full_name_for_node(node.module), alias.evaluated_name,
                        alias.evaluated_alias,
                    )


def _imports(module: cst.Module) -> dict[str, cst.SimpleStatementLine]:
    """Top-level import statements by their code without leading lines."""
    found = {}
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and isinstance(
            stmt.body[0], (cst.Import, cst.ImportFrom)
        ):
            found[module.code_for_node(stmt.with_changes(leading_lines=()))] = stmt
    return found


def tidy(before: cst.Module, after: cst.Module) -> cst.Module:
    """Keep the import block's blank lines where removing and adding imports moved them.

    An added import takes the place (blank lines above it) of a removed one, a new
    import block is followed by two blank lines before a ``def``, and the module never
    starts with blank lines it did not have.
    """
    old, new = _imports(before), _imports(after)
    removed = [s for code, s in old.items() if code not in new and s.leading_lines]
    added = [s for code, s in new.items() if code not in old and not s.leading_lines]
    body = list(after.body)
    if removed and added:
        index = next(i for i, s in enumerate(body) if s is added[0])
        body[index] = added[0].with_changes(leading_lines=removed[0].leading_lines)
    if added and not old:  # a new import block: two blank lines before a def (PEP 8)
        index = next(i for i, s in enumerate(body) if s is added[-1]) + 1
        if index < len(body) and isinstance(body[index], (cst.FunctionDef, cst.ClassDef)):
            lines = body[index].leading_lines
            blanks = [cst.EmptyLine()] * max(0, 2 - len(lines))
            body[index] = body[index].with_changes(leading_lines=[*blanks, *lines])
    if body and before.body and not before.body[0].leading_lines and not after.header:
        body[0] = body[0].with_changes(leading_lines=[
            line for line in body[0].leading_lines if line.comment is not None])
    return after.with_changes(body=body)
