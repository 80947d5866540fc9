"""Other modules' containers whose item read inserts, as a module's coroutines reach them.

A module alone cannot type what it imports (``from groups import GROUPS``, or
``groups.TEAMS`` of ``import groups``): its item reads of it are reads. Where ``groups``
binds ``GROUPS = defaultdict(list)`` (``ITEM_READ_INSERTS``, or a subclass), ``GROUPS[key]``
inserts a missing key: it writes ``GROUPS``. The project pass tells the module which of the
other modules' state its coroutines' runs touch is such a container, and analyses it again
knowing it (``ordered_locks.relearned``; ``analysis.inserting_reads``).
"""

from __future__ import annotations

from deblock.analysis.modules import maybe_project
from deblock.analysis.summary import ModuleSummary
from deblock.project.index import ProjectIndex
from deblock.rules.resources import ITEM_READ_INSERTS


def imported_state(summary: ModuleSummary) -> list[tuple[str, str]]:
    """The other modules' state its coroutines' runs, edges and state touch: each key's
    head as the module's imports name it (``groups.GROUPS`` of ``from groups import
    GROUPS``, ``groups`` of ``import groups``), with the rest (``TEAMS``)."""
    keys = set()
    for function in summary.functions.values():
        keys.update(key for run in function.runs for _, site, key, mode, *_ in run if mode)
        keys.update(key for _, key, _ in function.edges)
        keys.update(key for key, _ in function.state)
    found = []
    for key in sorted(keys):
        head, _, rest = key.partition(".")
        named = summary.names.get(head)  # an own global's is its type: ``ledgers.Ledger()``
        if named is not None and not named.endswith("()") and maybe_project(named):
            found.append((named, rest))
    return found


def inserting_imports(index: ProjectIndex, state: list[tuple[str, str]]) -> frozenset[str]:
    """The qualified names (as a module's names resolve: ``groups.GROUPS``,
    ``groups.TEAMS``) of the other modules' globals of its ``state`` (``imported_state``)
    that hold a container whose item read inserts, by any type the index gives them."""
    found = set()
    for named, rest in state:
        if index.module(named) is not None:  # ``groups.TEAMS`` of ``import groups``
            attribute, _, rest = rest.partition(".")
            named = f"{named}.{attribute}" if attribute else ""
        if named and not rest and _inserts(index, named):
            found.add(named)
    return frozenset(found)


def _inserts(index: ProjectIndex, qualname: str) -> bool:
    """Whether global ``qualname`` holds an instance (its module's ``instances``, through
    re-exports) of a class whose item read inserts, or of a subclass of one."""
    module, _, name = qualname.rpartition(".")
    owner, name = index.global_name(module, name)
    summary = index.module(owner)
    if summary is None or name not in summary.instances:
        return False
    held = index.normalize(qualname).removesuffix("()")
    return not ITEM_READ_INSERTS.isdisjoint(index.method_order(held))
