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
