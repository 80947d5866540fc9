"""Break the long lines a fix made, as a careful human (or ruff format) would.

A one-line statement, or a compound statement's one-line header (``async with``, ``for``,
``if``, ``while``), that the fixes wrote (its text is not in the original module), that
carries no trailing comment and runs past the project's line length is opened at its
outermost brackets with the longest content (a call's arguments, a parenthesised
expression, a display or comprehension): the content goes on an indented line of its own,
the closing bracket on the next. When that line is still too long, what it holds is opened
in turn (a lone call argument, the call in parentheses), or a call's arguments take a line
each, with a trailing comma (not after a call's lone generator expression, where it would
not parse). An assignment's or ``return``'s value that no bracket ends (``await f(a) if c
else None``) is opened in brackets of its own instead. Only whitespace and such brackets
change: the syntax tree stays the same.
"""

from __future__ import annotations

import os
import sys

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from deblock.project.dependencies import project_directory

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_LINE_LENGTH = 88  # ruff's and black's


def line_length(path: str) -> int:
    """The line length of the project that owns ``path``: ``[tool.ruff]`` or
    ``[tool.black]`` ``line-length`` in its ``pyproject.toml``, else 88."""
    directory = project_directory(os.path.dirname(os.path.abspath(path)))
    if directory is None:
        return DEFAULT_LINE_LENGTH
    try:
        with open(os.path.join(directory, "pyproject.toml"), "rb") as fh:
            tools = tomllib.load(fh).get("tool", {})
    except (OSError, ValueError):
        return DEFAULT_LINE_LENGTH
    for tool in ("ruff", "black"):
        length = tools.get(tool, {}).get("line-length")
        if isinstance(length, int) and length > 0:
            return length
    return DEFAULT_LINE_LENGTH


def wrapped(module: cst.Module, original: str, limit: int) -> cst.Module:
    """``module`` with the long lines its fixes wrote broken (``original``: its text
    before the fixes)."""
    known = {line.strip() for line in original.splitlines()}
    new = (line for line in module.code.splitlines() if len(line) > limit)
    if all(line.strip() in known for line in new):
        return module  # no long line is new (the usual case: no positions to compute)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    lines = module.code.splitlines()
    long = {}
    for node, position in positions.items():
        commented = _commented(node)
        if commented is None or commented:
            continue  # type-ignore and noqa comments must stay on the line they name
        if isinstance(node, cst.SimpleStatementLine):
            text = module.code_for_node(node.with_changes(leading_lines=[])).strip()
        elif positions[_header(node)[-1]].end.line == position.start.line:
            text = lines[position.start.line - 1].strip()  # ``elif`` as written
        else:
            continue  # a header on several lines
        if "\n" in text or text in known:
            continue
        indent = position.start.column
        if indent + len(text) > limit:
            long[node] = indent
    if not long:
        return module
    return module.visit(_Breaker(long, limit, module.default_indent))


# A compound statement's header: the fields its brackets may be in, the last one last.
_HEADERS = {
    cst.With: ("items",),
    cst.For: ("target", "iter"),
    cst.If: ("test",),
    cst.While: ("test",),
}


def _commented(node: cst.CSTNode) -> bool | None:
    """Whether a one-line statement (a lone one) or a compound statement's header carries
    a trailing comment; ``None`` for any other node."""
    if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1:
        return node.trailing_whitespace.comment is not None
    if type(node) in _HEADERS and isinstance(node.body, cst.IndentedBlock):
        return node.body.header.comment is not None
    return None


def _header(node: cst.CSTNode) -> list[cst.CSTNode]:
    """What of a statement may hold brackets to open: a one-line statement's children, a
    compound statement's header."""
    if isinstance(node, cst.SimpleStatementLine):
        return list(node.children)
    parts = (getattr(node, field) for field in _HEADERS[type(node)])
    return [item for part in parts for item in ([part] if isinstance(part, cst.CSTNode) else part)]


_VALUED = (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return)
_BRACED = (cst.Set, cst.Dict, cst.SetComp, cst.DictComp)
_BRACKETED = (cst.List, cst.ListComp, *_BRACED)


class _Outermost(cst.CSTVisitor):
    """The bracketed parts of a statement that no other holds: calls with arguments,
    parenthesised expressions, displays and comprehensions."""

    def __init__(self) -> None:
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Lambda):
            return False  # its body runs later: not where a human breaks the line
        if isinstance(node, cst.FormattedString):
            return False  # a replacement field may not span lines (before Python 3.12)
        if _content(node) is None:
            return True
        self.found.append(node)
        return False


def _content(node: cst.CSTNode) -> str | None:
    """The text between the brackets ``node`` opens, if it opens any (an import of names
    may take brackets it does not have)."""
    if isinstance(node, cst.ImportFrom):
        if isinstance(node.names, cst.ImportStar):
            return None
        return _joined(node.names)
    if len(getattr(node, "lpar", ())) == 1:
        return _code(node.with_changes(lpar=[], rpar=[]))
    if isinstance(node, cst.Call):
        return _joined(node.args) or None
    if isinstance(node, _BRACKETED):
        return _code(node)[1:-1].strip()
    return None


def _widest(parts: list[cst.CSTNode]) -> cst.CSTNode | None:
    outermost = _Outermost()
    for part in parts:
        part.visit(outermost)
    return max(outermost.found, key=lambda n: len(_content(n)), default=None)


class _Breaker(cst.CSTTransformer):
    """Open, in each long statement, its outermost brackets with the longest content."""

    def __init__(self, long: dict[cst.CSTNode, int], limit: int, unit: str):
        self.long, self.limit, self.unit = long, limit, unit

    def on_leave(self, original, updated):
        if original not in self.long:
            return updated
        target = _widest(_header(updated))
        if target is None:
            return updated
        opening = target
        value = _right_side(updated, target)
        if value is not None:  # the value opens in brackets of its own
            target = value
            opening = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        opened = _open(opening, self.long[original], 1, self.limit, self.unit)
        return updated.deep_replace(target, opened)


def _right_side(line: cst.CSTNode, target: cst.CSTNode) -> cst.CSTNode | None:
    """The value of an assignment or ``return`` to open in brackets of its own, as ruff
    format does, when it holds the ``target`` brackets but no bracket ends it (attribute
    names aside): opening ``target`` would leave the rest after it (``await f(a) if c
    else None``)."""
    if not isinstance(line, cst.SimpleStatementLine):
        return None
    statement = line.body[0]
    value = getattr(statement, "value", None)
    if not isinstance(statement, _VALUED) or value is None or value.lpar:
        return None
    end = value
    while isinstance(end, cst.Attribute) and not end.lpar:  # ``(await f(a)).stdout``
        end = end.value
    if _code(end).endswith((")", "]", "}")) or _code(target) not in _code(value):
        return None
    return value


def _open(node: cst.CSTNode, indent: int, depth: int, limit: int, unit: str) -> cst.CSTNode:
    """``node`` with its content on lines ``depth`` units below the statement's ``indent``
    (and, when that is still too long, what the content holds opened in turn)."""
    fits = indent + len(unit) * depth + len(_content(node)) <= limit
    if isinstance(node, cst.ImportFrom):
        return _bracketed_names(node, depth, unit, fits)
    if len(getattr(node, "lpar", ())) == 1:
        inner = node.with_changes(lpar=[], rpar=[])
        if not fits and isinstance(inner, cst.Call) and inner.args:
            inner = _open(inner, indent, depth + 1, limit, unit)
        elif not fits and (deeper := _widest(list(inner.children))) is not None:
            inner = inner.deep_replace(deeper, _open(deeper, indent, depth + 1, limit, unit))
        lpar = node.lpar[0].with_changes(whitespace_after=_break(depth, unit))
        rpar = node.rpar[0].with_changes(whitespace_before=_break(depth - 1, unit))
        return inner.with_changes(lpar=[lpar], rpar=[rpar])
    if isinstance(node, cst.Call):
        return _split(node, indent, depth, limit, unit, fits)
    left, right = ("lbrace", "rbrace") if isinstance(node, _BRACED) else ("lbracket", "rbracket")
    return node.with_changes(
        **{
            left: getattr(node, left).with_changes(whitespace_after=_break(depth, unit)),
            right: getattr(node, right).with_changes(whitespace_before=_break(depth - 1, unit)),
        }
    )


def _joined(items) -> str:
    """The text of a call's arguments or an import's names on one line."""
    return ", ".join(map(_code, _without_commas(items)))


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _break(depth: int, unit: str) -> cst.ParenthesizedWhitespace:
    """A line break, then the statement's indentation and ``depth`` more units."""
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        empty_lines=[],
        indent=True,
        last_line=cst.SimpleWhitespace(unit * depth),
    )


def _split(call: cst.Call, indent: int, depth: int, limit: int, unit: str, fits: bool) -> cst.Call:
    """``call`` with its arguments at ``depth`` units below the statement's ``indent``:
    on one line when they ``fit``, else a lone call argument opened in turn, else one
    argument a line."""
    args = _without_commas(call.args)
    lone = args[0].value if len(args) == 1 else None
    if fits:
        pass
    elif isinstance(lone, cst.Call) and lone.args:
        args = [args[0].with_changes(value=_open(lone, indent, depth + 1, limit, unit))]
    elif _bare_generator(lone):  # ``f(x for x in y,)`` does not parse
        pass
    else:
        args = _one_a_line(args, depth, unit)
    last = args[-1].with_changes(whitespace_after_arg=_break(depth - 1, unit))
    return call.with_changes(whitespace_before_args=_break(depth, unit), args=[*args[:-1], last])


def _bracketed_names(node: cst.ImportFrom, depth: int, unit: str, fits: bool) -> cst.ImportFrom:
    """``from m import (a, b)`` with the names at ``depth`` units below the statement: on
    one line when they ``fit``, else one a line, with a trailing comma."""
    names = _without_commas(node.names)
    if not fits:
        names = _one_a_line(names, depth, unit)
    return node.with_changes(
        lpar=cst.LeftParen(whitespace_after=_break(depth, unit)),
        names=names,
        rpar=cst.RightParen(whitespace_before=_break(depth - 1, unit)),
    )


def _without_commas(items) -> list:
    """A call's arguments or an import's names, their commas left to the code that writes
    them."""
    return [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in items]


def _one_a_line(items: list, depth: int, unit: str) -> list:
    """A call's arguments or an import's names one a line, ``depth`` units below the
    statement, with a trailing comma."""
    comma = cst.Comma(whitespace_after=_break(depth, unit))
    return [
        *(a.with_changes(comma=comma) for a in items[:-1]),
        items[-1].with_changes(comma=cst.Comma()),
    ]


def _bare_generator(node: cst.BaseExpression | None) -> bool:
    """Whether ``node`` is a generator expression without brackets of its own (a call's
    only argument), which no comma may follow."""
    return isinstance(node, cst.GeneratorExp) and not node.lpar
