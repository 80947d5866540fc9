"""Findings only a project-wide run reports (a helper in another module blocks) cannot be
found again by analysing the rewritten module alone: move them along with their lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from difflib import SequenceMatcher

from deblock.findings import Finding

Key = tuple[str, int, int, int, int]


def key(finding: Finding) -> Key:
    return (finding.code, finding.line, finding.col, finding.end_line, finding.end_col)


def project_only(given: Iterable[Finding], local: Iterable[Finding]) -> list[Finding]:
    """The ``given`` findings that the module's own analysis (``local``) does not report."""
    seen = {key(f) for f in local}
    return [f for f in given if key(f) not in seen]


def relocate(findings: Iterable[Finding], old: str, new: str) -> list[Finding]:
    """``findings`` (placed in ``old``) moved to where their unchanged lines stand in
    ``new``; a finding whose lines were rewritten is dropped."""
    matcher = SequenceMatcher(None, old.splitlines(True), new.splitlines(True))
    blocks = matcher.get_matching_blocks()
    moved = []
    for finding in findings:
        for i, j, size in blocks:
            if i < finding.line and finding.end_line <= i + size:
                shift = j - i
                moved.append(
                    replace(finding, line=finding.line + shift, end_line=finding.end_line + shift)
                )
                break
    return moved
