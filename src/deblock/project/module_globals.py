"""Sections that move a module's global into a thread while another module uses it.

A module's sections are weighed against its own code on the event loop
(``ModuleState.conflict``). Another module runs on the loop too: one that imports the
global's module and uses it (``helpers.TABLE``, ``ModuleSummary.reaches``), or the module
that owns it and uses it in its functions (reads it, changes it in place or rebinds it),
when a section of another module moves it. When one
of the two writes it, the section's safe fixes (``ModuleSummary.moved``) are declined,
offered as unsafe; and so are the safe fixes between two reads of a global that the module
never writes (``ModuleSummary.reread``) when another module writes it, or changes it when
the module hands it to one of its sync functions (``helpers.tally(LEDGER)`` of ``def
tally(ledger): ledger.count += 1``: ``FunctionSummary.changes``): their awaits would let it
change between the reads.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.atomic_runs import ARGUMENT
from deblock.project.index import ProjectIndex
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def reached_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the lines of sections moving a global another module uses, and of runs
    reading twice one that another module writes."""
    index = ProjectIndex(source)
    users: dict[tuple[str, str], list[tuple[str, str, bool]]] = defaultdict(list)
    for summary in source.summaries:
        for module, name, writes in summary.reaches:
            owner = index.module(module)
            if owner is not None:
                users[(owner.path, name)].append((summary.path, summary.module, writes))
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in source.summaries:
        for module, name, first, last, moves_writes in summary.moved:
            owner = index.module(module)
            for path, user, writes in users.get((owner.path, name), ()) if owner else ():
                if path != summary.path and (writes or moves_writes):
                    why = (
                        f"`{name}` is also used by `{user}` on the event loop, beside "
                        "the worker thread"
                    )
                    spans[summary.path].append((first, last, why, user, None))
        changers = _changers(index, summary) if summary.reread else {}
        for module, name, first, last in summary.reread:
            owner = index.module(module)
            changer = changers.get(name) if owner and owner.path == summary.path else None
            if changer is not None:
                why = (
                    "an await there would let other tasks run between the statements that "
                    f"read `{name}` twice, which `{changer}` changes on the event loop"
                )
                spans[summary.path].append((first, last, why, changer, None))
            for path, user, writes in users.get((owner.path, name), ()) if owner else ():
                if path != summary.path and writes:
                    why = (
                        "an await there would let other tasks run between the statements that "
                        f"read `{name}` twice, which `{user}` writes on the event loop"
                    )
                    spans[summary.path].append((first, last, why, user, None))
    return spans


def _changers(index: ProjectIndex, summary) -> dict[str, str]:
    """The module's globals its coroutines hand to another module's sync function that
    changes that argument in place (``CallSite.arguments``, ``FunctionSummary.changes``),
    each with the first such function."""
    found: dict[str, str] = {}
    for function in summary.functions.values():
        for site in function.sites:
            handed = [
                (p, k)
                for p, k in site.arguments
                if "." not in k and not k.startswith(ARGUMENT) and k != "self"
            ]
            if site.awaited or not handed:
                continue
            callee = index.called(site.callee)
            defined = index.function(callee)
            if defined is None or defined[0].path == summary.path or defined[1].is_async:
                continue
            for place, key in handed:
                if place in defined[1].changes:
                    found.setdefault(key, callee)
    return found
