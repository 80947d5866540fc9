"""Whether an await a fix adds at a call site would change the program (``CallSite.kept``),
decided when a finding there has a safe fix; and why the ``with`` block whose context
manager a call site makes must stay on the event loop (``CallSite.stays``), decided when a
finding there has any fix (it would move the block into a thread).

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
    """``CallSite.kept`` and ``CallSite.stays`` of the sites of the run's modules, by path,
    decided on demand."""

    def __init__(self, options: AnalysisOptions):
        self.options = options
        self._by_path: dict[str, dict[tuple[int, int, int, int], CallSite] | None] = {}

    def of(self, path: str, site: CallSite) -> str | None:
        """Why an await at ``site`` (in the module at ``path``) would change the program."""
        decided = self._decided_site(path, site)
        if decided is None:
            return f"{_CHANGED} whether an await there would change the program"
        return decided.kept

    def block_stays(self, path: str, site: CallSite) -> str | None:
        """Why the ``with`` block whose context manager ``site`` makes must stay on the
        event loop."""
        decided = self._decided_site(path, site)
        if decided is None:
            return f"{_CHANGED} whether its block may leave the event loop"
        return decided.stays

    def _decided_site(self, path: str, site: CallSite) -> CallSite | None:
        if path not in self._by_path:
            self._by_path[path] = self._decided(path)
        decided = self._by_path[path]
        return None if decided is None else decided.get(site.span)

    def _decided(self, path: str) -> dict[tuple[int, int, int, int], CallSite] | None:
        try:
            with open(path, "rb") as source:
                text = decode_source(source.read())
            summary = check_module(text, path, self.options, sites_kept=True).summary
        except (OSError, SourceError, SyntaxError, ValueError):
            return None
        return {s.span: s for function in summary.functions.values() for s in function.sites}
