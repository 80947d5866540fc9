"""Coroutines another module runs under a deadline (``analysis.timed_calls``, across
modules): their blocking calls get no await either."""

from __future__ import annotations

from deblock.analysis.timed_calls import deadline_reason
from deblock.project.index import ProjectIndex
from deblock.project.summaries import ModuleSummaries


def timed_spans(source: ModuleSummaries) -> dict[str, list[tuple[int, int, str]]]:
    """By path, the lines of the coroutines a caller runs under a deadline (call sites the
    module pass marked ``timed``) and of the coroutines they await in turn, each with why."""
    index = ProjectIndex(source)
    reasons: dict[str, str] = {}
    pending: list[str] = []
    for summary in list(source.summaries):
        for function in summary.functions.values():
            for site in function.sites:
                if site.timed is not None:
                    why = deadline_reason(site.timed, f"{summary.path}:{site.line}")
                    _add(index, site.callee, why, reasons, pending)
    while pending:
        why = reasons[pending[-1]]
        _, coroutine = index.function(pending.pop())
        for site in coroutine.sites:
            if site.awaited:
                _add(index, site.callee, why, reasons, pending)
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for qualname, why in reasons.items():
        summary, coroutine = index.function(qualname)
        spans.setdefault(summary.path, []).append((coroutine.line, coroutine.end_line, why))
    return spans


def _add(index: ProjectIndex, callee: str, why: str, reasons: dict, pending: list) -> None:
    """Count the coroutine ``callee`` names as run under a deadline, if it is one."""
    target = index.normalize(callee)
    found = index.function(target)
    if found is not None and found[1].is_async and target not in reasons:
        reasons[target] = why
        pending.append(target)
