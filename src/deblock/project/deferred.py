"""Which modules analysed without their runs (``ModuleSummary.deferred``) a run's fixes
need whole. A run is weighed only when it holds a culprit: a safe fix of its module's, or an
await, in turn, of a coroutine holding one (``atomic_callers``, ``helper_writes``,
``handed_sections``); and then the runs' facts of what it awaits, in turn, are read too.
A run that holds no culprit yields nothing, whatever its callees' runs say."""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.atomic_runs import ENTERED, LOCKED
from deblock.findings import Finding
from deblock.project.closure import closure
from deblock.project.index import ProjectIndex
from deblock.project.summaries import ModuleSummaries


def complete_demanded(source: ModuleSummaries, findings: dict[str, list[Finding]]) -> list[str]:
    """Make whole (``ModuleSummaries.complete``) the deferred modules whose runs the fixes
    of ``findings`` (by path) weigh, and return their paths: first those with a fix of
    their own or holding a coroutine that awaits, in turn, one holding a fix (``callers``);
    then, their runs made, those holding a coroutine that such a caller awaits, in turn,
    from a run holding a culprit (``awaited``). A fixed set of summaries completes none:
    its second step reads the runs of the modules whole already."""
    if not any(s.deferred for s in source.summaries):
        return []
    demand = _Demand(source, findings)
    callers = demand.callers()
    source.complete(callers)
    awaited = demand.awaited()
    source.complete(awaited)
    return sorted({*callers, *awaited})


class _Demand:
    """The coroutines of a namespace that hold a fix (``holding``: a finding with a
    strategy within their lines), and those that await one of them, in turn (``up``)."""

    def __init__(self, source: ModuleSummaries, findings: dict[str, list[Finding]]):
        self.source, self.index = source, ProjectIndex(source)
        self.lines = {
            path: {f.line for f in found if f.strategy} for path, found in findings.items()
        }
        self.fixing = {path for path, lines in self.lines.items() if lines}
        self.owner: dict[str, str] = {}
        holding = set()
        for summary in list(source.summaries):
            lines = self.lines.get(summary.path, ())
            for qualname, function in summary.functions.items():
                if function.is_async:
                    self.owner[qualname] = summary.path
                    if any(function.line <= n <= function.end_line for n in lines):
                        holding.add(qualname)
        self.awaits = {q: [c for _, c in self.index.awaited_as(q)] for q in self.owner}
        awaited_by = defaultdict(set)
        for caller, callees in self.awaits.items():
            for callee in callees:
                awaited_by[callee].add(caller)
        self.up = set(closure(holding, lambda q: awaited_by.get(q, ())))

    def callers(self) -> list[str]:
        """The deferred modules with a fix, or holding a coroutine of ``up``."""
        return self._deferred({self.owner[q] for q in self.up if q in self.owner} | self.fixing)

    def awaited(self) -> list[str]:
        """The deferred modules holding a coroutine that one of ``up`` awaits, in turn,
        from a run of its own that holds a culprit (``_weighed``): what its callers' runs
        read of it (``atomic_callers``: its state, edges, parts and what it awaits, in
        turn). ``up``'s modules are whole by now (``callers``)."""
        seeds = set()
        for summary in self.source.summaries:
            for qualname, function in summary.functions.items():
                if qualname not in self.up:
                    continue
                for run in function.runs:
                    if self._weighed(summary.path, function.sites, run):
                        seeds.update(self._awaited_in(summary.path, function.sites, run))
        reached = closure(seeds, lambda q: self.awaits.get(q, ()))
        return self._deferred({self.owner[q] for q in reached if q in self.owner})

    def _weighed(self, path: str, sites, run: tuple) -> bool:
        """Whether ``run`` may hold a culprit: a statement of its own on a line with a fix
        (``_Event.culprit``'s ``own``), or an await of a coroutine of ``up`` (a callee that
        gains a suspension, or whose parts or nested callees hold a fix)."""
        lines = self.lines.get(path, ())
        for _, site, _, _, line, *_ in run:
            if site in (LOCKED, ENTERED):
                continue
            if site < 0:
                if line in lines:
                    return True
            elif sites[site].awaited:
                called = sites[site]
                if not self.up.isdisjoint(self.index.coroutines(called.callee, called, path)):
                    return True
        return False

    def _awaited_in(self, path: str, sites, run: tuple) -> list[str]:
        """The coroutines ``run`` (of a coroutine of the module at ``path``) awaits (as
        ``awaits`` has them)."""
        called = [sites[site] for site in sorted({site for _, site, *_ in run if site >= 0})]
        return [c for _, c in self.index.awaited_at(called, path)]

    def _deferred(self, paths: set[str]) -> list[str]:
        """Those of ``paths`` whose modules are deferred still."""
        return sorted(paths & {s.path for s in self.source.summaries if s.deferred})
