"""Project-wide findings for a run: its outcomes in, findings per file out."""

from __future__ import annotations

import os
from collections import defaultdict

from deblock.analysis import AnalysisOptions
from deblock.analysis.modules import module_name
from deblock.analysis.summary import ModuleSummary
from deblock.cache import Cache, digest
from deblock.file_check import Outcome, check_bytes, findings_from_cache, findings_to_cache
from deblock.findings import Finding
from deblock.library.summaries import Libraries
from deblock.pool import map_work
from deblock.project.bridges import bridge_options
from deblock.project.summaries import ModuleSummaries


class ProjectRun:
    """The project-wide findings of one run's modules, given their outcomes (by path).

    They come from the cache while no module changed since they were judged, nor the
    installed packages (warm runs then never build the summaries); else from the run's
    summaries and the ``libraries``' classes, judged together.
    """

    def __init__(
        self,
        outcomes: dict[str, Outcome],
        options: AnalysisOptions,
        cache: Cache | None,
        jobs: int,
        libraries: Libraries,
    ):
        self.outcomes, self.options, self.cache, self.jobs = outcomes, options, cache, jobs
        self.libraries = libraries
        self.bridges: dict[str, dict] = {}
        self.threaded: dict[str, dict[str, bool]] = {}

    def findings(self) -> dict[str, list[Finding]]:
        """Findings per path (``# noqa`` not applied: the run applies it); ``bridges`` then
        holds, by path, the project's own thread bridges the module's fixes may use, and
        ``threaded`` the resources its thread helpers touch."""
        paths = sorted(self.outcomes)
        key = None if self.cache is None else self._key(paths)
        cached = None if key is None else self.cache.project_findings(paths, key)
        if cached is not None:
            try:
                found = {p: findings_from_cache(fs, p) for p, fs in cached["files"].items()}
                self.bridges = dict(cached["bridges"])
                self.threaded = dict(cached["threaded"])
                return found
            except (KeyError, TypeError, ValueError):
                pass
        from deblock.project.findings import project_findings  # the judge: only when needed

        source = RunSummaries(self.outcomes, self.options, self.cache, self.jobs, self.libraries)
        found: dict[str, list[Finding]] = defaultdict(list)
        for finding in project_findings(source, self.options):
            found[finding.path].append(finding)
        self.bridges = self._bridges(source)
        self.threaded = {
            s.path: s.threaded for s in source.summaries if s.threaded and s.path in self.outcomes
        }
        if key is not None:
            stored = {path: findings_to_cache(fs) for path, fs in found.items()}
            found_here = {"files": stored, "bridges": self.bridges, "threaded": self.threaded}
            self.cache.store_project_findings(paths, key, found_here)
        return dict(found)

    def _bridges(self, source: ModuleSummaries) -> dict[str, dict]:
        """The project's own thread bridges modules may use, unless one is configured."""
        if self.options.thread_bridge is not None:
            return {}
        roots = {module_name(path)[0].partition(".")[0] for path in self.outcomes}
        return bridge_options(source.summaries, roots)

    def _key(self, paths: list[str]) -> str:
        """A digest of every module of the run (its path and the digest of its content)
        and of the installed packages' stamp."""
        parts = [f"{path}\0{self.cache.digest_of(path)}" for path in paths]
        return digest("\n".join([self.libraries.stamp(), *parts]).encode())


class RunSummaries(ModuleSummaries):
    """The summaries of a run's modules.

    The analysed modules' summaries come fresh from their outcomes, or from the cache,
    or are made again; the run's other modules (no coroutine in them) are pending, and
    summarised when reached, many at a time in worker processes, into the cache too.
    """

    def __init__(
        self,
        outcomes: dict[str, Outcome],
        options: AnalysisOptions,
        cache: Cache | None,
        jobs: int,
        libraries: Libraries | None = None,
    ):
        self.options, self.cache, self.jobs = options, cache, jobs
        found: dict[str, ModuleSummary | None] = {}
        for path, outcome in outcomes.items():
            if outcome.module is not None:
                found[path] = self._known(path, outcome)
        remade = {s.path: s for s in self.summarise([p for p, s in found.items() if s is None])}
        summaries = [
            summary if summary is not None else remade[path]
            for path, summary in found.items()
            if summary is not None or path in remade
        ]
        super().__init__(summaries, libraries)
        self.pending = {
            module_name(path)[0]: path
            for path, outcome in outcomes.items()
            if outcome.module is None and outcome.error is None
        }

    def _known(self, path: str, outcome: Outcome) -> ModuleSummary | None:
        """An analysed module's summary: fresh, or cached (None: it must be made again)."""
        if outcome.summary_data is not None:
            return ModuleSummary.from_dict(outcome.summary_data)
        key = None if self.cache is None else self.cache.digest_of(path)
        cached = None if key is None else self.cache.summary(key)
        return None if cached is None else ModuleSummary.from_dict({**cached, "path": path})

    def summarise(self, paths: list[str]) -> list[ModuleSummary]:
        """Summarise the modules at ``paths``; their outcomes go into the cache."""
        items, stats = [], []
        for path in paths:
            try:
                stat = os.stat(path)
                with open(path, "rb") as fh:
                    items.append((path, fh.read()))
            except OSError:
                continue
            stats.append(stat)
        size = sum(len(data) for _, data in items)
        outcomes = map_work(_summarise, items, size, self.jobs, options=self.options)
        summaries = []
        for (path, data), stat, outcome in zip(items, stats, outcomes, strict=True):
            outcome.store_in(self.cache, path, stat, digest(data))
            if outcome.summary_data is not None:
                summaries.append(ModuleSummary.from_dict(outcome.summary_data))
        return summaries


def _summarise(item: tuple[str, bytes], options: AnalysisOptions) -> Outcome:
    path, data = item
    return check_bytes(data, path, options, summarise=True)
