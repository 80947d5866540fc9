"""The summaries of a run's modules, for the project-wide pass (imported only when the
project findings are judged: a warm run reads them back from the cache)."""

from __future__ import annotations

import os

from deblock.analysis import AnalysisOptions
from deblock.analysis.modules import module_name
from deblock.analysis.summary import ModuleSummary
from deblock.cache import Cache, digest
from deblock.file_check import Outcome, check_bytes
from deblock.library.summaries import Libraries
from deblock.pool import Workers
from deblock.project.summaries import ModuleSummaries


class RunSummaries(ModuleSummaries):
    """The summaries of a run's modules.

    The analysed modules' summaries come fresh from their outcomes (taken out of them),
    or from the cache, or are made again; the run's other modules (no coroutine in them)
    are pending, and summarised when reached, many at a time in worker processes, into the
    cache too.
    """

    def __init__(
        self,
        outcomes: dict[str, Outcome],
        options: AnalysisOptions,
        cache: Cache | None,
        workers: Workers,
        libraries: Libraries | None = None,
    ):
        self.options, self.cache, self.workers = options, cache, workers
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
        if outcome.summary is not None:
            summary, outcome.summary = outcome.summary, None
            return summary
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
        outcomes = self.workers.map(_summarise, items, size, options=self.options)
        summaries = []
        for (path, data), stat, outcome in zip(items, stats, outcomes, strict=True):
            outcome.store_in(self.cache, path, stat, digest(data))
            if outcome.summary is not None:
                summaries.append(outcome.summary)
        return summaries


def _summarise(item: tuple[str, bytes], options: AnalysisOptions) -> Outcome:
    path, data = item
    return check_bytes(data, path, options, summarise=True)
