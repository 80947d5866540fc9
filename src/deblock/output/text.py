"""The text format: ``path:line:col: CODE message``, one line per diagnostic."""

from __future__ import annotations

from deblock.findings import FileError, Finding
from deblock.runner import RunResult


def error_line(error: FileError) -> str:
    """``path:line:col: error: reason`` (without the position parts that are unknown)."""
    where = ":".join(str(p) for p in (error.path, error.line, error.col) if p is not None)
    return f"{where}: error: {error.reason}"


def render(result: RunResult) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}"
        + (f" (unsafe fix: {f.unsafe_because})" if f.unsafe_because else "")
        for f in result.findings
    ]
    lines += [error_line(e) for e in result.errors]
    return "".join(line + "\n" for line in lines)


def summary(result: RunResult) -> str:
    """The closing line: how many findings and unreadable files, and how many are fixable."""
    findings = result.findings
    if not findings and not result.errors:
        return "All checks passed!"
    parts = []
    if findings:
        files = len({f.path for f in findings})
        parts.append(
            f"Found {plural(len(findings), 'blocking call')} in {plural(files, 'file')}"
            + _fixable(findings)
        )
    if result.errors:
        parts.append(f"{plural(len(result.errors), 'file')} could not be checked")
    return "; ".join(parts) + "."


def _fixable(findings: list[Finding]) -> str:
    """`` (2 fixable with `deblock fix`, 1 more with `deblock fix --unsafe-fixes`)``."""
    safe = sum(f.safe_fix for f in findings)
    unsafe = sum(f.unsafe_fix_only for f in findings)
    notes = [f"{safe} fixable with `deblock fix`"] if safe else []
    if unsafe:
        notes.append(f"{unsafe} {'more' if safe else 'fixable'} with `deblock fix --unsafe-fixes`")
    return f" ({', '.join(notes)})" if notes else ""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 file``, ``2 files``; ``nouns`` for an irregular plural (``fixes``)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
