"""Discovery, cache, analysis and filtering for a whole run; shared by ``check`` and ``fix``.

Use ``load_settings(paths, config_file).overridden(select, ignore)`` for the settings, then
``analyze_paths(paths, settings, jobs=None, cache_dir=...)``: its ``RunResult`` maps every
checked path to its reported findings, lists the files that could not be checked, and
names the async library each analysed module commits to (``project.async_library`` then
chooses one for every module).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import field
from functools import partial
from pathlib import Path

from deblock.analysis import AnalysisOptions
from deblock.analysis.fix_shapes import SUBPROCESS
from deblock.analysis.interned import Interned
from deblock.analysis.modules import forget_layout
from deblock.cache import Cache, digest
from deblock.collector import collector_paused
from deblock.config import Settings
from deblock.discovery import Discovered, discover
from deblock.file_check import INTERNAL_ERROR, Outcome, check_bytes, check_file
from deblock.findings import FileError, Finding
from deblock.layout_record import RunLayout
from deblock.library.summaries import Libraries
from deblock.noqa import keep_silenced_sections, without_silenced
from deblock.pool import Workers, cores, file_size
from deblock.project.carried import carry_found
from deblock.project.common_lock import with_lock
from deblock.project.dependencies import project_dependencies
from deblock.project.hand_stepped import decline_hand_stepped
from deblock.project.importers import importers
from deblock.project.loop_bound import decline_loop_bound
from deblock.project.run import ProjectRun
from deblock.project.shared_io import Span, decline_kept, decline_shared, shared_across_modules
from deblock.records import record

# The package whose declaration settles an open block's fix (``open_forms``): the only one
# asked of a project's dependencies, so a ``pyproject.toml`` that cannot name it is not parsed.
_ASYNC_FILES = frozenset({"aiofiles"})


@record
class RunResult:
    """The reported findings per checked file, and the files that could not be checked;
    the async library each module commits to, the modules that step coroutines by hand
    (``stepping``: the line), the project's own thread bridge its fixes call
    (``project.bridges``), and the resources each file's fixes would touch beside code its
    lock does not serialise (with the reason their safe fixes are declined)."""

    files: dict[str, list[Finding]] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    libraries: dict[str, str | None] = field(default_factory=dict)  # None: the project's
    stepping: dict[str, int] = field(default_factory=dict)
    bridges: dict[str, str] = field(default_factory=dict)
    shared: dict[str, dict[str, str]] = field(default_factory=dict)
    locks: dict[str, str] = field(default_factory=dict)  # ``common_lock.common_locks``
    kept: dict[str, list[Span]] = field(default_factory=dict)  # ``ProjectRun.kept``
    loop: dict[str, list[tuple]] = field(default_factory=dict)  # ``ProjectRun.loop``
    awaited: dict[str, frozenset] = field(default_factory=dict)  # ``ProjectRun.awaited``
    summaries: dict[str, dict] = field(default_factory=dict, repr=False)  # analyze_bytes's
    unreported: list[Finding] = field(default_factory=list, repr=False)  # on a resource
    noqa: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict, repr=False)
    binds: dict[str, dict] = field(default_factory=dict, repr=False)  # ``Outcome.binds``

    @property
    def findings(self) -> list[Finding]:
        """All reported findings, by path then position."""
        return [f for path in sorted(self.files) for f in self.files[path]]

    @property
    def internal_errors(self) -> list[FileError]:
        """Errors caused by a defect in deblock rather than by the file."""
        return [e for e in self.errors if e.reason.startswith(INTERNAL_ERROR)]

    def add(
        self,
        path: str,
        outcome: Outcome,
        settings: Settings,
        across: Sequence[Finding] = (),
    ) -> None:
        """Record one file's outcome and the findings the project pass made in it
        (``across``), keeping only the findings the settings report."""
        self.files[path] = []
        if outcome.noqa:
            self.noqa[path] = outcome.noqa
        found = carry_found(outcome.findings, across)
        if across:  # the twin calls of both passes that share a run of statements
            from deblock.analysis.apart_twins import apart_in_segments

            found = apart_in_segments(found)
        self.extend(path, found, settings)
        if outcome.module is not None or outcome.library is not None:
            self.libraries[path] = outcome.library
        if outcome.steps is not None:
            self.stepping[path] = outcome.steps
        if outcome.binds:
            self.binds[path] = outcome.binds
        if outcome.error is not None:
            self.errors.append(outcome.error)

    def leave_out(self, paths: set[str]) -> None:
        """Report nothing of the files at ``paths``: judged beside the run's own only
        (``importers``)."""
        self.files = {path: found for path, found in self.files.items() if path not in paths}
        self.errors = [e for e in self.errors if e.path not in paths]

    def settle_library_forms(
        self,
        settings: Settings,
        libraries: dict[str, str | None] | None = None,
        bridges: dict[str, dict] | None = None,
    ) -> None:
        """Settle, with the library of each module (default: the one
        ``project_libraries`` chooses), the project's own thread bridge its fixes call (of
        those ``bridges`` offers it: ``_bridged``) and how it binds the names fixes import
        (``binds``), the forms its fixes take there (``library_forms``: each ``with
        open(...)`` block's, with its project's dependencies; a child process's; none whose
        import the code binds otherwise)."""
        bridges = bridges or {}
        settling = [
            path
            for path, found in self.files.items()
            if any(f.open_form or f.unsafe_strategy == SUBPROCESS for f in found)
            or path in bridges
            or (path in self.binds and any(f.fixable for f in found))
        ]
        if settling and libraries is None:  # only their projects are weighed
            from deblock.project.async_library import project_libraries

            libraries = project_libraries(self.libraries, settling)
        for path in settling:
            from deblock.analysis.library_forms import settle_library  # weighs their fixes

            dependencies = partial(project_dependencies, path, settings.root, _ASYNC_FILES)
            library = libraries.get(path)
            found, binds = self._bridged(path, bridges.get(path), library)
            self.files[path] = settle_library(found, library, dependencies, binds)

    def _bridged(
        self, path: str, options: dict | None, library: str | None
    ) -> tuple[list[Finding], dict]:
        """``path``'s findings, those of a module on ``library`` through the project's own
        bridge it calls (``chosen_bridge`` of its ``options``, kept in ``bridges``), and how
        the module binds the names their fixes import (``options`` add the bridges')."""
        if options is None:
            return self.files[path], self.binds.get(path, {})
        from deblock.project.bridges import chosen_bridge

        binds = {**self.binds.get(path, {}), **options["binds"]}
        bridge = chosen_bridge(options, library)
        if bridge is None:
            return self.files[path], binds
        self.bridges[path] = bridge
        return [f if f.bridge else f._replace(bridge=bridge) for f in self.files[path]], binds

    def extend(self, path: str, findings: list[Finding], settings: Settings) -> None:
        """Add findings for ``path``, keeping only those the settings report and no
        ``# noqa`` comment silences (the one place ``# noqa`` applies)."""
        if not findings:  # most files (~3 ms of a warm run of 4,891 files)
            self.files.setdefault(path, [])
            return
        kept = without_silenced(findings, self.noqa.get(path, {}))
        if len(kept) < len(findings):
            kept = keep_silenced_sections(findings, kept)
        chosen = settings.selector.reported(kept, path)
        if len(chosen) < len(findings):  # left as they are, on the event loop
            self.unreported += [f for f in findings if f.resource and f not in chosen]
        reported = self.files.get(path, []) + chosen
        self.files[path] = sorted(reported, key=lambda f: (f.line, f.col, f.code))


def analyze_bytes(
    data: bytes,
    path: str,
    settings: Settings,
    library: str | None = None,
    awaited: frozenset[tuple[str, str]] = frozenset(),
) -> RunResult:
    """Check one module given as bytes (standard input, or text the fixer produced, with
    the async ``library`` its project chose for it and the places its run found other
    modules' coroutines await: ``ProjectRun.awaited``); its summary's JSON form too
    (``summaries``)."""
    result = RunResult()
    outcome = check_bytes(data, path, settings.analysis_options(), awaited=awaited)
    result.add(path, outcome, settings)
    result.files.update(decline_hand_stepped(result.files, result.libraries, result.stepping))
    summary = outcome.summary
    if summary is not None:
        result.summaries[path] = summary.to_dict()
        if any(function.runs for function in summary.functions.values()):
            from deblock.project.atomic_callers import keep_atomic_alone  # seldom needed

            result.files[path] = keep_atomic_alone(result.files[path], summary)
    result.settle_library_forms(settings, {path: library or outcome.library})
    return result


@collector_paused()
def analyze_paths(
    paths: Sequence[str | os.PathLike],
    settings: Settings,
    *,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
) -> RunResult:
    """Check the Python files under ``paths``, judged beside their project's modules that
    import them (``importers``), and beside all its modules when their fixes move calls on
    a shared resource (``_on_resources``), which are not reported; ``jobs`` defaults to the
    number of cores, ``cache_dir=None`` disables the cache."""
    forget_layout()  # the run names its modules from the file system as it is now
    found = discover(paths, settings, cache_dir)
    reach = importers(paths, found.files, settings, cache_dir)
    result = _analyzed(found, reach.callers, settings, jobs, cache_dir)
    if reach.rest and _on_resources(result, found.files):
        result = _analyzed(found, reach.callers + reach.rest, settings, jobs, cache_dir)
    return result


def _on_resources(result: RunResult, files: list[str]) -> bool:
    """Whether a fix (safe, or unsafe: maybe declined) of one of ``files`` moves a call on
    a shared resource into a thread: whether it is safe depends on every module of the
    project that touches the resource (``shared_across_modules``), importer or not."""
    found = (f for path in files for f in result.files.get(path, ()))
    return any(f.resource and f.fixable and not f.chain for f in found)


def _analyzed(
    found: Discovered,
    callers: list[str],
    settings: Settings,
    jobs: int | None,
    cache_dir: str | Path | None,
) -> RunResult:
    """``analyze_paths``' result for the files ``found``, judged beside ``callers``."""
    files = sorted([*found.files, *callers])
    cache = Cache(cache_dir, settings.fingerprint()) if cache_dir is not None else None
    options = settings.analysis_options()
    libraries = Libraries(settings.python, cache_dir)
    layout = RunLayout(files, cache_dir)
    with Workers(jobs or cores()) as workers:
        outcomes = _Outcomes(options, cache, layout).run(files, workers)
        project = ProjectRun(
            outcomes, options, cache, workers, libraries, layout, frozenset(callers)
        )
        project_found = project.findings()
    result = RunResult(errors=list(found.errors))  # a second pass starts from them again
    for path in files:
        outcome = project.relearned.get(path, outcomes[path])
        result.add(path, outcome, settings, project_found.get(path, ()))
    result.loop, result.awaited = project.loop, project.awaited
    for path, moves in project.loop.items():
        if path in result.files:
            lone = project.tests.get(path, ())
            result.files[path] = decline_loop_bound(result.files[path], moves, lone)
    result.files.update(decline_hand_stepped(result.files, result.libraries, result.stepping))
    result.settle_library_forms(settings, bridges=project.bridges)
    result.unreported += project.on_loop
    result.shared, result.locks = project.shared(
        lambda: shared_across_modules(
            result.files,
            project.threaded,
            result.unreported,
            project.programs,
            project.loaded,
            project.tests,
            _held(result.files, project.kept),
            project.common,
        ),
        repr((settings.select, settings.ignore, settings.per_file_ignores)),
    )
    for path, shared in result.shared.items():
        result.files[path] = decline_shared(result.files[path], shared)
    for path, lock in result.locks.items():
        result.files[path] = with_lock(result.files[path], lock)
    result.kept = project.kept
    for path, spans in project.kept.items():
        if path in result.files:
            lone = project.tests.get(path, ())
            result.files[path] = decline_kept(result.files[path], spans, lone)
    result.leave_out(set(callers))
    result.errors.sort(key=lambda e: (e.path, e.line or 0))
    if cache is not None:
        cache.save()
        libraries.save()
    return result


def _held(files: dict[str, list[Finding]], kept: dict[str, list[Span]]) -> frozenset[str]:
    """The paths where ``kept`` spans keep a call on a resource on the event loop."""
    held = set()
    for path, spans in kept.items():
        found = files.get(path, [])
        pairs = zip(found, decline_kept(found, spans), strict=True)
        if any(f.resource and f.safe_fix and not g.safe_fix for f, g in pairs):
            held.add(path)
    return frozenset(held)


class _Outcomes:
    """Outcomes for many files: from the cache when possible, else analysed."""

    def __init__(self, options: AnalysisOptions, cache: Cache | None, layout: RunLayout):
        self.options, self.cache, self.layout = options, cache, layout
        self.done: dict[str, Outcome] = {}
        self.pending: dict[str, int] = {}  # the paths to analyse, and their bytes
        self.stats: dict[str, os.stat_result] = {}
        self.interned = Interned()

    def run(self, paths: list[str], workers: Workers) -> dict[str, Outcome]:
        for path in paths:
            self._look_up(path)
        keyed = self.cache is not None
        checked = workers.map(
            _check,
            list(self.pending),
            sum(self.pending.values()),
            weight=self.pending.__getitem__,  # the largest modules first, the smallest last
            options=self.options,
            keyed=keyed,
        )
        for path, (outcome, key) in zip(self.pending, checked, strict=True):
            self.interned.summary(outcome.summary)
            self.done[path] = outcome
            if path in self.stats and key is not None:
                outcome.store_in(self.cache, path, self.stats[path], key)
        return self.done

    def _look_up(self, path: str) -> None:
        """Answer ``path`` from the cache, or queue it for analysis."""
        if self.cache is None:
            self.pending[path] = file_size(path)
            return
        try:
            stat = os.stat(path)
            if self._answer(path, self.cache.by_stat(path, stat)):
                return
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            self.done[path] = Outcome(error=FileError(path, f"cannot read file: {exc.strerror}"))
            return
        key = digest(data)
        cached = self.cache.by_content(key)
        if self._answer(path, cached):
            self.cache.store(path, stat, key, cached)
            return
        self.stats[path] = stat
        self.pending[path] = len(data)  # read again where it is checked (see ``_check``)

    def _answer(self, path: str, cached: list | None) -> bool:
        """Use a cached outcome for ``path``; False when there is none or it is damaged, or
        when its summary names another module: found by content elsewhere, or the file's
        own, unchanged, whose directories made it another module since (a new
        ``__init__.py`` above it), or made what its bare imports find another module (a
        ``run.py`` in another script directory: ``modules.renamed_beside``)."""
        if cached is None:
            return False
        try:
            outcome = Outcome.from_cache(cached, path)
        except (KeyError, TypeError, ValueError):
            return False
        if outcome.module is not None and (
            outcome.module != self.layout.name(path)
            or outcome.beside != self.layout.beside(path)  # what its bare imports found
        ):
            return False
        self.done[path] = outcome
        return True


def _check(path: str, options: AnalysisOptions, keyed: bool) -> tuple[Outcome, str | None]:
    """Check the file at ``path``; ``keyed``: with the content digest of the bytes checked,
    which its outcome is cached under (None: not read). The run's process read the file
    only to look it up by content: kept there for the workers, the bench corpus's 35 MB
    of source stayed in a cache-filling run's peak memory."""
    outcome, data = check_file(path, options, defer=True)
    return outcome, digest(data) if keyed and data is not None else None
