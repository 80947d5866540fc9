"""Which modules analysed without their runs (``ModuleSummary.deferred``) a run's fixes
need whole. A run is weighed only when it holds a culprit: a safe fix of its module's, or an
await, in turn, of a coroutine holding one (``atomic_callers``, ``helper_writes``,
``handed_sections``); and then the runs' facts of what it awaits, in turn, are read too."""

from __future__ import annotations

from collections import defaultdict

from deblock.findings import Finding
from deblock.project.index import ProjectIndex
from deblock.project.summaries import ModuleSummaries


def demanded(source: ModuleSummaries, findings: dict[str, list[Finding]]) -> list[str]:
    """The paths of the deferred modules whose runs the fixes of ``findings`` (by path)
    weigh: a module with a fix of its own, one whose coroutines await (in turn) a coroutine
    of a module with a fix, one whose coroutines such a coroutine awaits (in turn)."""
    deferred = {s.path for s in source.summaries if s.deferred}
    if not deferred:
        return []
    fixing = {path for path, found in findings.items() if any(f.strategy for f in found)}
    index = ProjectIndex(source)
    owner, holding = {}, set()
    for summary in list(source.summaries):
        lines = [f.line for f in findings.get(summary.path, ()) if f.strategy]
        for qualname, function in summary.functions.items():
            if function.is_async:
                owner[qualname] = summary.path
                if any(function.line <= n <= function.end_line for n in lines):
                    holding.add(qualname)
    awaits = {q: [c for _, c in index.awaited_as(q)] for q in owner}
    awaited_by = defaultdict(set)
    for caller, callees in awaits.items():
        for callee in callees:
            awaited_by[callee].add(caller)
    up = _closure(holding, awaited_by)
    reached = {owner[q] for q in _closure(up, awaits) if q in owner}
    return sorted((reached | fixing) & deferred)


def _closure(start: set[str], edges) -> set[str]:
    """``start`` and what ``edges`` (name -> names) lead to from it, in turn."""
    found, todo = set(start), list(start)
    while todo:
        for step in edges.get(todo.pop(), ()):
            if step not in found:
                found.add(step)
                todo.append(step)
    return found
