"""Project-wide findings for a run: summaries in, findings per file (after noqa) out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from deblock.analysis import AnalysisOptions, analyze_source
from deblock.analysis.modules import module_name
from deblock.analysis.summary import ModuleSummary
from deblock.findings import Finding
from deblock.noqa import without_silenced
from deblock.project import project_findings
from deblock.project.index import Loader
from deblock.source import SourceError, decode_source


class ProjectRun:
    """The summaries of one run's modules, judged together.

    ``summaries`` holds the JSON form of the modules already analysed (by path);
    ``other_files`` are the run's modules that were not (no coroutine in them): they are
    summarised only when a call site reaches into them, by ``load`` (default: analyse).
    """

    def __init__(
        self,
        summaries: dict[str, dict],
        other_files: Iterable[str],
        options: AnalysisOptions,
        load: Loader | None = None,
    ):
        self._summary_data = summaries
        self.pending = {module_name(path)[0]: path for path in other_files}
        self.options = options
        self._load = load or self._analyse

    @cached_property
    def summaries(self) -> dict[str, ModuleSummary]:
        """The analysed modules' summaries (built from their JSON form when first needed)."""
        return {path: ModuleSummary.from_dict(d) for path, d in self._summary_data.items()}

    def findings(self) -> dict[str, list[Finding]]:
        """Findings per path for the call sites of every module."""
        return self._judge(self.summaries)

    def findings_for(self, path: str, summary: ModuleSummary, text: str) -> list[Finding]:
        """Findings for one module whose code changed (the fixer's re-analysis)."""
        judged = self._judge({**self.summaries, path: summary}, only=summary, text=text)
        return judged.get(path, [])

    def _judge(self, summaries, only=None, text=None) -> dict[str, list[Finding]]:
        found = project_findings(
            list(summaries.values()),
            self.options,
            pending=self.pending,
            load=self._load,
            only=only,
        )
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for finding in found:
            by_path[finding.path].append(finding)
        return {
            path: without_silenced(items, text if only else (_text(path) or ""))
            for path, items in by_path.items()
        }

    def _analyse(self, path: str) -> ModuleSummary | None:
        text = _text(path)
        if text is None:
            return None
        try:
            return analyze_source(text, path, self.options).summary
        except (SyntaxError, RecursionError, ValueError):
            return None


def _text(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return decode_source(fh.read())
    except (OSError, SourceError):
        return None
