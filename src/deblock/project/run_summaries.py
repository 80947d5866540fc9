"""The summaries of a run's modules, for the project-wide pass (imported only when the
project findings are judged: a warm run reads them back from the cache)."""

from __future__ import annotations

import os
from functools import partial

from deblock.analysis import AnalysisOptions
from deblock.analysis.modules import module_name
from deblock.analysis.summary import ModuleSummary
from deblock.cache import Cache, digest
from deblock.file_check import Outcome, check_bytes
from deblock.library.summaries import Libraries
from deblock.library.summaries import summarise as library_summary
from deblock.pool import Workers
from deblock.project.summaries import ModuleSummaries

# Modules summarised ahead per task: few enough that this process seldom waits long for
# one, enough that the tasks cost little.
_AHEAD_CHUNK = 4


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
        self._foreseen: dict[str, tuple] = {}  # path -> (its result, status, bytes)
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

    def prefetch(self) -> None:
        """``ModuleSummaries.prefetch``, then summarising in a worker, one after the other,
        the modules the judging is likely to reach (``likely_reached``): those it reaches
        are then ready, or being made, while this process judges."""
        super().prefetch()
        if not self.workers.running:
            return
        items: list[tuple[str, str | bytes]] = []  # (path, bytes) or a library's (path, name)
        read_at: dict[str, tuple[int, os.stat_result, bytes]] = {}
        for library, module in self.likely_reached():
            if library and not self.libraries.known(module):
                items.append((self.libraries.package(module).module_file(module), module))
            elif not library and (read := _read(self.pending[module])) is not None:
                read_at[self.pending[module]] = (len(items), *read)
                items.append((self.pending[module], read[1]))
        ahead = self.workers.ahead(_summarise, items, _AHEAD_CHUNK, options=self.options)
        for path, (i, stat, data) in read_at.items():
            self._foreseen[path] = (partial(ahead.result, i), stat, data)
        for i, (_, module) in enumerate(items):
            if isinstance(module, str):
                self.libraries.ahead[module] = partial(ahead.result, i)

    def summarise(self, paths: list[str]) -> list[ModuleSummary]:
        """Summarise the modules at ``paths`` (or take those summarised ahead); their
        outcomes go into the cache."""
        done: list[tuple[str, os.stat_result, bytes, Outcome | None]] = []
        for path in paths:
            ahead = self._foreseen.pop(path, None)
            if ahead is not None:
                result, stat, data = ahead
                begun, outcome = result()
                done.append((path, stat, data, outcome if begun else None))
            elif (read := _read(path)) is not None:
                done.append((path, *read, None))
        items = [(path, data) for path, _, data, outcome in done if outcome is None]
        size = sum(len(data) for _, data in items)
        made = iter(self.workers.map(_summarise, items, size, options=self.options))
        summaries = []
        for path, stat, data, outcome in done:
            if outcome is None:
                outcome = next(made)
            outcome.store_in(self.cache, path, stat, digest(data))
            if outcome.summary is not None:
                summaries.append(outcome.summary)
        return summaries


def _read(path: str) -> tuple[os.stat_result, bytes] | None:
    """The file's status and bytes (None when it cannot be read)."""
    try:
        stat = os.stat(path)
        with open(path, "rb") as fh:
            return stat, fh.read()
    except OSError:
        return None


def _summarise(
    item: tuple[str, str | bytes], options: AnalysisOptions
) -> Outcome | ModuleSummary | None:
    """A module's outcome (``item``: its path and bytes), summarised; or an installed
    package's module's summary (its path and name)."""
    path, data = item
    if isinstance(data, str):
        return library_summary(path, data)
    return check_bytes(data, path, options, summarise=True)
