"""Moving findings between two versions of a module, along with their lines.

Findings only a project-wide run reports (a helper in another module blocks) cannot be
found again by analysing the rewritten module alone; and findings left in a rewritten
module that ``--diff`` does not write are reported where they stand on disk.
"""

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


def placed(findings: Iterable[Finding], new: str, old: str) -> list[Finding]:
    """``findings`` (placed in ``new``) at their lines in ``old``: an unchanged line where
    it was, a rewritten one at the matching line of the old version of its region."""
    old_lines = old.splitlines(True)
    regions = SequenceMatcher(None, old_lines, new.splitlines(True)).get_opcodes()

    def line_in_old(line: int) -> int:
        for _, i1, i2, j1, j2 in regions:
            if j1 < line <= j2:  # an inserted region stands at the old line after it
                return min(i1 + min(line - j1, max(i2 - i1, 1)), max(len(old_lines), 1))
        return line

    moved = []
    for finding in findings:
        line = line_in_old(finding.line)
        moved.append(replace(finding, line=line, end_line=max(line, line_in_old(finding.end_line))))
    return moved
