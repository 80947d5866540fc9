"""A whole `deblock fix` run: analyse the paths, fix each file with findings, write or diff."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deblock.config import Settings
from deblock.findings import FileError, Finding
from deblock.fixer.engine import FixOptions, chosen_strategy, fix_source
from deblock.fixer.files import SourceFile
from deblock.runner import analyze_bytes, analyze_paths
from deblock.source import SourceError


@dataclass
class FixReport:
    """What a run did: fixes, changed files, findings left, diffs and failures."""

    fixed: int = 0
    changed: list[str] = field(default_factory=list)
    left: list[Finding] = field(default_factory=list)
    reasons: dict[Finding, str] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    failures: list[FileError] = field(default_factory=list)
    third_party: set[str] = field(default_factory=set)
    diffs: list[str] = field(default_factory=list)


def fix_paths(
    paths: Sequence[str],
    settings: Settings,
    options: FixOptions,
    *,
    diff: bool = False,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    progress: Callable[[Iterable[str]], Iterable[str]] = iter,
) -> FixReport:
    """Fix every file under ``paths``; with ``diff`` write nothing and collect diffs."""
    run = analyze_paths(paths, settings, jobs=jobs, cache_dir=cache_dir)
    report = FixReport(errors=list(run.errors))
    todo = [p for p, fs in run.files.items() if any(chosen_strategy(f, options.unsafe, set())
                                                  for f in fs)]
    for path in run.files:
        if path not in todo:
            report.left += run.files[path]
    for path in progress(todo):
        _fix_file(path, run.files[path], run.libraries.get(path), settings, options, diff, report)
    return report


def _fix_file(path: str, findings: list[Finding], library: str | None, settings: Settings,
              options: FixOptions, diff: bool, report: FixReport) -> None:
    try:
        source = SourceFile.read(path)
    except (OSError, SourceError) as exc:
        report.errors.append(FileError(path, f"not fixed: {getattr(exc, 'reason', exc)}"))
        report.left += findings
        return

    def reanalyze(code: str) -> list[Finding]:
        return analyze_bytes(source.encode(code), path, settings).files.get(path, [])

    outcome = fix_source(source.text, path, options, findings, library, reanalyze)
    report.left += outcome.left
    report.reasons.update(outcome.declined)
    if outcome.unparsable is not None:
        report.errors.append(FileError(path, f"not fixed: {outcome.unparsable}"))
        return
    if outcome.error is not None:
        report.failures.append(FileError(path, f"fix failed, file left untouched: {outcome.error}"))
        return
    if outcome.source == source.text:
        return
    report.fixed += len(outcome.fixed)
    report.changed.append(path)
    report.third_party |= outcome.third_party
    if diff:
        report.diffs.append("".join(difflib.unified_diff(
            source.text.splitlines(keepends=True), outcome.source.splitlines(keepends=True),
            f"a/{path}", f"b/{path}")))
    else:
        source.write(outcome.source)
