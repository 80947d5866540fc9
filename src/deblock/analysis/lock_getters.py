"""The module's functions whose result may be an asyncio lock, for other modules entering it:
``async with helpers.lock_for(key):``, ``async with registry.lock_for(name):``.

A module types another module's call by its name (``helpers.lock_for()``), not by what it
returns, so it cannot tell such a block from any other manager's. A sync function or method
of the module that returns once, a value that (followed as the module's own ``async with``
follows it, ``lock_aliases``: its names bound once, its getters, ``setdefault``) is an
asyncio lock, or may be one as ``free_locks.maybe_lock`` takes it (an item of a container, an
attribute of the instance or a parameter, of no known type), is such a getter
(``ModuleSummary.getters``): the project pass tells the modules entering what it returns
that it is an asyncio lock (``project.ordered_locks``), of no name, as their own getters'.
One that returns another module's call (``return locks.lock_for(key)``) relays it
(``ModuleSummary.relays``): the project pass follows it to that module's getters.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.free_locks import maybe_lock
from deblock.analysis.lock_aliases import ReturnedLocks, stands_for
from deblock.analysis.nodes import statements_below
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.rules.resources import ASYNC_LOCKS


def lock_getters(
    facts: ModuleFacts, type_of: Callable[[FunctionRecord], Callable[[ast.expr], str | None]]
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The qualified names of the module's sync functions and methods whose one returned
    value may be an asyncio lock (``type_of``: as for ``free_locks.mark_free_locks``), and
    (qualified name, the call as ``type_of`` names it: ``locks.lock_for()``) of those whose
    one returned value is a call of no such getter of the module, maybe another's."""
    returned = ReturnedLocks(facts, lambda record, expr: type_of(record)(expr))
    found, relays = [], []
    for record in facts.functions:
        if record.is_async or record.is_generator:
            continue
        # its statements only (``own_code``, every node, was made for this alone in 12,225
        # of the bench corpus's 21,913 sync functions)
        own = statements_below(record.node, own=True) if record.node is not None else ()
        returns = [n for n in own if n.__class__ is ast.Return]
        if len(returns) != 1 or returns[0].value is None:
            continue
        value = stands_for(returns[0].value, record, returned)
        kind = type_of(record)(value)
        if kind in ASYNC_LOCKS or maybe_lock(value, record, kind):
            found.append(record.qualname)
        elif value.__class__ is ast.Call and kind and kind.endswith("()"):
            relays.append((record.qualname, kind))
    return tuple(found), tuple(relays)
