"""Import edits on the module's top-level statements: add what a fix needs, drop what it
made unused, and nothing else.

A new import goes where isort would put it (its section: standard library, third party;
``import x`` before ``from x import``, alphabetical), and a ``from`` import joins an
existing one of the same module. Both edits work on the statement list directly: LibCST's
``AddImportsVisitor``/``RemoveImportsVisitor`` re-walk and re-analyse the whole module on
every pass, which costs seconds per pass on large modules.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from collections.abc import Iterable

import libcst as cst

from .bridge import dotted


def root_name(expr: cst.BaseExpression) -> str | None:
    """``a`` for ``a.b.c``; ``None`` when the expression is not a dotted name."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


_ANNOTATION = re.compile(r"""[rbuRBU]?(['"])([\w.\[\], |]+)\1""")


def names_in(code: str) -> set[str] | None:
    """The identifiers ``code`` mentions, attribute names after ``.`` left out, those of
    string annotations (``"time.struct_time"``) in (``None`` when it does not tokenize)."""
    names, previous = set(), None
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.NAME and previous != ".":
                names.add(token.string)
            elif token.type == tokenize.STRING and (quoted := _ANNOTATION.fullmatch(token.string)):
                names.update(re.findall(r"(?<![\w.])[A-Za-z_]\w*", quoted.group(2)))
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                previous = token.string
    except (tokenize.TokenError, SyntaxError):
        return None
    return names


def _import_of(stmt: cst.CSTNode) -> cst.Import | cst.ImportFrom | None:
    if (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], (cst.Import, cst.ImportFrom))
    ):
        return stmt.body[0]
    return None


def _bound(alias: cst.ImportAlias, from_import: bool) -> str:
    if alias.asname is not None:
        return alias.evaluated_alias
    return alias.evaluated_name if from_import else alias.evaluated_name.split(".")[0]


def _from(imp: cst.CSTNode, module: str) -> bool:
    return (
        isinstance(imp, cst.ImportFrom)
        and not imp.relative
        and imp.module is not None
        and not isinstance(imp.names, cst.ImportStar)
        and cst.Module([]).code_for_node(imp.module) == module
    )


def _provided(body: list, module: str, obj: str | None) -> bool:
    for imp in map(_import_of, body):
        if obj is None and isinstance(imp, cst.Import):
            if any(a.asname is None and a.evaluated_name == module for a in imp.names):
                return True
        elif obj is not None and imp is not None and _from(imp, module):
            if any(a.asname is None and a.evaluated_name == obj for a in imp.names):
                return True
    return False


def _docstring(stmt: cst.CSTNode) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and isinstance(stmt.body[0], cst.Expr)
        and (isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))
    )


def _block(body: list) -> list[int]:
    """The indices of the leading import statements (after a docstring)."""
    start = 1 if body and _docstring(body[0]) else 0
    end = start
    while end < len(body) and _import_of(body[end]) is not None:
        end += 1
    return list(range(start, end))


def _module_of(imp: cst.Import | cst.ImportFrom) -> str:
    if isinstance(imp, cst.Import):
        return imp.names[0].evaluated_name
    return "" if imp.module is None else cst.Module([]).code_for_node(imp.module)


def _section(imp: cst.Import | cst.ImportFrom, first_party: str | None) -> int:
    """isort's sections: 0 ``__future__``, 1 standard library, 2 third party, 3 first
    party (the module's own top-level package ``first_party``), 4 local (relative)."""
    if isinstance(imp, cst.ImportFrom) and imp.relative:
        return 4
    root = _module_of(imp).split(".")[0]
    if root == first_party:
        return 3
    return 0 if root == "__future__" else 1 if root in sys.stdlib_module_names else 2


def _order(imp: cst.Import | cst.ImportFrom) -> tuple[bool, str]:
    """isort's order in a section: ``import x`` lines first, then ``from x import``."""
    return isinstance(imp, cst.ImportFrom), _module_of(imp).lower()


def _place(body: list, stmt: cst.SimpleStatementLine, first_party: str | None) -> None:
    """Insert the import ``stmt`` where isort would: in its section, in order."""
    block, new = _block(body), stmt.body[0]
    section = _section(new, first_party)

    if not block:  # the first import: after the docstring, two blank lines before a def
        index = 1 if body and _docstring(body[0]) else 0
        body.insert(index, stmt)
        after = body[index + 1] if index + 1 < len(body) else None
        if isinstance(after, (cst.FunctionDef, cst.ClassDef)):
            lines = after.leading_lines
            body[index + 1] = after.with_changes(
                leading_lines=[*[cst.EmptyLine()] * max(0, 2 - len(lines)), *lines]
            )
        return
    same = [i for i in block if _section(_import_of(body[i]), first_party) == section]
    later = [i for i in block if _section(_import_of(body[i]), first_party) > section]
    before = next((i for i in same if _order(_import_of(body[i])) > _order(new)), None)
    if before is None and same:
        body.insert(same[-1] + 1, stmt)
        return
    if before is None and not later:  # a new last section
        body.insert(block[-1] + 1, stmt.with_changes(leading_lines=[cst.EmptyLine()]))
        return
    index, separator = (before, []) if before is not None else (later[0], [cst.EmptyLine()])
    if index == (same or later)[0]:  # first of its section: take over the lines above it
        lines = body[index].leading_lines
        body[index] = body[index].with_changes(leading_lines=separator)
        stmt = stmt.with_changes(leading_lines=lines)
    body.insert(index, stmt)


def _add(
    body: list, module: str, obj: str | None, first_party: str | None, asname: str | None
) -> None:
    if asname is not None:  # a name of deblock's own (a common lock): a statement of its own
        alias = cst.ImportAlias(cst.Name(obj), asname=cst.AsName(cst.Name(asname)))
        new = cst.ImportFrom(module=dotted(module), names=[alias])
        _place(body, cst.SimpleStatementLine([new]), first_party)
        return
    if _provided(body, module, obj):
        return
    for i, stmt in enumerate(body):
        imp = _import_of(stmt)
        if obj is not None and imp is not None and _from(imp, module):
            names = [*imp.names[:-1], imp.names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
            body[i] = stmt.with_changes(
                body=[imp.with_changes(names=[*names, cst.ImportAlias(cst.Name(obj))])]
            )
            return
    if obj is None:
        new: cst.BaseSmallStatement = cst.Import([cst.ImportAlias(dotted(module))])
    else:
        new = cst.ImportFrom(module=dotted(module), names=[cst.ImportAlias(cst.Name(obj))])
    _place(body, cst.SimpleStatementLine([new]), first_party)


def _drop(body: list, unused: set[str]) -> list:
    """``body`` without the import aliases binding ``unused`` names; a removed statement's
    blank lines pass to the next statement."""
    kept_body, carry = [], None
    for stmt in body:
        imp = _import_of(stmt)
        if imp is not None and not isinstance(imp.names, cst.ImportStar):
            from_import = isinstance(imp, cst.ImportFrom)
            kept = [a for a in imp.names if _bound(a, from_import) not in unused]
            if not kept:
                carry = carry or stmt.leading_lines
                continue
            if len(kept) < len(imp.names):
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                stmt = stmt.with_changes(body=[imp.with_changes(names=kept)])
        if carry and not stmt.leading_lines:
            stmt = stmt.with_changes(leading_lines=carry)
        carry = None
        kept_body.append(stmt)
    return kept_body


def edit_imports(
    before: cst.Module,
    after: cst.Module,
    add: Iterable[tuple[str, str | None, str | None]],
    released: set[str],
    first_party: str | None = None,
) -> cst.Module:
    """``after`` with the imports ``add`` needs (in isort's sections, ``first_party``
    naming the module's own top-level package), without those binding a ``released``
    name nothing references any more; never starting with blank lines it did not have."""
    body = list(after.body)
    for module, obj, asname in dict.fromkeys(add):
        _add(body, module, obj, first_party, asname)
    if released:
        rest = after.with_changes(body=[s for s in body if _import_of(s) is None])
        used = names_in(rest.code)
        if used is not None:
            body = _drop(body, released - used)
    if body and before.body and not before.body[0].leading_lines and not after.header:
        body[0] = body[0].with_changes(
            leading_lines=[line for line in body[0].leading_lines if line.comment is not None]
        )
    return after.with_changes(body=body)


def release(codemod, func: cst.BaseExpression) -> None:
    """Let the import binding ``func``'s root name go, if the fix left it unused."""
    name = root_name(func)
    if name is not None:
        codemod.released.add(name)
