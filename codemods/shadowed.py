"""The names a fix's imports bind that the code around the fix binds otherwise.

A fix adds ``import anyio`` at the top of the module and writes ``anyio.to_thread...`` in
a function; if that function (or one around it) has a parameter, an assignment or an import
of its own named ``anyio``, the fixed code reaches that local, unbound on a path that did not
assign it (asyncclick 8.4.2.1's ``prompt`` imports ``anyio`` in one branch: its fixed
``echo`` calls raised ``UnboundLocalError`` in the others); a module-level assignment of the
name replaces the import everywhere. Python's ``symtable`` says which names a scope binds.
"""

from __future__ import annotations

import ast
import symtable
from collections.abc import Iterable, Sequence

from deblock.findings import Finding


def _functions(table: symtable.SymbolTable) -> Iterable[symtable.SymbolTable]:
    for child in table.get_children():
        if child.get_type() == "function":
            yield child
        yield from _functions(child)


def _local(table: symtable.SymbolTable, name: str) -> bool:
    return name in table.get_identifiers() and table.lookup(name).is_local()


def shadowed(code: str, findings: Sequence[Finding], names: set[str]) -> dict[Finding, str]:
    """Each of ``findings`` inside a function (or lambda) that binds one of ``names`` as
    its own, or in a module that assigns it, with that name."""
    names = {name for name in names if name in code}  # a name never written is bound nowhere
    if not names or not findings:
        return {}
    top = symtable.symtable(code, "<fixed>", "exec")
    # a module-level assignment, def or class rebinds the name for every function
    rebound = {n for n in names if n in top.get_identifiers() and top.lookup(n).is_assigned()}
    tables: dict[tuple[str, int], list[symtable.SymbolTable]] = {}
    for table in _functions(top):
        tables.setdefault((table.get_name(), table.get_lineno()), []).append(table)
    scopes = [
        (node.lineno, node.end_lineno or node.lineno, tables.get((name, node.lineno), []))
        for node in ast.walk(ast.parse(code))
        if (name := _scope_name(node)) is not None
    ]
    found = {}
    for finding in findings:
        around = [t for start, end, ts in scopes if start <= finding.line <= end for t in ts]
        taken = sorted(n for n in names if n in rebound or any(_local(t, n) for t in around))
        if taken:
            found[finding] = taken[0]
    return found


def _scope_name(node: ast.AST) -> str | None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.name
    return "lambda" if isinstance(node, ast.Lambda) else None
