"""Project-wide findings for a run: summaries in, filtered findings per file out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from deblock.analysis import AnalysisOptions, analyze_source
from deblock.analysis.modules import module_name
from deblock.analysis.summary import ModuleSummary
from deblock.findings import Finding
from deblock.noqa import without_silenced
from deblock.project import project_findings
from deblock.source import SourceError, decode_source


def run_project_analysis(
    summaries: dict[str, ModuleSummary],
    other_files: Iterable[str],
    options: AnalysisOptions,
) -> dict[str, list[Finding]]:
    """Findings per path, after ``# noqa``, for call sites that need other modules.

    ``summaries`` holds the modules already analysed (by path); ``other_files`` are the
    run's modules that were not (no coroutine in them): they are summarised only when a
    call site reaches into them.
    """
    pending = {module_name(path)[0]: path for path in other_files}

    def load(path: str) -> ModuleSummary | None:
        text = _text(path)
        if text is None:
            return None
        try:
            return analyze_source(text, path, options).summary
        except (SyntaxError, RecursionError, ValueError):
            return None

    findings = project_findings(list(summaries.values()), options, pending=pending, load=load)
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    return {
        path: without_silenced(found, _text(path) or "") for path, found in by_path.items()
    }


def _text(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return decode_source(fh.read())
    except (OSError, SourceError):
        return None
