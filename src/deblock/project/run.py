"""Project-wide findings for a run: summaries in, findings per file (after noqa) out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property

from deblock.analysis import AnalysisOptions
from deblock.analysis.modules import module_name
from deblock.analysis.summary import ModuleSummary
from deblock.findings import Finding
from deblock.noqa import without_silenced
from deblock.project import project_findings
from deblock.project.index import Loader
from deblock.source import SourceError, decode_source


class ProjectRun:
    """The summaries of one run's modules, judged together.

    ``summaries`` gives (when first needed) the JSON form of the modules already
    analysed, by path;
    ``other_files`` are the run's modules that were not (no coroutine in them): they are
    summarised only when a call site reaches into them, by ``load``.
    """

    def __init__(
        self,
        summaries: Callable[[], dict[str, dict]],
        other_files: Iterable[str],
        options: AnalysisOptions,
        load: Loader,
    ):
        self._load_summaries = summaries
        self.pending = {module_name(path)[0]: path for path in other_files}
        self.options = options
        self._load = load

    @cached_property
    def _summary_data(self) -> dict[str, dict]:
        return self._load_summaries()

    @cached_property
    def summaries(self) -> dict[str, ModuleSummary]:
        """The analysed modules' summaries (built from their JSON form when first needed)."""
        return {path: ModuleSummary.from_dict(d) for path, d in self._summary_data.items()}

    def prefetch(self, summarise_many: Callable[[list[str]], dict[str, dict]]) -> None:
        """Summarise, level by level and many at a time, the pending modules that call
        sites reach: their callees, what those re-export, the callees of those functions,
        and so on. (Judging loads modules one by one; this does most of it in bulk.)"""
        modules = {data["module"]: data for data in self._summary_data.values()}
        frontier = [
            site["callee"]
            for data in self._summary_data.values()
            for function in data["functions"].values()
            for site in function["sites"]
        ]
        seen: set[str] = set()
        while frontier:
            frontier = [name for name in dict.fromkeys(frontier) if name not in seen]
            seen.update(frontier)
            wanted = {self._pending_module_of(name, modules) for name in frontier} - {None}
            loaded = summarise_many(sorted(wanted)) if wanted else {}
            for data in loaded.values():
                modules[data["module"]] = data
                self.pending.pop(data["module"], None)
            self._summary_data.update(loaded)
            frontier = [step for name in frontier for step in _next_names(name, modules)]

    def _pending_module_of(self, qualname: str, known) -> str | None:
        """The pending module ``qualname`` lies in, unless it lies in a known one."""
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            name = ".".join(parts[:end])
            if name in known:
                return None
            if name in self.pending:
                return self.pending[name]
        return None

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


def _next_names(name: str, modules: dict[str, dict]) -> list[str]:
    """What a reached name leads to: a function's callees, or what a module name re-exports."""
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        data = modules.get(".".join(parts[:end]))
        if data is None:
            continue
        function = data["functions"].get(name)
        if function is not None:
            return [callee for callee, _ in function["calls"]]
        target = data["names"].get(parts[end].removesuffix("()"))
        return [".".join([target, *parts[end + 1 :]])] if target else []
    return []


def _text(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return decode_source(fh.read())
    except (OSError, SourceError):
        return None
