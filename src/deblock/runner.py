"""Discovery, cache, analysis and filtering for a whole run; shared by ``check`` and ``fix``.

Use ``load_settings(paths, config_file).overridden(select, ignore)`` for the settings, then
``analyze_paths(paths, settings, jobs=None, cache_dir=...)``: its ``RunResult`` maps every
checked path to its reported findings, lists the files that could not be checked, and
names the async library each analysed module uses.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from deblock.analysis import AnalysisOptions
from deblock.analysis.summary import ModuleSummary
from deblock.cache import Cache, digest
from deblock.config import Settings
from deblock.discovery import discover
from deblock.file_check import (
    INTERNAL_ERROR,
    Outcome,
    check_bytes,
    check_file,
    findings_from_cache,
    findings_to_cache,
)
from deblock.findings import FileError, Finding
from deblock.project.run import ProjectRun
from deblock.source import decode_source

# Below this many bytes to analyse, a process pool costs more than it saves.
POOL_MIN_BYTES = 256 * 1024


@dataclass
class RunResult:
    """The reported findings per checked file, and the files that could not be checked."""

    files: dict[str, list[Finding]] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    libraries: dict[str, str] = field(default_factory=dict)
    project: ProjectRun | None = field(default=None, compare=False, repr=False)

    @property
    def findings(self) -> list[Finding]:
        """All reported findings, by path then position."""
        return [f for path in sorted(self.files) for f in self.files[path]]

    @property
    def internal_errors(self) -> list[FileError]:
        """Errors caused by a defect in deblock rather than by the file."""
        return [e for e in self.errors if e.reason.startswith(INTERNAL_ERROR)]

    def add(self, path: str, outcome: Outcome, settings: Settings) -> None:
        """Record one file's outcome, keeping only the findings the settings report."""
        self.files[path] = []
        self.extend(path, outcome.findings, settings)
        if outcome.library is not None:
            self.libraries[path] = outcome.library
        if outcome.error is not None:
            self.errors.append(outcome.error)

    def extend(self, path: str, findings: list[Finding], settings: Settings) -> None:
        """Add findings for ``path``, keeping only those the settings report."""
        reported = self.files.get(path, []) + settings.selector.reported(findings, path)
        self.files[path] = sorted(reported, key=lambda f: (f.line, f.col, f.code))


def analyze_bytes(
    data: bytes, path: str, settings: Settings, project: ProjectRun | None = None
) -> RunResult:
    """Check one module given as bytes (standard input, or text the fixer produced).

    With ``project`` (a run's ``RunResult.project``), the module's call sites are also
    judged against the rest of that project, as they were in the run.
    """
    result = RunResult(project=project)
    outcome = check_bytes(data, path, settings.analysis_options())
    result.add(path, outcome, settings)
    if project is not None and outcome.summary is not None:
        text = decode_source(data)
        result.extend(path, project.findings_for(path, outcome.summary, text), settings)
    return result


def analyze_paths(
    paths: Sequence[str | os.PathLike],
    settings: Settings,
    *,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
) -> RunResult:
    """Check the Python files under ``paths``; ``jobs`` defaults to the number of cores,
    ``cache_dir=None`` disables the cache."""
    found = discover(paths, settings)
    cache = Cache(cache_dir, settings.fingerprint()) if cache_dir is not None else None
    analysed = _Outcomes(settings.analysis_options(), cache)
    outcomes = analysed.run(found.files, jobs)
    result = RunResult(errors=found.errors)
    for path in found.files:
        result.add(path, outcomes[path], settings)
    _add_project_findings(result, analysed, settings)
    result.errors.sort(key=lambda e: (e.path, e.line or 0))
    if cache is not None:
        cache.save()
    return result


class _Outcomes:
    """Outcomes for many files: from the cache when possible, else analysed."""

    def __init__(self, options: AnalysisOptions, cache: Cache | None):
        self.options, self.cache = options, cache
        self.done: dict[str, Outcome] = {}
        self.pending: list[tuple[str, bytes | None]] = []
        self.pending_bytes = 0
        self.stats: dict[str, tuple[str, os.stat_result, str]] = {}
        self.cwd = os.getcwd()

    def run(self, paths: list[str], jobs: int | None) -> dict[str, Outcome]:
        self.jobs = jobs or _cores()
        for path in paths:
            self._look_up(path)
        self._analyse(self.jobs)
        return self.done

    def _absolute(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.join(self.cwd, path)

    def _look_up(self, path: str) -> None:
        """Answer ``path`` from the cache, or queue it for analysis."""
        if self.cache is None:
            self.pending.append((path, None))
            self.pending_bytes += _size(path)
            return
        absolute = self._absolute(path)
        try:
            stat = os.stat(absolute)
            if self._answer(path, self.cache.by_stat(absolute, stat)):
                return
            with open(absolute, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            self.done[path] = Outcome(error=FileError(path, f"cannot read file: {exc.strerror}"))
            return
        key = digest(data)
        cached = self.cache.by_content(key)
        if self._answer(path, cached, elsewhere=True):
            self.cache.store(absolute, stat, key, cached)
            return
        self.stats[path] = (absolute, stat, key)
        self.pending.append((path, data))
        self.pending_bytes += len(data)

    def _answer(self, path: str, cached: dict | None, elsewhere: bool = False) -> bool:
        """Use a cached outcome for ``path``; False when there is none or it is damaged, or
        (``elsewhere``: found by content) when its summary names another module."""
        if cached is None:
            return False
        try:
            outcome = Outcome.from_cache(cached, path)
        except (KeyError, TypeError, ValueError):
            return False
        if elsewhere and not _same_module(outcome, path):
            return False
        self.done[path] = outcome
        return True

    def project_findings(self, project: ProjectRun) -> dict[str, list[Finding]]:
        """The project's findings, from the cache when no module changed since they were
        judged (warm runs then never rebuild the summaries)."""
        key = None if self.cache is None else self._project_key()
        cached = None if key is None else self.cache.project_findings(key)
        if cached is not None:
            try:
                return {path: findings_from_cache(fs, path) for path, fs in cached.items()}
            except (KeyError, TypeError, ValueError):
                pass
        project.prefetch(lambda paths: self.summarise_many(paths, self.jobs))
        found = project.findings()
        if key is not None:
            stored = {path: findings_to_cache(fs) for path, fs in found.items()}
            self.cache.store_project_findings(key, stored)
        return found

    def _project_key(self) -> str:
        """A digest of every module of the run: its path and the digest of its content."""
        parts = []
        for path in sorted(self.done):
            absolute = self._absolute(path)
            parts.append(f"{path}\0{self.cache.digest_of(absolute)}")
        return digest("\n".join(parts).encode())

    def summarise(self, path: str) -> ModuleSummary | None:
        """The summary of a module the pre-filter passed over, because a coroutine calls
        into it; cached with the module's outcome so warm runs do not parse it again."""
        data = self.summarise_many([path], 1).get(path)
        return None if data is None else ModuleSummary.from_dict(data)

    def summarise_many(self, paths: list[str], jobs: int) -> dict[str, dict]:
        """Summaries of several such modules, in the process pool when they are many."""
        items, stats = [], []
        for path in paths:
            absolute = self._absolute(path)
            try:
                stat = os.stat(absolute)
                with open(absolute, "rb") as fh:
                    items.append((path, fh.read()))
            except OSError:
                continue
            stats.append((absolute, stat))
        size = sum(len(data) for _, data in items)
        if jobs > 1 and len(items) > 1 and size >= POOL_MIN_BYTES:
            outcomes = _in_pool(items, self.options, jobs, _summarise)
        else:
            outcomes = [_summarise(item, self.options) for item in items]
        summaries = {}
        for (path, data), (absolute, stat), outcome in zip(items, stats, outcomes, strict=True):
            self._remember(absolute, stat, digest(data), outcome)
            if outcome.summary_data is not None:
                summaries[path] = outcome.summary_data
        return summaries

    def _analyse(self, jobs: int) -> None:
        if jobs > 1 and len(self.pending) > 1 and self.pending_bytes >= POOL_MIN_BYTES:
            outcomes = _in_pool(self.pending, self.options, jobs)
        else:
            outcomes = (_check(item, self.options) for item in self.pending)
        for (path, _), outcome in zip(self.pending, outcomes, strict=True):
            self.done[path] = outcome
            if path in self.stats:
                self._remember(*self.stats[path], outcome)

    def _remember(self, absolute: str, stat: os.stat_result, key: str, outcome: Outcome) -> None:
        """Cache an outcome, and its module summary apart from it."""
        if self.cache is None or not outcome.cacheable:
            return
        self.cache.store(absolute, stat, key, outcome.to_cache())
        if outcome.summary_data is not None:
            self.cache.store_summary(key, outcome.summary_data)

    def summary_data(self, path: str, outcome: Outcome) -> dict | None:
        """The JSON form of a summarised module's summary: fresh, cached, or made again."""
        if outcome.summary_data is not None:
            return outcome.summary_data
        absolute = self._absolute(path)
        key = None if self.cache is None else self.cache.digest_of(absolute)
        cached = None if key is None else self.cache.summary(key)
        if cached is not None:
            return {**cached, "path": path}
        return self.summarise_many([path], 1).get(path)


def _add_project_findings(result: RunResult, analysed: _Outcomes, settings) -> None:
    """Add the findings that need the whole project (transitive blocking, twins, bridges)."""
    summarised = {p: o for p, o in analysed.done.items() if o.module is not None}
    others = [p for p, o in analysed.done.items() if o.module is None and o.error is None]

    def summaries() -> dict[str, dict]:
        found = {path: analysed.summary_data(path, o) for path, o in summarised.items()}
        return {path: data for path, data in found.items() if data is not None}

    result.project = ProjectRun(summaries, others, settings.analysis_options(), analysed.summarise)
    for path, findings in analysed.project_findings(result.project).items():
        result.extend(path, findings, settings)


def _same_module(outcome: Outcome, path: str) -> bool:
    """A summary cached for the same content elsewhere names another module: re-analyse."""
    from deblock.analysis.modules import module_name

    return outcome.module is None or outcome.module == module_name(path)[0]


def _check(item: tuple[str, bytes | None], options: AnalysisOptions) -> Outcome:
    path, data = item
    return check_file(path, options) if data is None else check_bytes(data, path, options)


def _summarise(item: tuple[str, bytes], options: AnalysisOptions) -> Outcome:
    path, data = item
    return check_bytes(data, path, options, summarise=True)


def _in_pool(
    items: list[tuple[str, bytes | None]], options: AnalysisOptions, jobs: int, work=_check
) -> list[Outcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    workers = min(jobs, len(items))
    chunk = max(1, len(items) // (workers * 8))
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
        return list(pool.map(partial(work, options=options), items, chunksize=chunk))


def _worker_start() -> None:
    """Syntax trees are large and acyclic: collect cycles less often in the workers."""
    import gc

    gc.set_threshold(50_000, 20, 20)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
