"""Moving findings between two versions of a module, along with their lines.

Findings only a project-wide run reports (a helper in another module blocks) cannot be
found again by analysing the rewritten module alone; and findings left in a rewritten
module that ``--diff`` does not write are reported where they stand on disk.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from difflib import SequenceMatcher

from deblock.findings import Finding
from deblock.rules.resources import FIX_HELPER

Key = tuple[str, int, int, int, int]
Span = tuple[int, int, int, int]


def key(finding: Finding) -> Key:
    return (finding.code, finding.line, finding.col, finding.end_line, finding.end_col)


def project_only(given: Iterable[Finding], local: Iterable[Finding]) -> list[Finding]:
    """The ``given`` findings that the module's own analysis (``local``) does not report."""
    seen = {key(f) for f in local}
    return [f for f in given if key(f) not in seen]


def relocate(findings: Iterable[Finding], old: str, new: str) -> list[Finding]:
    """``findings`` (placed in ``old``) moved to where their unchanged lines stand in
    ``new``. A finding whose lines were rewritten (another fix changed the statement: its
    arguments, its line breaks) is found again there by its callee when it has no fix and
    the rewrite left it on the event loop (``_found_again``); otherwise it is dropped."""
    old_lines = old.splitlines(True)
    matcher = SequenceMatcher(None, old_lines, new.splitlines(True))
    blocks = matcher.get_matching_blocks()
    calls = None  # the calls of ``new``, read when a finding without a fix was rewritten
    moved = []
    for finding in findings:
        for i, j, size in blocks:
            if i < finding.line and finding.end_line <= i + size:
                shift = j - i
                moved.append(
                    finding._replace(line=finding.line + shift, end_line=finding.end_line + shift)
                )
                break
        else:
            if not finding.fixable:
                calls = _calls(new, old) if calls is None else calls
                again = _found_again(finding, old_lines, matcher.get_opcodes(), calls)
                moved += [again] if again is not None else []
    return moved


def _found_again(
    finding: Finding, old_lines: list[str], regions: list, calls: list[tuple[str, Span]]
) -> Finding | None:
    """``finding`` at the one call of its callee in the rewritten region of its lines."""
    region = next((r for r in regions if r[0] == "replace" and r[1] < finding.line <= r[2]), None)
    if region is None:
        return None
    written = "".join(old_lines[finding.line - 1 :])[finding.col - 1 :]
    callee = "".join(written.partition("(")[0].split())
    _, _, _, first, last = region
    spans = [span for name, span in calls if name == callee and first < span[0] <= last]
    if len(spans) != 1:
        return None
    line, col, end_line, end_col = spans[0]
    return finding._replace(line=line, col=col, end_line=end_line, end_col=end_col)


def _calls(new: str, old: str) -> list[tuple[str, Span]]:
    """The calls of ``new`` that run on the event loop as the old code's did: each
    callee as written (no whitespace) with the call's span (1-based character columns,
    the end excluded); none inside a thread helper a fix wrote (a name ``old`` lacks)."""
    try:
        tree = ast.parse(new)
    except SyntaxError:
        return []
    lines = new.splitlines()

    def column(line: int, offset: int) -> int:  # ``ast`` counts UTF-8 bytes
        return len(lines[line - 1].encode()[:offset].decode(errors="replace")) + 1

    found = []
    todo = [tree]
    while todo:
        node = todo.pop()
        helper = isinstance(node, ast.FunctionDef) and FIX_HELPER.fullmatch(node.name)
        if helper and node.name not in old:
            continue  # its calls run in a worker thread now
        if isinstance(node, ast.Call):
            callee = "".join((ast.get_source_segment(new, node.func) or "").split())
            span = (
                node.lineno,
                column(node.lineno, node.col_offset),
                node.end_lineno,
                column(node.end_lineno, node.end_col_offset),
            )
            found.append((callee, span))
        todo.extend(ast.iter_child_nodes(node))
    return found


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
        moved.append(finding._replace(line=line, end_line=max(line, line_in_old(finding.end_line))))
    return moved
