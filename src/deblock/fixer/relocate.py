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


def relocate(
    findings: Iterable[Finding], old: str, new: str, found_again: bool = True
) -> list[Finding]:
    """``findings`` (placed in ``old``) moved to where their unchanged lines stand in
    ``new``. A finding whose lines were rewritten (another fix changed the statement: its
    arguments, its line breaks, a statement beside it) is found again there by its callee
    when the rewrite left it on the event loop (``_found_again``), its own fix, if any, still
    to be written there, if ``found_again``; otherwise it is dropped."""
    old_lines = old.splitlines(True)
    matcher = SequenceMatcher(None, old_lines, new.splitlines(True))
    blocks = matcher.get_matching_blocks()
    calls = None  # the calls of ``new``, read when a finding without a fix was rewritten
    helpers = None  # the lines of ``new``'s thread helpers, read when a finding kept its lines
    moved = []
    for finding in findings:
        for i, j, size in blocks:
            if i < finding.line and finding.end_line <= i + size:
                shift = j - i
                helpers = _helper_lines(new, old) if helpers is None else helpers
                line, end_line = finding.line + shift, finding.end_line + shift
                # in a helper, it went into the thread with its block: nothing left to fix
                if not any(first <= line <= last for first, last in helpers):
                    moved.append(finding._replace(line=line, end_line=end_line))
                break
        else:
            if not found_again:
                continue
            calls = _calls(new, old) if calls is None else calls
            again = _found_again(finding, old_lines, matcher.get_opcodes(), calls)
            moved += [again] if again is not None else []
    return moved


def _found_again(
    finding: Finding, old_lines: list[str], regions: list, calls: list[tuple[str, str | None, Span]]
) -> Finding | None:
    """``finding`` (in ``old_lines``) at the one call of its callee among ``calls`` in the
    rewritten region of its lines (``regions``: from its text to theirs); a method whose
    receiver another fix rewrote (``(await to_thread(base)).glob(...)``), at the one call
    of its method's name there."""
    region = next((r for r in regions if r[0] == "replace" and r[1] < finding.line <= r[2]), None)
    if region is None:
        return None
    callee, method = _callee(finding, old_lines)
    _, _, _, first, last = region
    here = [(name, attr, span) for name, attr, span in calls if first < span[0] <= last]
    spans = [span for name, _, span in here if name == callee]
    if not spans and method is not None:
        spans = [span for _, attr, span in here if attr == method]
    if len(spans) != 1:
        return None
    line, col, end_line, end_col = spans[0]
    return finding._replace(line=line, col=col, end_line=end_line, end_col=end_col)


def _callee(finding: Finding, old_lines: list[str]) -> tuple[str, str | None]:
    """The callee of ``finding``'s call as written (no whitespace), and the name of the
    method it calls, if it calls one."""
    lines = old_lines[finding.line - 1 : finding.end_line]
    text = "".join(lines)[finding.col - 1 : len("".join(lines[:-1])) + finding.end_col - 1]
    try:
        call = ast.parse(f"({text})", mode="eval").body
    except SyntaxError:
        call = None
    if not isinstance(call, ast.Call):
        written = "".join(old_lines[finding.line - 1 :])[finding.col - 1 :]
        return "".join(written.partition("(")[0].split()), None
    return _written(call.func, f"({text})")


def _written(func: ast.expr, source: str) -> tuple[str, str | None]:
    callee = "".join((ast.get_source_segment(source, func) or "").split())
    return callee, func.attr if isinstance(func, ast.Attribute) else None


def _helper_lines(new: str, old: str) -> list[tuple[int, int]]:
    """The first and last lines of each thread helper a fix wrote in ``new`` (a name ``old``
    lacks): a line a block took along unchanged (the inside of a string) stands in one."""
    try:
        tree = ast.parse(new)
    except SyntaxError:
        return []
    return [
        (node.lineno, node.end_lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and FIX_HELPER.fullmatch(node.name)
        and node.name not in old
    ]


def _calls(new: str, old: str) -> list[tuple[str, str | None, Span]]:
    """The calls of ``new`` that run on the event loop as the old code's did: each
    callee as written (no whitespace) and the method it calls, if any, with the call's
    span (1-based character columns, the end excluded); none inside a thread helper a fix
    wrote (a name ``old`` lacks)."""
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
            callee, method = _written(node.func, new)
            span = (
                node.lineno,
                column(node.lineno, node.col_offset),
                node.end_lineno,
                column(node.end_lineno, node.end_col_offset),
            )
            found.append((callee, method, span))
        todo.extend(ast.iter_child_nodes(node))
    return found


def placed(findings: Iterable[Finding], new: str, old: str) -> list[Finding]:
    """``findings`` (placed in ``new``) at their lines in ``old``: an unchanged line where
    it was; a rewritten one at the one call of its callee in the old version of its region
    (as ``relocate`` finds it again), else at the matching line there."""
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    regions = SequenceMatcher(None, old_lines, new_lines).get_opcodes()
    back = SequenceMatcher(None, new_lines, old_lines).get_opcodes()
    calls = None  # the calls of ``old``, read when a finding stands in rewritten lines

    def line_in_old(line: int) -> int:
        for _, i1, i2, j1, j2 in regions:
            if j1 < line <= j2:  # an inserted region stands at the old line after it
                return min(i1 + min(line - j1, max(i2 - i1, 1)), max(len(old_lines), 1))
        return line

    moved = []
    for finding in findings:
        if any(r[0] == "replace" and r[1] < finding.line <= r[2] for r in back):
            calls = _calls(old, new) if calls is None else calls
            again = _found_again(finding, new_lines, back, calls)
            if again is not None:
                moved.append(again)
                continue
        line = line_in_old(finding.line)
        moved.append(finding._replace(line=line, end_line=max(line, line_in_old(finding.end_line))))
    return moved
