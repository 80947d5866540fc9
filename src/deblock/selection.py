"""Which findings are reported: ``select``/``ignore`` code prefixes and ``per-file-ignores``.

Prefixes work like ruff's: ``DBK`` is every rule, ``DBK2`` the file family, ``DBK201`` one
rule. A flake8-async code (``ASYNC251``) stands for the deblock rule equivalent to it. The
most specific matching prefix wins; on a tie, ``ignore`` wins.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache

from deblock.findings import Finding
from deblock.path_patterns import PathPatterns
from deblock.rules import RULES, equivalents

PREFIX = "DBK"


@cache
def _equivalents() -> frozenset[str]:
    return frozenset(code for rule in RULES for code in equivalents(rule))


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """The codes that are neither a prefix of a deblock rule nor a flake8-async equivalent."""
    return [
        code
        for code in codes
        if code not in _equivalents() and not any(r.code.startswith(code) for r in RULES)
    ]


def _specificity(codes: Iterable[str], finding: Finding) -> int:
    """Length of the longest code prefix matching the finding, -1 when none does."""
    best = -1
    for code in codes:
        if finding.code.startswith(code):
            best = max(best, len(code))
        elif code == finding.async_equivalent:
            best = max(best, len(finding.code))
    return best


class Selector:
    """Decides whether a finding in a given file is reported."""

    def __init__(
        self,
        select: tuple[str, ...],
        ignore: tuple[str, ...],
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...],
        root: str,
    ):
        self.select, self.ignore, self.root = select, ignore, root
        self.per_file = [(PathPatterns([pattern]), codes) for pattern, codes in per_file_ignores]

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """The codes ignored in the file at ``path`` (settings plus per-file ignores)."""
        if not self.per_file:
            return self.ignore
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        extra = [c for spec, codes in self.per_file if spec.match(relative) for c in codes]
        return (*self.ignore, *extra)

    def reported(self, findings: Iterable[Finding], path: str) -> list[Finding]:
        """The findings of one file that are selected and not ignored."""
        ignored = self.ignored_in(path)
        return [
            f
            for f in findings
            if (chosen := _specificity(self.select, f)) >= 0 and chosen > _specificity(ignored, f)
        ]
