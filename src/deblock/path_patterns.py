"""Gitignore-style path patterns (``.gitignore`` files, ``exclude``, ``per-file-ignores``).

pathspec parses the patterns and decides; one regular expression joining them all answers
first, so a path no pattern matches (nearly every path) never reaches pathspec's
pattern-by-pattern loop. pathspec is imported only when there are patterns to parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


class PathPatterns:
    """Patterns in ``.gitignore`` syntax, matched against paths relative to their base."""

    def __init__(self, lines: Iterable[str]):
        import pathspec
        from pathspec.util import normalize_file

        self.spec = pathspec.GitIgnoreSpec.from_lines(lines)
        self._normalize = normalize_file
        self._any = _joined(self.spec.patterns)

    def match(self, relative: str) -> bool:
        """Whether the patterns select ``relative`` (a directory's path ends with ``/``)."""
        path = self._normalize(relative)
        if self._any is not None and self._any.search(path) is None:
            return False
        return self.spec.match_file(path)

    @classmethod
    def from_gitignore(cls, lines: Iterable[str]) -> PathPatterns:
        """A ``.gitignore`` file's patterns. A line pathspec cannot parse (``!`` alone, a
        trailing backslash) is one git reads as matching nothing: it is left out, not an error."""
        from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

        kept = []
        for line in lines:
            try:
                GitIgnoreSpecPattern(line)
            except ValueError:
                continue
            kept.append(line)
        return cls(kept)


def _joined(patterns: list) -> re.Pattern | None:
    """A regular expression matching where any pattern's does (None: they cannot be joined,
    so every path goes to pathspec)."""
    sources = []
    for pattern in patterns:
        regex = getattr(pattern, "regex", None)
        if pattern.include is None or regex is None:
            continue  # a comment or blank line: never matches
        if not isinstance(regex.pattern, str) or regex.flags != re.UNICODE:
            return None
        if "(?P=" in regex.pattern:  # a back-reference needs its named group
            return None
        sources.append(f"(?:{_NAMED_GROUP.sub('(?:', regex.pattern)})")
    return re.compile("|".join(sources) or "(?!)")
