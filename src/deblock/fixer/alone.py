"""A module analysed alone, for a fix with nothing known of its project."""

from __future__ import annotations

from deblock.analysis import AnalysisOptions, analyze_source
from deblock.analysis.fix_shapes import settle_subprocesses
from deblock.analysis.open_forms import settle_open_blocks
from deblock.findings import Finding
from deblock.project.carried import carry_found


def analyze_alone(
    source: str,
    path: str,
    options: AnalysisOptions,
    imports: frozenset[str] | None,
    library: str | None = None,
) -> tuple[list[Finding], str | None]:
    """The findings of a module analysed alone, its open blocks' forms decided with the
    packages its fixes may import (``imports``; None: any) and its child processes' with
    its async library (``library``, or the one it commits to), and that library."""
    report = analyze_source(source, path, options)
    library = library or report.library
    settled = settle_open_blocks(carry_found(report.findings, ()), library, lambda: imports)
    return settle_subprocesses(settled, library), library
