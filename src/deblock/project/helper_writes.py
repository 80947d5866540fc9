"""Runs of a coroutine's statements whose accesses another module's helper takes part in.

On the event loop a run of statements with no await runs whole: every task's accesses in
it come in one order. The module alone does not know what a call of another module's
helper touches; the project pass does (its finding at the call, DBK801, the globals of
its module it writes, ``FunctionSummary.writes``, and of that state or of an imported
module's what it reads, ``FunctionSummary.reads``: ``n = store.size()``, then
``store.push(n)`` or the coroutine's own ``store.ITEMS.append(n)``; and the arguments
it changes in place, ``FunctionSummary.changes``: ``helpers.note(self.log, x)`` of ``def
note(log, x): log.append(x)`` writes the caller's ``self.log``; a module-level instance
whose method changes it, ``FunctionSummary.instance_changes``: ``reg.REG.push(n)`` writes
``reg.REG``). When the run
(``FunctionSummary.called``) reads and writes one resource, or writes two (its writes of
shared state counting as one), and such a call is one of those accesses, an await a safe
fix adds among them lets another task's accesses come between: those fixes are declined,
offered as unsafe.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection
from typing import NamedTuple

from deblock.analysis.atomic_runs import overlaps, own_key
from deblock.analysis.summary import CallSite, ModuleSummary
from deblock.findings import Finding
from deblock.project.handed_on import REACHED, changed_places, instance_changes
from deblock.project.index import ProjectIndex, read_again
from deblock.project.server_calls import kept_writes, on_server
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries, qualified_state
from deblock.rules.resources import SERVER, shown_resource

_STATE = "shared state"
_WHY = "an await there would let other tasks run between the statements that "


class _Access(NamedTuple):
    line: int
    resource: str
    writes: bool
    helper: str | None  # the helper's call as shown, when a site's finding makes it
    own: bool = False  # the coroutine's own write of shared state


def writing_spans(
    source: ModuleSummaries,
    findings: dict[str, list[Finding]],
    again: dict[str, ModuleSummary] | None = None,
    paths: Collection[str] | None = None,
) -> dict[str, list[Span]]:
    """By path, the lines of coroutines whose safe fixes would split such a run.
    ``findings``: every finding of the run, by path; ``again``: by path, the summaries of
    modules analysed again knowing which names they enter are other modules' asyncio locks
    (``ordered_locks``), read in place of their first ones: leaving ``async with
    helpers.LOCK:`` does not suspend, so the end of its body runs on into what follows.
    ``paths``: only those modules' (a module's spans are its own coroutines'): a one-file
    run of aiohttp's tests weighed every coroutine of the package it summarised, ~0.5 s."""
    spans: dict[str, list[Span]] = defaultdict(list)
    index, summaries = read_again(source, again)
    for summary in list(summaries):
        if paths is not None and summary.path not in paths:
            continue
        found = sorted(findings.get(summary.path, ()), key=lambda f: f.line)
        lines = [f.line for f in found]
        for qualname, function in summary.functions.items():
            for first, last, sites, writes, reads in function.called:
                shown = {_place(s): s.shown for s in (function.sites[i] for i in sites)}
                inside = found[bisect_left(lines, first) : bisect_right(lines, last)]
                accesses = [
                    _Access(f.line, resource, writes, shown.get(_place(f)))
                    for f, (resource, writes) in zip(inside, _touched(inside), strict=True)
                    if resource
                ]
                accesses += [_Access(line, key, True, None, True) for line, key in writes]
                accesses += [_Access(line, key, False, None) for line, key in reads]
                accesses += _helper_writes(index, summary, [function.sites[i] for i in sites])
                for start, end, does in _torn(accesses):
                    spans[summary.path].append((start, end, _WHY + does, qualname, None))
    return spans


def _touched(found: list[Finding]) -> list[tuple[str | None, bool]]:
    """The resource each of a run's findings touches, with whether it writes it: the
    server for a call on a shared client of a third-party library that names none, beside
    another call on a server in the run (``server_calls``); the project pass found such a
    call, and left it on the loop, where the module pass never saw it."""
    lifted = on_server([(kept_writes((f,)), f.resource == SERVER) for f in found])
    return [
        (f.resource, f.writes) if writes is None else (SERVER, writes)
        for f, writes in zip(found, lifted, strict=True)
    ]


def _place(call: CallSite | Finding) -> tuple[int, int, int, int]:
    """Where a call stands, whole: a call chained on another's result starts where that
    one does (``pd.DataFrame(rows).to_csv(path)``)."""
    return call.line, call.col, call.end_line, call.end_col


def _helper_writes(index: ProjectIndex, caller, sites: list[CallSite]) -> list[_Access]:
    """The writes the helpers ``sites`` of module ``caller`` call make (``helper_state``),
    their reads of what they do not write (a site's read and write of one state are one
    access: its call does both at once), and of the caller's state a site hands a
    parameter the helper changes in place (``changed_arguments``), as the caller's reads
    of it name it (``own_key``)."""
    accesses = []
    for site in sites:
        changed = [(key, True) for key, _ in changed_arguments(index, site)]
        touched = [*helper_touches(index, caller, site), *changed]
        accesses += [_Access(site.line, name, writes, site.shown) for name, writes in touched]
    return accesses


def helper_touches(index: ProjectIndex, caller, site: CallSite) -> list[tuple[str, bool]]:
    """(state, whether it writes it) of the module state a sync call ``site`` in module
    ``caller`` touches: what its helper writes (``helper_state``), what it reads of what it
    does not write, and the module-level instance it runs a method of (``called_instance``)."""
    written, read = helper_state(index, caller, site.callee)
    named, changes = called_instance(index, caller, site)
    return [
        *((name, True) for name in written),
        *((name, False) for name in read if name not in written),
        *((name, changes) for name in named),
    ]


def called_instance(index: ProjectIndex, caller, site: CallSite) -> tuple[list[str], bool]:
    """The module-level instance a sync call ``site`` runs a method of (``reg.REG`` of
    ``reg.REG.size()``), by its qualified name and as module ``caller`` names it, and
    whether the method changes it (``instance_changes``: ``reg.REG.push(n)``); none for
    other calls (asked only of a call resolved to a class's method: no other module is
    summarised for it). A method reads its instance, at least."""
    method = index.called(site.callee)
    if method == site.callee or index.cls(method.rpartition(".")[0]) is None:
        return [], False
    module, _, name = site.callee.rpartition(".")[0].rpartition(".")
    owner, name = index.global_name(module, name) if module else ("", "")
    summary = index.module(owner) if owner else None
    if summary is None or name not in summary.instances:
        return [], False
    qualified = f"{owner}.{name}"
    named = [qualified, *index.local_names(caller, qualified)] if caller else [qualified]
    return named, instance_changes(index, site.callee) is not None


def changed_arguments(index: ProjectIndex, site: CallSite) -> list[tuple[str, tuple[str, ...]]]:
    """The caller's state (as its reads name it, ``own_key``) that a sync call ``site``
    hands a parameter its function changes in place, there or where it hands it on
    (``changed_places``: ``ledgers.tally(LEDGER)`` of ``def tally(ledger): ledger.count +=
    1`` writes ``LEDGER``), or whose items it reads, handed what may be a container whose item
    read inserts (``CallSite.inserting``, ``FunctionSummary.items_read``), each with the
    attributes of it that may change (none: all)."""
    places = changed_places(index, site.callee, site.plain) if site.arguments else {}
    if site.inserting:  # an item read of the parameter inserts: all of it may change
        found = index.function(index.called(site.callee))
        read = found[1].items_read if found is not None else ()
        places = {**places, **{place: () for place in site.inserting if place in read}}
    return [(own_key(key), places[place]) for place, key in site.arguments if place in places]


def helper_state(index: ProjectIndex, caller, callee: str) -> tuple[list[str], list[str]]:
    """The module state a call of sync function ``callee`` in module ``caller`` writes, and
    what it reads of the state its module's functions write (``FunctionSummary.writes`` and
    ``reads``), in one walk: its modules' globals and what they write of their imports
    (``ledgers.LEDGER``), also as the caller names them (``local_names``: ``LEDGER``),
    through the project's sync functions it calls in turn, in other modules too
    (``FunctionSummary.writes`` follows its own module's: ``helper_0()`` calling
    ``helpers.helper_1()``, which moves ``ledgers.LEDGER`` on, seed 119729 with
    ``--objects --modules 2``); ``caller`` None: by qualified name only."""
    written, read, todo, seen = [], [], [callee], set()
    while todo and len(seen) < REACHED:
        qualname = index.called(todo.pop())
        found = index.function(qualname) if qualname not in seen else None
        seen.add(qualname)
        if found is None:
            continue
        owner, helper = found
        for names, state in ((written, helper.writes), (read, helper.reads)):
            for name in state:  # its own globals by qualified name already
                own = name.startswith(f"{owner.module}.")
                qualified = name if own else qualified_state(owner, name)
                mine = index.local_names(caller, qualified) if caller else []
                names += [qualified, *mine]
        todo += [called for called, _, _ in helper.calls]
    return list(dict.fromkeys(written)), list(dict.fromkeys(read))


def _torn(accesses: list[_Access]) -> list[tuple[int, int, str]]:
    """(first line, last line, what they do) of the accesses that read and write one
    resource, or write two (the coroutine's own writes of shared state counting as one),
    when a helper's call makes one of them."""
    torn = []
    by_resource: dict[str, list[_Access]] = defaultdict(list)
    helpers = sorted({a.resource for a in accesses if a.helper})
    held: dict[str, str | None] = {}  # by resource (many accesses name one): what holds it
    for access in accesses:  # a read of what a helper writes whole joins its writes
        resource = access.resource
        if resource not in held:
            held[resource] = next((r for r in helpers if overlaps(r, resource)), None)
        by_resource[held[resource] or resource].append(access)
    for resource, some in by_resource.items():
        helper = next((a.helper for a in some if a.helper), None)
        if helper and len(some) > 1 and any(a.writes for a in some):
            lines = [a.line for a in some]
            name = shown_resource(resource)
            torn.append((min(lines), max(lines), f"read and write {name} (`{helper}`)"))
    written = sorted({_STATE if a.own else a.resource for a in accesses if a.writes})
    some = [a for a in accesses if a.own or a.resource in written]
    helper = next((a.helper for a in some if a.helper and a.writes), None)
    if len(written) > 1 and helper:
        lines = [a.line for a in some]
        shown = " and ".join(shown_resource(r) for r in written)
        torn.append((min(lines), max(lines), f"write {shown} (`{helper}`)"))
    return torn
