"""The rule registry and the catalogue of blocking calls, gathered from the family modules."""

from __future__ import annotations

from functools import cache

from deblock.rules import files, misc, network, os_io, processes, project, sleep, twins
from deblock.rules.model import Blocking, Returns, Rule

_FAMILIES = (sleep, files, os_io, processes, network, twins, misc, project)

RULES: tuple[Rule, ...] = tuple(rule for family in _FAMILIES for rule in family.RULES)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
CONFIGURED_CODE = "DBK790"


def blocks_outside_coroutines(entry: Blocking) -> bool:
    """Whether a sync function making this call blocks whoever calls it."""
    return not BY_CODE[entry.code].coroutine_only


class Catalogue:
    """Looks up which qualified names block, and what calls return."""

    def __init__(self, entries: tuple[Blocking, ...], returns: tuple[Returns, ...]):
        self.entries = entries
        self.returns = returns
        self._exact = {e.target: e for e in entries if not e.target.endswith(".*")}
        self._prefixes = {e.target[:-2]: e for e in entries if e.target.endswith(".*")}
        self._calls = {r.target: r.returns for r in returns if not r.attribute}
        self._attributes = {r.target: r.returns for r in returns if r.attribute}

    def blocking(self, qualname: str) -> Blocking | None:
        """The entry for a called qualified name, exact names first, then class wildcards."""
        entry = self._exact.get(qualname)
        if entry is not None:
            return entry
        head = qualname
        while "." in head:
            head = head.rpartition(".")[0]
            entry = self._prefixes.get(head)
            if entry is not None:
                return entry
        return None

    def call_returns(self, qualname: str) -> str | None:
        """The class of instances a call to ``qualname`` returns, when known."""
        return self._calls.get(qualname)

    def attribute_returns(self, qualname: str) -> str | None:
        """The class of the value of attribute ``qualname``, when known."""
        return self._attributes.get(qualname)


@cache
def catalogue_with(extra: tuple[Blocking, ...] = ()) -> Catalogue:
    """The built-in catalogue, with the user-configured entries ``extra`` added (they win
    over built-ins)."""
    return Catalogue(
        (*(entry for family in _FAMILIES for entry in family.BLOCKING), *extra),
        tuple(entry for family in _FAMILIES for entry in family.RETURNS),
    )
