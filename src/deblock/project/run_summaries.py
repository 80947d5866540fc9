"""The summaries of a run's modules, for the project-wide pass (imported only when the
project findings are judged: a warm run reads them back from the cache)."""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import TYPE_CHECKING

from deblock.analysis import AnalysisOptions
from deblock.analysis.modules import module_name, renamed_beside
from deblock.analysis.summary import ModuleSummary
from deblock.cache import Cache, digest
from deblock.file_check import Outcome, check_bytes
from deblock.library.summaries import Libraries
from deblock.pool import Workers
from deblock.project.shared_outcomes import SharedOutcomes
from deblock.project.summaries import ModuleSummaries

if TYPE_CHECKING:
    from deblock.project.processes import Processes


class RunSummaries(ModuleSummaries):
    """The summaries of a namespace of a run's modules (``namespaces``).

    The analysed modules' summaries come fresh from their outcomes (taken out of them),
    or from the cache, or are made again; the namespace's other modules (no coroutine in
    them, or ``foreign``: another project's) are pending, and summarised when reached, many
    at a time in worker processes, into the cache too. ``made`` keeps every summary by
    path, for the run's other namespaces; ``roots``: the top-level names of the run's
    modules. ``sources``: the projects' packages the run does not hold (``own_sources``),
    pending too, so that their names are the project's, not an installed copy's.
    ``boundary``: which modules never run in one process (``ModuleSummaries.meeting``).
    ``shared``: the outcomes of modules summarised by any of the run's forked judges.
    """

    def __init__(
        self,
        outcomes: dict[str, Outcome],
        options: AnalysisOptions,
        cache: Cache | None,
        workers: Workers,
        libraries: Libraries | None = None,
        own: Collection[str] | None = None,
        foreign: Collection[str] = (),
        made: dict[str, ModuleSummary] | None = None,
        roots: set[str] | None = None,
        sources: Collection[str] = (),
        boundary: Processes | None = None,
        shared: SharedOutcomes | None = None,
    ):
        self.outcomes, self.options, self.cache, self.workers = outcomes, options, cache, workers
        self.shared = SharedOutcomes() if shared is None else shared
        self.roots = roots
        self.made = {} if made is None else made
        self.stored: list[tuple] = []  # (path, stat, digest, outcome) for the cache
        own = outcomes if own is None else own
        analysed = [path for path in own if outcomes[path].module is not None]
        found = {path: self._known(path) for path in analysed}
        remade = {s.path: s for s in self._made([p for p, s in found.items() if s is None])}
        summaries = [
            summary if summary is not None else remade[path]
            for path, summary in found.items()
            if summary is not None or path in remade
        ]
        unanalysed = [path for path in own if outcomes[path].module is None]
        pending = {
            module_name(path)[0]: path
            for path in (*unanalysed, *foreign)
            if outcomes[path].error is None
        }
        for path in sources:
            pending.setdefault(module_name(path)[0], path)
        super().__init__(summaries, libraries, pending, boundary)

    def own_roots(self) -> set[str]:
        """The top-level names of the whole run's modules (``roots``, when given): in each
        namespace, another project's name it may not load is no installed package's
        either, whatever the run's other namespaces looked for."""
        return super().own_roots() if self.roots is None else self.roots

    def _known(self, path: str) -> ModuleSummary | None:
        """A module's summary made already: in this run, fresh in its outcome, or cached
        for an analysed module under its content's digest, if made for a module of its
        name (another of the same text, ``pkg/a/jobs.py`` beside ``pkg/b/jobs.py``, names
        its functions after itself); None: it must be made."""
        summary = self.made.get(path)
        if summary is not None:
            return summary
        outcome = self.outcomes.get(path)
        if outcome is None:  # a module of ``sources``: cached while its stat is unchanged
            if self.cache is not None and self._unchanged(path):
                summary = self._cached(path, module_name(path)[0])
        elif outcome.summary is not None:
            summary, outcome.summary = outcome.summary, None
        elif outcome.module is not None and self.cache is not None:
            summary = self._cached(path, outcome.module)
        if summary is not None:
            self.made[path] = summary
        return summary

    def _unchanged(self, path: str) -> bool:
        """Whether the cache holds the file at ``path`` as it is (its size and time), its
        bare imports finding what they found then (``renamed_beside``)."""
        try:
            cached = self.cache.by_stat(path, os.stat(path))
            beside = None if cached is None else Outcome.from_cache(cached, path).beside
        except (OSError, ValueError, TypeError):  # gone, or a damaged entry
            return False
        return beside == renamed_beside(path)

    def _cached(self, path: str, module: str) -> ModuleSummary | None:
        """The summary cached for the content recorded for ``path``, if made for a module
        named ``module``."""
        key = self.cache.digest_of(path)
        cached = None if key is None else self.cache.summary(key)
        if cached is None or cached.get("module") != module:
            return None
        return ModuleSummary.from_dict({**cached, "path": path})

    def summarise(self, paths: list[str]) -> list[ModuleSummary]:
        """Summaries of the modules at ``paths``: those made already, the others made now."""
        known = {path: self._known(path) for path in paths}
        made = {s.path: s for s in self._made([p for p, s in known.items() if s is None])}
        return [s for p in paths if (s := known[p] or made.get(p)) is not None]

    def complete(self, paths: list[str]) -> None:
        """Analyse again, whole, the deferred modules at ``paths`` (``project.deferred``)."""
        if not paths:
            return
        made = {s.path: s for s in self._made(paths)}
        self.summaries = [made.get(s.path, s) for s in self.summaries]
        for summary in made.values():
            self.modules[summary.module] = summary
        self._read_at_once(list(made.values()))

    def _made(self, paths: list[str]) -> list[ModuleSummary]:
        """Summarise the modules at ``paths`` (or take what another judge made of them,
        ``shared``); their outcomes are to go into the cache (``stored``: the run stores
        them, whichever process judged)."""
        items, stats = [], []
        for path in paths:
            try:
                stat = os.stat(path)
                with open(path, "rb") as fh:
                    items.append((path, fh.read()))
            except OSError:
                continue
            stats.append(stat)
        outcomes = [self.shared.get(path, data) for path, data in items]
        todo = [item for item, outcome in zip(items, outcomes, strict=True) if outcome is None]
        size = sum(len(data) for _, data in todo)
        made = self.workers.map(_summarise, todo, size, weight=_bytes, options=self.options)
        for (path, data), outcome in zip(todo, made, strict=True):
            self.shared.put(path, data, outcome)
        made = iter(made)
        outcomes = [next(made) if outcome is None else outcome for outcome in outcomes]
        summaries = []
        for (path, data), stat, outcome in zip(items, stats, outcomes, strict=True):
            if self.cache is not None:
                self.stored.append((path, stat, digest(data), outcome))
            if outcome.summary is not None:
                summaries.append(outcome.summary)
                self.made[path] = outcome.summary
        return summaries


def _bytes(item: tuple[str, bytes]) -> int:
    """How much work summarising a module is: its bytes."""
    return len(item[1])


def _summarise(item: tuple[str, bytes], options: AnalysisOptions) -> Outcome:
    path, data = item
    return check_bytes(data, path, options, summarise=True)
