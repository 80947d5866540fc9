"""Whether an await a fix adds at a call site would change the program (``CallSite.kept``),
decided when a finding there has a safe fix.

The module pass leaves it undecided: of the bench corpus's ~50,000 call sites, 164 are
findings and 2 have a safe fix, and deciding it for every site cost ~10 % of the module
pass (the cleanup, cancel-scope, lock and atomic-run regions of every coroutine with a
site). A module asked about is analysed again, deciding every site of it.
"""

from __future__ import annotations

from deblock.analysis import AnalysisOptions
from deblock.analysis.checker import check_module
from deblock.analysis.summary import CallSite
from deblock.source import SourceError, decode_source

# Why a safe fix is declined when its module cannot be analysed again.
_CHANGED = "its module could not be read again (changed during the run?): it is not known"


class SiteKept:
    """``CallSite.kept`` of the sites of the run's modules, by path, decided on demand."""

    def __init__(self, options: AnalysisOptions):
        self.options = options
        self._by_path: dict[str, dict[tuple[int, int, int, int], str | None] | None] = {}

    def of(self, path: str, site: CallSite) -> str | None:
        """Why an await at ``site`` (in the module at ``path``) would change the program."""
        if path not in self._by_path:
            self._by_path[path] = self._decided(path)
        kept = self._by_path[path]
        span = (site.line, site.col, site.end_line, site.end_col)
        if kept is None or span not in kept:
            return f"{_CHANGED} whether an await there would change the program"
        return kept[span]

    def _decided(self, path: str) -> dict[tuple[int, int, int, int], str | None] | None:
        try:
            with open(path, "rb") as source:
                text = decode_source(source.read())
            summary = check_module(text, path, self.options, sites_kept=True).summary
        except (OSError, SourceError, SyntaxError, ValueError):
            return None
        return {
            (s.line, s.col, s.end_line, s.end_col): s.kept
            for function in summary.functions.values()
            for s in function.sites
        }
