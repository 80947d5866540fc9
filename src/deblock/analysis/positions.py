"""Source lines and conversion of ``ast`` byte columns to character columns."""

from __future__ import annotations

import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """The module's lines, split the way the tokenizer splits them."""

    def __init__(self, source: str):
        self._lines = _LINE_BREAK.split(source)

    def char_col(self, line: int, byte_col: int) -> int:
        """The 0-based character column of a 0-based UTF-8 byte column on a 1-based line."""
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def line(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""
