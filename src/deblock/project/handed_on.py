"""The parameters a sync function changes in place, followed into the project's functions
it hands them on to.

``FunctionSummary.changes`` holds what a sync function changes of its parameters itself or
through its own module's functions. What another module's function does with a parameter
handed on to it, as it is or an attribute of it (``def tally(ledger):
ledgers.bump(ledger)``, ``FunctionSummary.forwards``; ``ledgers.bump(ledger.inner)``,
``hands_on``), only the project pass sees.
"""

from __future__ import annotations

from deblock.analysis.duck_calls import duck_method
from deblock.analysis.section_partners import ANY
from deblock.project.index import ProjectIndex

REACHED = 64  # sync functions followed from a call, at most


def changed_places(
    index: ProjectIndex, callee: str, plain: tuple[str, ...] = ()
) -> dict[str, tuple[str, ...]]:
    """The parameters sync function ``callee`` (as a call names it) changes in place, by
    place (``#0``) and by name as ``FunctionSummary.changes`` holds them: itself, or through
    the project's sync functions it hands them on to, as they are (``forwards``) or an
    attribute or item of them (``hands_on``), at most ``REACHED`` functions followed. Each
    comes with the attributes of it that change: those the modules changing it write on
    some object (``ModuleSummary.attributes_written``: ``count`` of ``ledger.count += 1``),
    or the one handed on (``inner`` of ``ledgers.bump(ledger.inner)``); none where all of
    it may (``log.append(x)``, an item handed on). A parameter of ``plain`` (``#0``, a
    keyword) is handed a container made by its class (``CallSite.plain``), which a
    duck-typed call on it (``table.get(key)``, ``?.get``) does not change, whatever the
    project's classes name alike."""
    return _changed(index, index.called(callee), {}, frozenset(plain))


def _changed(
    index: ProjectIndex,
    qualname: str,
    followed: dict[tuple[str, frozenset[str]], dict[str, tuple[str, ...]]],
    plain: frozenset[str],
) -> dict[str, tuple[str, ...]]:
    """``changed_places`` of function ``qualname``, its parameters ``plain`` handed a
    container made by its class, the functions ``followed`` so far given (a module-level
    function, not a closure calling itself: that would be a cycle of references, kept to a
    run's end with all it followed, since a run pauses the cyclic collector; cold ``-j 1``
    on the bench corpus: ~+50 MB at its peak)."""
    key = (qualname, plain)
    if key in followed or len(followed) >= REACHED:
        return followed.get(key, {})
    followed[key] = {}  # a cycle of calls adds nothing more
    found = index.function(qualname)
    if found is None:
        return {}
    owner, function = found
    places = dict.fromkeys(function.changes, tuple(owner.attributes_written))
    for called, _, pairs in function.forwards:
        handed = frozenset(written for written, names in pairs if plain.intersection(names))
        further = _changed(index, index.called(called), followed, handed)
        for written, names in pairs:
            for name in names if written in further else ():
                places[name] = _joined(places.get(name), further[written])
    for called, reaching in function.hands_on:
        further = _changed(index, index.called(called), followed, frozenset())
        for written, names, attribute in reaching:
            for name in names if written in further else ():
                places[name] = _joined(places.get(name), (attribute,) if attribute else ())
    for method, names, attribute in function.calls_on:
        if not attribute and duck_method(method) and plain.intersection(names):
            continue  # ``dict.get`` or the like: no ``Ledger.get``
        instance = instance_changes(index, method, owner.path)
        change = {"": instance, ANY: ()}.get(attribute, (attribute,))
        for name in names if instance is not None else ():
            places[name] = _joined(places.get(name), change)
    followed[key] = places
    return places


def instance_changes(
    index: ProjectIndex, method: str, path: str | None = None
) -> tuple[str, ...] | None:
    """The attributes of its instance sync ``method`` (as ``FunctionSummary.calls_on``
    names it) changes (``FunctionSummary.instance_changes``; none: all of it), joined over
    each sync method of that name of the project's classes for a duck-typed call
    (``?.record``, called in the module at ``path``: ``sync_methods``); None where it
    changes none."""
    named = duck_method(method)
    methods = index.sync_methods(named, path) if named else [index.called(method)]
    changes = None
    for qualname in methods:
        found = index.function(qualname)
        if found is not None and not found[1].is_async and found[1].instance_changes:
            instance = found[1].instance_changes
            changes = _joined(changes, () if ANY in instance else instance)
    return changes


def _joined(mine: tuple[str, ...] | None, theirs: tuple[str, ...]) -> tuple[str, ...]:
    """The attributes two ways of changing a parameter may change: none (all of it) when
    either changes all of it."""
    if mine is None:
        return theirs
    return tuple(sorted({*mine, *theirs})) if mine and theirs else ()
