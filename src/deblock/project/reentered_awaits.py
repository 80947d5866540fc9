"""Fixes that would add an await to an ordered lock's body run on into another's.

A coroutine that runs an asyncio lock's body through with no suspension and leaves it for
another ``async with`` on an asyncio lock (``lock_reentries``) may do so across awaits of
the project's coroutines: when each of them never suspends, the body still runs through,
and a fix in one of them (or in what it awaits in turn), or the coroutine's own fix in
that body, adds the await that keeps the first lock taken while other tasks ask for it
(fix_fuzz ``--turns`` 267415: ``coroutine_0``'s sleep, awaited in ``async with
self.lock:`` right before the lock is taken again); a fix in one awaited between the two
blocks changes the order in which the tasks come to the second. The module pass records
each such run (``FunctionSummary.reentries``); this tells whether the awaits it crosses
never suspend.
"""

from __future__ import annotations

from collections.abc import Iterator

from deblock.project.shared_io import Span
from deblock.rules.resources import shown_resource


def reentered_spans(callees, where: tuple) -> Iterator[tuple[str, Span]]:
    """(path, span) of the fixes that would make a coroutine's ordered lock's body suspend
    where it runs on into another ``async with`` on an asyncio lock across awaits of
    coroutines that never suspend (``callees``: ``atomic_callers._Callees``; ``where``: the
    coroutine's path, name and summary)."""
    path, qualname, function = where
    shown = f"`{qualname.rpartition('.')[2]}` ({path}:{function.line})"
    for first, last, crossed, taken, held, again, touched in function.reentries:
        awaited = [s for s in function.sites if s.awaited and s.line in crossed]
        found = [_whole(callees, site, path) for site in awaited]
        if not all(found):
            continue
        from deblock.analysis.lock_reentries import reentry_reason

        resource = shown_resource(touched)
        between = "only awaits of coroutines that never suspend"
        for site, whole in zip(awaited, found, strict=True):
            inside = site.line <= held  # else between the two blocks
            runs = "in" if inside else "after"
            runs = f"it runs in a coroutine that never suspends, which {shown} awaits {runs}"
            why = reentry_reason(runs, taken, "it", again, between, resource, not inside)
            for callee in whole:
                yield from callees.declined(("callee", callee), where, why)
        if first <= held:
            why = reentry_reason(f"it runs in {shown}, in", taken, "it", again, between, resource)
            yield path, (first, min(last, held), why, qualname, None)
        if last > held:
            runs = f"it runs in {shown}, after"
            why = reentry_reason(runs, taken, "it", again, between, resource, True)
            yield path, (max(first, held + 1), last, why, qualname, None)


def _whole(callees, site, path: str) -> list[str]:
    """The project coroutines awaited call ``site`` (in the module at ``path``) may run,
    when each never suspends; none when one may (or it is bridged into a thread, or not
    the project's)."""
    if site.bridged:
        return []
    found = callees.index.coroutines(site.callee, site, path)
    return found if found and all(callees.atomic(callee) for callee in found) else []
