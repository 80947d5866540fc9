"""Safe fixes in ``with`` blocks of another module's context manager whose entry and exit
share state.

A module weighs the managers it defines (``analysis.stateful_managers``); one of another
module (``with gauges.GAUGE:``, ``with busy():`` of ``from gauges import busy``) it only
notes (``ModuleSummary.entered``). Its module tells which of its managers' entry and exit
share state (``ModuleSummary.managers``): a fix in a block of such a manager, or a section
moving the whole block into a thread, is declined, offered as unsafe. The instance a class's
``__enter__`` and ``__exit__`` touch is the one the ``with`` names (a global of the defining
module, imported or not), or a new one (``with gauges.Gauge():``: only its other state counts).
"""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.stateful_managers import managed_reason, shared_across
from deblock.project.index import ProjectIndex
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def managed_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the bodies of the ``with`` blocks of other modules' managers whose entry and
    exit share state."""
    users = [summary for summary in source.summaries if summary.entered]
    if not users:
        return {}
    for summary in users:  # a module of managers alone has no coroutine: summarise it
        for entered in summary.entered:
            source.reach(entered[4], libraries=False)
    managers = {name: (s.module, *sides) for s in source.summaries for name, *sides in s.managers}
    if not managers:
        return {}
    index = ProjectIndex(source)
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in users:
        for coroutine, first, last, shown, name, holder in summary.entered:
            module, *sides = _manager(index, managers, name) or (None,)
            shared = module and shared_across(*sides, holder, module)
            if shared:
                spans[summary.path].append(
                    (first, last, managed_reason(shown, shared), coroutine, None)
                )
    return spans


def _manager(index: ProjectIndex, managers: dict, name: str) -> tuple | None:
    """The module and the entry's and exit's triples of the manager ``name`` names: a
    generator or a class, or an instance's (its class, or a base of it, defining
    ``__enter__`` and ``__exit__``), or a generator method of an instance's class or of a
    base of it (``store.SERVICE.busy``)."""
    named = index.normalize(name.removesuffix("()"))
    owner, _, method = named.rpartition(".")
    methods = [f"{c}.{method}" for c in index.mro(owner)] if owner else []
    candidates = [name, named, *index.mro(named), *methods]
    return next((managers[c] for c in candidates if c in managers), None)
