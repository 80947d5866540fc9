"""Safe fixes in ``with`` blocks of another module's context manager whose entry and exit
share state.

A module weighs the managers it defines (``analysis.stateful_managers``); one of another
module (``with gauges.GAUGE:``, ``with busy():`` of ``from gauges import busy``) it only
notes (``ModuleSummary.entered``). Its module tells which of its managers' entry and exit
share state (``ModuleSummary.managers``): a fix in a block of such a manager, or a section
moving the whole block into a thread, is declined, offered as unsafe. The instance a class's
``__enter__`` and ``__exit__`` (``__aenter__`` and ``__aexit__`` of an ``async with``) touch
is the one the ``with`` names (a global of the defining module, imported or not), a new one
(``with gauges.Gauge():``: only its other state counts, such as its class's attributes), or
the one a function returns (``with gauges.make():``, of the class it is known to return:
maybe a shared one).

The same lookup tells which of the ``async with`` managers a module enters never suspend,
or never suspend leaving (``ModuleSummary.plain_managers``, ``plain_entered``):
``project.ordered_locks`` analyses the module again knowing those blocks are no suspension
points, or suspend where they are entered only (``analysis.plain_managers``).
"""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.plain_managers import EXIT
from deblock.analysis.stateful_managers import (
    AWAITED_ENTRY,
    SIDES,
    block_head,
    managed_reason,
    shared_across,
    shared_between,
)
from deblock.project.index import ProjectIndex
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def plain_entered(source: ModuleSummaries) -> dict[str, frozenset[str]]:
    """By path, the names (as ``ModuleSummary.entered`` notes them, ``()`` after a call's
    function) of the other modules' managers the module's ``async with`` blocks enter that
    never suspend (``ModuleSummary.plain_managers``), and of its own classes that inherit
    their ``__aenter__`` or ``__aexit__`` from another module's (``class Sub(gauges.Quiet)``,
    as ``Sub`` and ``Sub()``): no such block is a suspension point; and, with
    ``.__aexit__`` after the name, those that never suspend leaving: such a block suspends
    where it is entered only."""
    _users(source, awaited=True)  # the managers' modules summarised
    plain = {name: name for s in source.summaries for name in s.plain_managers}
    if not plain:
        return {}
    index = ProjectIndex(source)
    installed = index.with_libraries()
    found = {}
    for summary in list(source.summaries):
        entered = [(n, c) for _, _, _, _, n, _, awaited, c, _ in summary.entered if awaited]
        entered += [(cls, c) for cls in _borrowing(index, summary) for c in (False, True)]
        names = {
            key
            for name, called in entered
            if (key := _plain(index, installed, plain, name, called))
        }
        if names:
            found[summary.path] = frozenset(names)
    return found


def _borrowing(index: ProjectIndex, summary) -> list[str]:
    """The classes of module ``summary`` with a base of another module."""
    own = f"{summary.module}."
    return [c for c in summary.classes if any(not b.startswith(own) for b in index.mro(c))]


def _plain(
    index: ProjectIndex, installed: ProjectIndex, plain: dict, name: str, called: bool
) -> str | None:
    """The name ``plain_entered`` gives the ``async with`` manager ``name`` names (``()``
    after it when ``called``), when it never suspends, or never suspends leaving
    (``installed``: ``index`` with installed packages' classes)."""
    shown = f"{name}()" if called else name
    for sides, key in (((AWAITED_ENTRY, EXIT), shown), ((EXIT,), f"{shown}.{EXIT}")):
        hit = _manager(index, plain, name, True, called, sides[0])
        if hit is not None and _runs_its_own(installed, name, hit[0], sides):
            return key
    return None


def _runs_its_own(index: ProjectIndex, name: str, key: str, sides: tuple[str, ...]) -> bool:
    """Whether the manager ``name`` names runs the methods ``sides`` that the class ``key``
    keys (``gauges.Quiet.__aenter__``) runs: its instance's class defines neither before it
    (``class Loud(gauges.Quiet)`` whose ``__aexit__`` awaits), nor does an installed
    package's class (a mixin's ``__aexit__``: ``index`` reads their classes); a
    generator's key, true."""
    cls = key.rpartition(".")[0]
    if index.cls(cls) is None:
        return True
    named = index.normalize(name.removesuffix("()"))
    held = next((c for c in (named, index.normalize(f"{named}()")) if cls in index.mro(c)), cls)
    return all(index.owner(held, side) == index.owner(cls, side) for side in sides)


def managed_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the bodies of the ``with`` blocks of other modules' managers whose entry and
    exit share state."""
    users = _users(source)
    if not users:
        return {}
    managers = {name: (s.module, *sides) for s in source.summaries for name, *sides in s.managers}
    if not managers and not any(s.sides for s in source.summaries):
        return {}
    index = ProjectIndex(source)
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in users:
        for (
            coroutine,
            first,
            last,
            shown,
            name,
            holder,
            awaited,
            called,
            stacked,
        ) in summary.entered:
            composed = _composed(index, name, awaited, called)
            if composed is not None:
                entry, exit_, new = composed
                shared = shared_between(entry, exit_, "" if new else holder)
            elif (found := _manager(index, managers, name, awaited, called)) is not None:
                (module, *sides), held = found
                holder = {_NEW: "", _RETURNED: shown}.get(held, holder)
                shared = shared_across(*sides, holder, module)
            else:
                continue
            if shared:
                why = managed_reason(block_head(shown, awaited, stacked), shared)
                spans[summary.path].append((first, last, why, coroutine, None))
    return spans


def _composed(
    index: ProjectIndex, name: str, awaited: bool, called: bool
) -> tuple[tuple, tuple, bool] | None:
    """The entry and exit, each (its module, what it touches: ``ModuleSummary.sides``), of
    the class manager ``name`` names (``class Counted(gauges.Leaving)`` defining
    ``__enter__``), each from the class of its method resolution order defining it, the
    two maybe of two modules, and whether it is a new instance (``called``); None where
    ``name`` names no class of the project, or a class the project does not know may define
    a side first."""
    cls = index.normalize(name.removesuffix("()"))
    if index.cls(cls) is None:
        return None
    sides = [_side(index, cls, side) for side in SIDES[awaited]]
    if None in sides:
        return None
    return sides[0], sides[1], called


def _side(index: ProjectIndex, cls: str, side: str) -> tuple[str, tuple] | None:
    """The module and what it touches of method ``side`` as class ``cls``'s hierarchy
    defines it, if every class before its owner is the project's."""
    for current in index.mro(cls):
        summary = index.module(current.rpartition(".")[0]) if index.cls(current) else None
        if summary is None:
            return None
        touched = dict(summary.sides).get(f"{current}.{side}")
        if touched is not None:
            return summary.module, touched
    return None


def _users(source: ModuleSummaries, awaited: bool = False) -> list:
    """The summaries of the modules entering other modules' managers (``awaited``: in an
    ``async with``), the modules of those managers summarised (a module of managers alone
    has no coroutine)."""
    users = [s for s in source.summaries if any(e[6] or not awaited for e in s.entered)]
    for summary in users:
        for entered in summary.entered:
            source.reach(entered[4], libraries=False)
    return users


_NEW, _HELD, _RETURNED = "new", "held", "returned"  # the instance a block's manager is


def _manager(
    index: ProjectIndex,
    managers: dict,
    name: str,
    awaited: bool,
    called: bool,
    side: str = AWAITED_ENTRY,
) -> tuple[tuple, str] | None:
    """The module and the entry's and exit's triples of the manager ``name`` names, and
    which instance it is: a generator or a class (called: a new instance), or an instance's
    (its class, or a base of it, defining ``__enter__`` and ``__exit__``, or for an ``async
    with`` (``awaited``) ``__aenter__`` and ``__aexit__``; held by the name), or a generator
    method of an instance's class or of a base of it (``store.SERVICE.busy``, held by the
    instance), or the class a called function returns (``gauges.make()``: the instance it
    returns, maybe shared); an ``async with`` manager keyed by its method ``side``."""
    entry = f".{side}" if awaited else ""
    named = index.normalize(name.removesuffix("()"))
    for candidate in (name, named, *index.mro(named)):
        if f"{candidate}{entry}" in managers:
            new = called and index.cls(named) is not None
            return managers[f"{candidate}{entry}"], _NEW if new else _HELD
    owner, _, method = named.rpartition(".")
    for cls in index.mro(owner) if owner and not awaited else ():
        if f"{cls}.{method}" in managers:
            return managers[f"{cls}.{method}"], _HELD
    if called:
        for cls in index.mro(index.normalize(f"{named}()")):
            if f"{cls}{entry}" in managers:
                return managers[f"{cls}{entry}"], _RETURNED
    return None
