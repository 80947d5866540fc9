"""The callers whose atomic runs can decline a fix in some modules (a one-file run's).

``atomic_callers`` weighs each coroutine's runs against the fixes they would split: the
caller's own, those of the coroutines it awaits, in turn (``("callee", …)``, ``("lines",
…)``: all within its awaits' closure), and those in the bodies of asyncio locks it waits
at (``turn_bodies``, which may be any module's). A run whose spans land only in the
named modules keeps the others': so a caller that is not in them, awaits nothing of
theirs (in turn), and could not wait at a lock whose body lies there declines nothing
there, and need not be weighed.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.summary import ModuleSummary
from deblock.project.index import ProjectIndex
from deblock.project.turn_bodies import TurnBodies


def reaching(
    index: ProjectIndex, summaries: list[ModuleSummary], wanted: set[str], bodies: TurnBodies
) -> list[ModuleSummary]:
    """The ``summaries`` whose functions' runs may decline a fix in a module at one of the
    ``wanted`` paths: those modules, and those with a function awaiting one of theirs, in
    turn; all when a lock's body (or what it awaits) lies in one of them."""
    if all(summary.path in wanted for summary in summaries) or bodies.within(wanted):
        return summaries
    awaiting: dict[str, set[str]] = defaultdict(set)  # coroutine -> who awaits it
    pending = [(q, s.path, f.sites) for s in summaries for q, f in s.functions.items()]
    place = {qualname: path for qualname, path, _ in pending}
    while pending:
        caller, path, sites = pending.pop()
        for site in sites:
            for callee in index.coroutines(site.callee, site, path) if site.awaited else ():
                awaiting[callee].add(caller)
                if callee not in place and (found := index.function(callee)):
                    place[callee] = found[0].path
                    pending.append((callee, found[0].path, found[1].sites))
    ahead = [qualname for qualname, path in place.items() if path in wanted]
    reached = set(ahead)
    while ahead:
        for caller in awaiting.get(ahead.pop(), ()):
            if caller not in reached:
                reached.add(caller)
                ahead.append(caller)
    paths = {place[qualname] for qualname in reached}
    return [summary for summary in summaries if summary.path in paths or summary.path in wanted]
