"""Which asyncio lock a project name is: the global its module binds to a new lock,
re-exports followed, a ``Condition`` taken for the lock it is made on. Read from the
summaries alone, by ``atomic_callers`` and ``ordered_locks``: it imports no analyzer."""

from __future__ import annotations

from deblock.project.index import ProjectIndex
from deblock.rules.resources import ASYNC_LOCKS

_STEPS = 8  # re-exports (or relaying getters) followed from a name to the module that binds it


def bound_lock(index: ProjectIndex, name: str) -> tuple[str | None, str | None]:
    """The global (``pkg.locks.LOCK``) that project name ``name`` (maybe re-exported) is,
    with its class, when its module binds it to a new asyncio lock (an ``asyncio.Lock``, a
    semaphore, a condition)."""
    for _ in range(_STEPS):
        module, _, attribute = name.rpartition(".")
        summary = index.module(module) if module else None
        if summary is None or attribute not in summary.names:
            return None, None
        if attribute in summary.instances:
            kind = summary.names[attribute]
            return (name, kind) if kind in ASYNC_LOCKS else (None, None)
        name = summary.names[attribute]
    return None, None


def lock_identity(index: ProjectIndex, name: str) -> str:
    """The lock project name ``name`` (``helpers.COND``) is: the global its module binds to
    a new asyncio lock (re-exports followed), or, for a ``Condition`` made on another lock,
    that lock's (``ModuleSummary.conditions``); ``name`` itself when not known."""
    for _ in range(_STEPS):
        bound, _ = bound_lock(index, name)
        if bound is None:
            return name
        made_on = dict(index.module(bound.rpartition(".")[0]).conditions).get(bound)
        if not made_on:
            return bound
        name = made_on
    return name


def got_lock(index: ProjectIndex, name: str) -> bool:
    """Whether ``name``, a call's result as a module names it (``helpers.lock_for()``,
    ``helpers.REGISTRY.lock_for()``), may be an asyncio lock: the function it calls returns
    one (its type), or is a getter of its module (``ModuleSummary.getters``), or returns
    the call of one (``ModuleSummary.relays``, followed)."""
    for _ in range(_STEPS):
        if not name.endswith("()"):
            return False
        if index.normalize(name) in ASYNC_LOCKS:
            return True
        callee = index.normalize(name.removesuffix("()"))
        found = index.function(callee)
        if found is None or callee in found[0].getters:
            return found is not None
        name = dict(found[0].relays).get(callee, "")
    return False
