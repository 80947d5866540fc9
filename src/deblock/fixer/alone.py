"""A module analysed alone, for a fix with nothing known of its project."""

from __future__ import annotations

from deblock.analysis import AnalysisOptions, analyze_source
from deblock.analysis.library_forms import settle_library
from deblock.findings import Finding
from deblock.project.carried import carry_found


def analyze_alone(
    source: str,
    path: str,
    options: AnalysisOptions,
    imports: frozenset[str] | None,
    library: str | None = None,
) -> tuple[list[Finding], str | None]:
    """The findings of a module analysed alone, its fixes' forms settled with its async
    library (``library``, or the one it commits to) and the packages its fixes may import
    (``imports``; None: any), and that library."""
    report = analyze_source(source, path, options)
    library = library or report.library
    found = carry_found(report.findings, ())
    return settle_library(found, library, lambda: imports, report.binds or {}), library
