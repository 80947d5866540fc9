"""The analyzer: the one place that decides what blocks the event loop."""

from __future__ import annotations

from deblock.analysis.model import AnalysisOptions, ModuleReport

__all__ = ["AnalysisOptions", "ModuleReport", "analyze_source"]


def analyze_source(
    source: str,
    path: str,
    options: AnalysisOptions | None = None,
    defer: bool = False,
    awaited: frozenset[tuple[str, str]] = frozenset(),
) -> ModuleReport:
    """Analyse one module's source text; raises ``SyntaxError`` when it cannot be parsed.
    ``defer``, ``awaited``: ``check_module``'s."""
    from deblock.analysis.checker import check_module

    return check_module(source, path, options or AnalysisOptions(), defer=defer, awaited=awaited)
