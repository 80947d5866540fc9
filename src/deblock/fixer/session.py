"""A whole `deblock fix` run: analyse the paths, fix each file with findings, write or diff."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from functools import partial
from pathlib import Path

from deblock.config import Settings
from deblock.findings import FileError, Finding
from deblock.fixer.engine import FixOptions, FixOutcome, chosen_strategy, fix_source
from deblock.fixer.files import SourceFile
from deblock.fixer.relocate import Key, key, placed
from deblock.pool import Workers, cores, file_size
from deblock.project.async_library import project_libraries
from deblock.project.common_lock import LOCK_TEXT, lock_file, lock_is_ours
from deblock.records import record
from deblock.run_facts import RunFacts, judged_in_run
from deblock.runner import analyze_paths
from deblock.source import SourceError
from deblock.uninterrupted import uninterrupted


@record
class FixReport:
    """What a run did: fixes, changed files, findings left, diffs and failures.

    ``resolved`` counts the findings the fixes removed (one rewrite can remove several:
    an ``async with`` block takes the reads and writes inside along). The findings
    ``left`` stand where they are in the files on disk (with ``--diff``, the old text).
    ``created`` lists the lock modules written for the sections several modules of one
    package share (``common_lock``), before the first module importing one.
    """

    fixed: int = 0
    resolved: int = 0
    changed: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    left: list[Finding] = field(default_factory=list)
    reasons: dict[tuple[str, Key], str] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    failures: list[FileError] = field(default_factory=list)
    diffs: dict[str, str] = field(default_factory=dict)

    def reason(self, finding: Finding) -> str | None:
        """Why a codemod declined ``finding``, if one did."""
        return self.reasons.get((finding.path, key(finding)))


def fix_paths(
    paths: Sequence[str],
    settings: Settings,
    options: FixOptions,
    *,
    diff: bool = False,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    progress: Callable[[Iterable, int], Iterable] = lambda items, length: items,
) -> FixReport:
    """Fix every file under ``paths``; with ``diff`` write nothing and collect diffs.

    Files are fixed in worker processes (``jobs``, default: the cores), largest first;
    only this process writes, each file atomically; the modules whose sections share a
    lock are written all or none (``_whole_groups``).
    """
    run = analyze_paths(paths, settings, jobs=jobs, cache_dir=cache_dir)
    report = FixReport(errors=list(run.errors))
    todo = [
        p
        for p, fs in run.files.items()
        if any(chosen_strategy(f, options.unsafe, set()) for f in fs)
    ]
    for path in run.files:
        if path not in todo:
            report.left += run.files[path]
    todo.sort(key=file_size, reverse=True)
    libraries = project_libraries(run.libraries)
    work = [
        (
            path,
            run.files[path],
            libraries.get(path),
            RunFacts.of(run, path),
        )
        for path in todo
    ]
    fix = partial(_fix_file, settings=settings, options=options)
    workers = min(jobs or cores(), len(work))
    grouped = []  # the modules whose sections share a lock: all are fixed, or none

    def take(result: tuple) -> None:
        if any(f.lock for f in result[1]):
            grouped.append(result)
        else:
            _record(*result, diff, report)

    with Workers(workers) as pool:
        for result in progress(pool.each(fix, work) if workers > 1 else map(fix, work), len(work)):
            take(result)
    with uninterrupted():  # a lock's modules are all fixed, or none
        for result in _whole_groups(grouped):
            _record(*result, diff, report)
    return report


def _fix_file(
    work: tuple[str, list[Finding], str | None, RunFacts],
    settings: Settings,
    options: FixOptions,
) -> tuple[str, list[Finding], SourceFile | None, object]:
    """(path, findings, the file, its ``FixOutcome`` or why it could not be read); what
    the run found of the file (``RunFacts``: its thread bridge too) is kept as findings
    are re-made."""
    path, findings, library, facts = work
    try:
        source = SourceFile.read(path)
    except (OSError, SourceError) as exc:
        return path, findings, None, getattr(exc, "reason", str(exc))

    def reanalyze(code: str) -> list[Finding]:
        return judged_in_run(source.encode(code), path, settings, facts, library).files[path]

    return (
        path,
        findings,
        source,
        fix_source(source.text, path, options, findings, library, reanalyze),
    )


def _whole_groups(results: list[tuple]) -> Iterable[tuple]:
    """``results`` (path, findings, file, outcome) of modules whose sections share a lock,
    every module of a group left as it is when one of them could not be fixed or keeps a
    call on the lock's sections (a codemod declined one): the others' sections would take
    the lock beside calls left on the event loop. So are they when the lock module's path
    holds what is not deblock's by the time they are written: what the analysis did not
    read (a directory of that name after a cached check, ``test_common_lock``)."""
    why: dict[str, str] = {}  # lock -> why its modules are left
    for path, findings, source, outcome in results:
        lock = next(f.lock for f in findings if f.lock)
        if source is None or outcome.error or any(f.lock for f in outcome.left):
            why.setdefault(lock, f"`{path}`, whose sections share the lock, keeps some on the loop")
        elif not lock_is_ours(file := lock_file(path)):
            why.setdefault(lock, f"`{file}` is there and is not deblock's lock module")
    for path, findings, source, outcome in results:
        reason = why.get(next(f.lock for f in findings if f.lock))
        if reason is not None and source is not None and outcome.source != source.text:
            declined = [*((f, reason) for f in findings if f.lock), *outcome.declined]
            outcome = FixOutcome(source.text, left=findings, declined=declined)
        yield path, findings, source, outcome


def _record(
    path: str,
    findings: list[Finding],
    source: SourceFile | None,
    outcome,
    diff: bool,
    report: FixReport,
) -> None:
    """Account for one file's outcome, and write it (or its diff)."""
    if source is None:
        report.errors.append(FileError(path, f"not fixed: {outcome}"))
        report.left += findings
        return
    changed = outcome.source != source.text
    unwritten = diff and changed  # the findings left stand in text that is not on disk
    declined = [finding for finding, _ in outcome.declined]
    declined = placed(declined, outcome.source, source.text) if unwritten else declined
    reasons = (why for _, why in outcome.declined)
    report.reasons.update(((f.path, key(f)), why) for f, why in zip(declined, reasons, strict=True))
    report.left += placed(outcome.left, outcome.source, source.text) if unwritten else outcome.left
    if outcome.unparsable is not None:
        report.errors.append(FileError(path, f"not fixed: {outcome.unparsable}"))
        return
    if outcome.error is not None:
        report.failures.append(FileError(path, f"fix failed, file left untouched: {outcome.error}"))
        return
    if not changed:
        return
    report.fixed += len(outcome.fixed)
    report.resolved += len(findings) - len(outcome.left)
    report.changed.append(path)
    lock = next((f.lock for f in findings if f.lock), None)
    if lock and f"from {lock} import" in outcome.source:
        _create_lock(lock_file(path), source.mode, diff, report)
    if diff:
        report.diffs[path] = "".join(
            difflib.unified_diff(
                source.text.splitlines(keepends=True),
                outcome.source.splitlines(keepends=True),
                f"a/{path}",
                f"b/{path}",
            )
        )
    else:
        source.write(outcome.source)


def _create_lock(file: str, mode: int, diff: bool, report: FixReport) -> None:
    """Write the lock module ``file`` (or its diff) with ``mode`` unless it is there: the
    analyzer gave the common lock only where it is absent or deblock's (``lock_is_ours``)."""
    if file in report.created or os.path.exists(file):
        return
    report.created.append(file)
    if diff:
        lines = LOCK_TEXT.splitlines(keepends=True)
        report.diffs[file] = "".join(difflib.unified_diff([], lines, "/dev/null", f"b/{file}"))
    else:
        SourceFile(file, "", "utf-8", "\n", mode).write(LOCK_TEXT)
