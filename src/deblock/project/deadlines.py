"""Coroutines another module runs under a deadline (``analysis.timed_calls``, across
modules): their blocking calls get no await either."""

from __future__ import annotations

from deblock.analysis.timed_calls import awaited_in_turn, deadline_reason
from deblock.project.index import ProjectIndex
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def timed_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the coroutines a caller runs under a deadline (call sites the module pass
    marked ``timed``) and those they await in turn, as ``Span``s of all their fixes."""
    index = ProjectIndex(source)
    reasons: dict[str, str] = {}
    for summary in list(source.summaries):
        for function in summary.functions.values():
            for site in function.sites:
                if site.timed is not None and (target := index.coroutine(site.callee)):
                    place = f"{summary.path}:{site.line}"
                    reasons.setdefault(target, deadline_reason(site.timed, place))

    spans: dict[str, list[Span]] = {}
    for qualname, why in awaited_in_turn(reasons, index.awaited).items():
        summary, function = index.function(qualname)
        span = (function.line, function.end_line, why, qualname, None)
        spans.setdefault(summary.path, []).append(span)
    return spans


def spans_in(functions: dict[str, dict], spans: list[Span]) -> list[Span]:
    """``spans`` found again in a module's summary (``functions``: its JSON form) by their
    coroutines' names: where a fix moved their lines."""
    return [
        (function["line"], function["end_line"], why, qualname, resource)
        for _, _, why, qualname, resource in spans
        if (function := functions.get(qualname)) is not None
    ]
