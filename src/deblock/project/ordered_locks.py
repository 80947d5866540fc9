"""Safe fixes that another module's asyncio lock keeps out.

An asyncio lock (``Lock``, ``Semaphore``, ``BoundedSemaphore``, ``Condition``) hands itself
on in the order it was asked, and leaving its ``async with`` does not suspend: what runs
right before and after it, and the end of its body with what follows, come in one order
across tasks (``joined_runs``). A module knows which of its
own names hold one, not which of another module's it enters (``async with helpers.LOCK:``,
``ModuleSummary.locks``). The project pass tells which of those are a global its module
binds to a new asyncio lock, or a call's result a getter of its module may return such a
lock as (``async with helpers.lock_for(key):``, ``lock_names.got_lock``), and analyses the
module again knowing it: the safe fixes
that analysis declines are kept out, offered as unsafe, with its reasons. It tells too which
of them, and of the semaphores and conditions another module binds, no module's holder waits
on (none notes it in ``ModuleSummary.held``): entering such a lock (with ``async with``, or
``await LOCK.acquire()``) never suspends, and a fix in its body, or in a section held by
hand, is declined as the module's own free lock's is. The same second analysis is told
which of the other modules' ``async with`` managers the module enters never suspend
(``managed_blocks.plain_entered``): such a block is no suspension point either, and which
of the other modules' globals its coroutines touch hold a container whose item read inserts
(``inserting_globals``): an item read of one writes it.

The summaries of that second analysis (``relearned``) are what callers' runs are weighed
with (``atomic_callers.atomic_spans``): a coroutine that waits only at another module's
``asyncio.Lock`` (``async with helpers.LOCK:``) runs with its callers' statements around
the await, and one that enters only free locks or managers that never suspend never
suspends. So the second analysis is made of every module entering such a name, whenever
the run has a safe fix to weigh. Those analyses are independent of each other: they run in
the run's worker processes when they run already (a run over one project judges in its own
process, beside them).
"""

from __future__ import annotations

from typing import NamedTuple

from deblock.analysis import AnalysisOptions
from deblock.analysis.checker import check_module
from deblock.analysis.model import ModuleReport
from deblock.findings import Finding
from deblock.pool import Workers, file_size, first_file_size
from deblock.project.index import ProjectIndex
from deblock.project.inserting_globals import imported_state, inserting_imports
from deblock.project.lock_names import bound_lock, got_lock
from deblock.project.managed_blocks import plain_entered
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries
from deblock.source import SourceError, decode_source

# Why a module's safe fixes are kept out when it cannot be analysed again.
_CHANGED = (
    "its module could not be read again (changed during the run?): it is not known whether "
    "`{lock}`, another module's asyncio lock, orders or holds the statements around it"
)
_CHANGED_ITEMS = (
    "its module could not be read again (changed during the run?): it is not known whether "
    "its item reads of `{name}`, another module's container, write it"
)
# Why a safe fix is kept out whose statements the module, analysed again, moves otherwise.
_MOVED = (
    "its module, knowing that `{name}` is another module's container whose item read "
    "inserts a missing key, moves it with the statements that read and write it (lines "
    "{first}-{last}), which this fix does not"
)


class Relearned(NamedTuple):
    """A module analysed again knowing which of the names it enters are other modules'
    asyncio locks (``locks``), free locks (``free``) or managers that never
    suspend (``plain``), and which globals of theirs it touches hold a container whose
    item read inserts (``inserting``); ``report`` None: it could not be read again."""

    report: ModuleReport | None
    locks: frozenset[str]
    free: frozenset[str]
    plain: frozenset[str]
    inserting: frozenset[str]


def relearned(
    source: ModuleSummaries,
    findings: dict[str, list[Finding]],
    options: AnalysisOptions,
    workers: Workers,
) -> dict[str, Relearned]:
    """By path, the modules that enter another module's asyncio lock, free lock or
    manager that never suspends, or touch its container whose item read inserts,
    analysed again knowing it (in ``workers``); none when the run (``findings``, by path)
    has no safe fix to weigh."""
    if not any(f.safe_fix for found in findings.values() for f in found):
        return {}
    plain = plain_entered(source)
    imported = {s.path: state for s in source.summaries if (state := imported_state(s))}
    if not plain and not imported and not any(summary.locks for summary in source.summaries):
        return {}  # no module enters or touches another's name: no index to build
    index = ProjectIndex(source)
    held = {bound_lock(index, name)[0] for summary in source.summaries for name in summary.held}
    told: dict[str, tuple[frozenset[str], ...]] = {}
    for summary in list(source.summaries):
        bound = {name: bound_lock(index, name) for name in summary.locks}
        locks = frozenset(
            name for name, (lock, _) in bound.items() if lock or got_lock(index, name)
        )
        free = frozenset(name for name, (lock, _) in bound.items() if lock and lock not in held)
        quiet = plain.get(summary.path, frozenset())
        inserting = inserting_imports(index, imported.get(summary.path, []))
        if locks or free or quiet or inserting:
            told[summary.path] = (locks, free, quiet, inserting)
    size = sum(file_size(path) for path in told)
    reports = workers.map(
        _analysed, list(told.items()), size, weight=first_file_size, options=options
    )
    return {
        path: Relearned(report, *names)
        for (path, names), report in zip(told.items(), reports, strict=True)
    }


def ordered_spans(
    findings: dict[str, list[Finding]], again: dict[str, Relearned]
) -> dict[str, list[Span]]:
    """By path, the safe fixes (``findings``: every finding of the run, by path) that the
    module's analysis declines once it knows which names it enters hold an asyncio lock
    (``again``: ``relearned``)."""
    spans: dict[str, list[Span]] = {}
    for path, known in again.items():
        safe = [f for f in findings.get(path, ()) if f.safe_fix]
        found = _declined(safe, known) if safe else None
        if found:
            spans[path] = found
    return spans


def _analysed(
    told: tuple[str, tuple[frozenset[str], ...]], options: AnalysisOptions
) -> ModuleReport | None:
    """The module at a path analysed told its ``locks``, ``free``, ``plain`` and
    ``inserting`` names (``told``: the path and the four; deciding, at each call site left
    to the project pass, why an await there would change the program: ``CallSite.kept``);
    None when it cannot be read again."""
    path, (locks, free, plain, inserting) = told
    try:
        with open(path, "rb") as file:
            text = decode_source(file.read())
        return check_module(
            text,
            path,
            options,
            sites_kept=True,
            locks=locks,
            free=free,
            plain=plain,
            inserting=inserting,
        )
    except (OSError, SourceError, SyntaxError, ValueError):
        return None


def _declined(safe: list[Finding], known: Relearned) -> list[Span]:
    """The spans of the ``safe`` findings of a module that its analysis ``known`` declines
    (at a call site left to the project pass: why an await there would change the program,
    ``CallSite.kept``), or, told another module's container whose item read inserts, moves
    into a section the first analysis did not."""
    report = known.report
    if report is None:
        locks = known.locks | known.free | known.plain
        why = _CHANGED.format(lock=min(locks)) if locks else None
        why = why or _CHANGED_ITEMS.format(name=min(known.inserting))
        return [(f.line, f.end_line, why, "", f.resource or f.target) for f in safe]
    again = {(f.line, f.col, f.code): f for f in report.findings}
    functions = report.summary.functions
    sites = {s.span: s for function in functions.values() for s in function.sites}
    spans = []
    for finding in safe:
        found = again.get((finding.line, finding.col, finding.code))
        site = sites.get((finding.line, finding.col, finding.end_line, finding.end_col))
        why = found.declined if found and not found.safe_fix else site and site.kept
        if not why and found and known.inserting and found.section != finding.section:
            first, last = found.section or (finding.line, finding.end_line)
            why = _MOVED.format(name=min(known.inserting), first=first, last=last)
        if why:
            inside = [q for q, f in functions.items() if f.line <= finding.line <= f.end_line]
            coroutine = max(inside, key=lambda q: functions[q].line, default="")
            spans.append(
                (finding.line, finding.end_line, why, coroutine, finding.resource or finding.target)
            )
    return spans
