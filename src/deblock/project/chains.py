"""Which sync functions of the project block, directly or through other project functions."""

from __future__ import annotations

from deblock.project.index import ProjectIndex
from deblock.rules import Catalogue, blocks_outside_coroutines


class BlockingChains:
    """Finds, for a sync project function, one chain of calls that ends in a blocking call."""

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
        if function.blocking:
            target, line = function.blocking[0]
            result = (name, f"{target} ({summary.path}:{line})")
        for callee, line in function.calls if result is None else ():
            resolved = self.index.normalize(callee)
            entry = self.catalogue.blocking(resolved)
            if entry is not None and blocks_outside_coroutines(entry):
                result = (name, f"{resolved} ({summary.path}:{line})")
                break
            deeper = self._chain(resolved, active)
            if deeper is not None:
                result = (name, *deeper)
                break
        active.discard(qualname)
        self._memo[qualname] = result
        return result
