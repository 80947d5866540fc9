"""Where a cProfile's time went, by package: the app's own code against its libraries."""

from __future__ import annotations

import pstats
import re
from collections import Counter

APP = "ai_companion"
# Standard-library modules that are a cost of their own: the event loop and its I/O.
EVENT_LOOP = frozenset({"asyncio", "selectors", "socket", "ssl"})
_SITE_PACKAGE = re.compile(r"[/\\]site-packages[/\\]([A-Za-z0-9_]+)")
_STDLIB = re.compile(r"[/\\]lib[/\\]python3\.\d+[/\\]([A-Za-z0-9_]+)")

Function = tuple[str, int, str]


def package_of(filename: str) -> str | None:
    """The installed package, the app or an event-loop module a file belongs to; None for
    the rest of the standard library and for C functions (cProfile's ``~``)."""
    found = _SITE_PACKAGE.search(filename)
    if found:
        return found.group(1)
    if APP in re.split(r"[/\\]", filename):
        return APP
    found = _STDLIB.search(filename)
    return found.group(1) if found and found.group(1) in EVENT_LOOP else None


def shares(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Seconds of own time per package, largest first. Helpers without a package of their
    own (``typing``, ``isinstance``, a socket's ``send``) count for the package of their
    costliest caller, followed up the calls."""
    table = stats.stats  # type: ignore[attr-defined]
    owners: dict[Function, str] = {}

    def owner(function: Function, seen: frozenset[Function] = frozenset()) -> str:
        if function not in owners:
            package = package_of(function[0])
            callers = table.get(function, (0, 0, 0, 0, {}))[4]
            if package is None and callers and function not in seen:
                costliest = max(callers.items(), key=lambda item: item[1][2])[0]
                package = owner(costliest, seen | {function})
            owners[function] = package or "stdlib"
        return owners[function]

    totals: Counter[str] = Counter()
    for function, (_, _, own, _, _) in table.items():
        totals[owner(function)] += own
    return totals.most_common()
