"""Source lines: ``ast`` byte columns to character columns, the text of a node, and whether a
line lies within some nodes."""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import cached_property
from unicodedata import normalize

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """The module's lines, split the way the tokenizer splits them (on first use)."""

    def __init__(self, source: str):
        self._source = source

    @cached_property
    def _lines(self) -> list[str]:
        if "\r" not in self._source:  # the usual case: str.split is ~4x faster
            return self._source.split("\n")
        return _LINE_BREAK.split(self._source)

    @cached_property
    def noqa(self) -> dict[int, frozenset[str]]:
        """The ``# noqa`` comments, by line (``noqa.noqa_lines``)."""
        from deblock.noqa import noqa_lines  # read only for a sync function's blocking calls

        return noqa_lines(self._source)

    def mentions(self, text: str) -> bool:
        """Whether ``text`` occurs anywhere in the module's source."""
        return text in self._source

    def naming(self, words: Iterable[str]) -> list[int]:
        """The 1-based lines that hold one of ``words`` (the form Python reads names in,
        NFKC, where a line is not ASCII), in order."""
        texts = self._lines
        if self._source.isascii():
            words = [word for word in words if word in self._source]
        else:
            texts = [t if t.isascii() else normalize("NFKC", t) for t in texts]
        found: set[int] = set()
        for word in words:  # a comprehension a word, not a generator a line
            found.update([number for number, text in enumerate(texts, 1) if word in text])
        return sorted(found)

    def line(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def fills_lines(self, first: ast.stmt, last: ast.stmt) -> bool:
        """Whether statements ``first`` to ``last`` have their lines to themselves: only
        indentation before ``first``; only a ``;``, blanks or a comment after ``last``."""
        before = self.line(first.lineno).encode("utf-8")[: first.col_offset]
        after = self.line(last.end_lineno).encode("utf-8")[last.end_col_offset :].strip()
        after = after.removeprefix(b";").lstrip()
        return not before.strip() and (not after or after.startswith(b"#"))

    def char_col(self, line: int, byte_col: int) -> int:
        """The 0-based character column of a 0-based UTF-8 byte column on a 1-based line."""
        text = self.line(line)
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def text(self, node: ast.expr) -> str:
        """The source text of ``node`` as written (re-generated when it spans lines)."""
        if node.lineno != node.end_lineno:
            return ast.unparse(node)
        line = self.line(node.lineno)
        if line.isascii():
            return line[node.col_offset : node.end_col_offset]
        return line.encode("utf-8")[node.col_offset : node.end_col_offset].decode("utf-8")


def lines_within(nodes: Iterable[ast.AST]) -> Callable[[int], bool]:
    """Whether a line lies within one of ``nodes`` (their line ranges merged, found by
    bisection: a module may hold thousands of functions, a run many statements)."""
    starts: list[int] = []
    ends: list[int] = []
    for first, last in sorted((n.lineno, n.end_lineno) for n in nodes):
        if ends and first <= ends[-1]:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)

    def within(line: int) -> bool:
        i = bisect_right(starts, line) - 1
        return i >= 0 and line <= ends[i]

    return within


def lies_between(
    points: list[tuple[int, int]], start: tuple[int, int], end: tuple[int, int]
) -> bool:
    """Whether one of the sorted positions ``points`` lies after ``start`` and before ``end``."""
    i = bisect_right(points, start)
    return i < len(points) and points[i] < end
