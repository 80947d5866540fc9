"""Which sync functions of the project block, directly or through other project functions."""

from __future__ import annotations

from deblock.project.index import ProjectIndex
from deblock.rules import Catalogue, blocks_outside_coroutines


class BlockingChains:
    """Finds, for a sync project function, one chain of calls that ends in a blocking call,
    preferring at each step what always runs over what runs on some paths only."""

    def __init__(self, index: ProjectIndex, catalogue: Catalogue):
        self.index = index
        self.catalogue = catalogue
        self._memo: dict[str, tuple[str, ...] | None] = {}

    def of(self, qualname: str) -> tuple[str, ...] | None:
        """``("helper", "_pause", "time.sleep (utils.py:5)")``, or None if it does not block."""
        return self._chain(qualname, set())

    def _chain(self, qualname: str, active: set[str]) -> tuple[str, ...] | None:
        if qualname in self._memo:
            return self._memo[qualname]
        found = self.index.function(qualname)
        if found is None or found[1].is_async or qualname in active:
            return None
        summary, function = found
        name = qualname.removeprefix(summary.module + ".")
        active.add(qualname)
        result = None
        for target, line, direct in _steps(function.blocking, function.calls):
            place = f"({summary.path}:{line})"
            resolved = target if direct else self.index.normalize(target)
            entry = None if direct else self.catalogue.blocking(resolved)
            if direct or (entry is not None and blocks_outside_coroutines(entry)):
                result = (name, f"{resolved} {place}")
                break
            deeper = self._chain(resolved, active)
            if deeper is not None:
                result = (name, *deeper)
                break
        active.discard(qualname)
        self._memo[qualname] = result
        return result


def _steps(blocking, calls):
    """(target, line, is a direct blocking call): the steps that always run first, then
    those on a path that may not run, each group in line order."""
    steps = [(*step, True) for step in blocking] + [(*step, False) for step in calls]
    steps.sort(key=lambda step: (not step[2], step[1]))
    return [(target, line, direct) for target, line, _, direct in steps]
