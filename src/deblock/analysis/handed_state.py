"""The state a coroutine shares with another module through its parameters, for sections.

A section of safe fixes that moves a parameter's state into a thread (``owner.count`` of
``async def bump(owner, ...)``) is weighed against the module's own code on the event loop
(``ModuleState.conflict``); the caller that hands it its own state (``await
helpers.bump(self, ...)``) may be another module's, which writes that state on the loop.
Each module says which of the two it does: the callee, the parameters' state its sections
move (``FunctionSummary.moves``); the caller, what of the state it hands another module's
coroutine its code writes (``FunctionSummary.loop_writes``). The project pass weighs the
two through the call's arguments (``project.handed_sections``).
"""

from __future__ import annotations

import ast

from deblock.analysis.atomic_runs import ARGUMENT, own_key
from deblock.analysis.section_partners import ANY, PARAMETER
from deblock.analysis.shared_state import WRITE, StateAccess


def moved_parameters(
    access: StateAccess, inside: set[ast.AST]
) -> tuple[tuple[int, int, str, bool], ...]:
    """(first line, last line, key, whether it writes it) of the parameters' state that the
    nodes ``inside`` of a section (of ``access``'s function) touch: ``@owner.count`` for an
    attribute, ``@log`` for a parameter the function changes in place (``log.append(x)``;
    one only read whole, ``f"{i}"``, is no state: ``StateAccess.parameter_state``)."""
    touched: dict[str, bool] = {}
    for node in inside:
        for resource, mode in access.touches(node):
            state = access.parameter_state(node, resource) if resource in access.params else None
            if state:
                key = f"{ARGUMENT}{resource}" + (f".{state}" if state != ANY else "")
                touched[key] = touched.get(key, False) or mode == WRITE
    if not touched:
        return ()
    lines = [node.lineno for node in inside if hasattr(node, "lineno")]
    return tuple((min(lines), max(lines), key, w) for key, w in sorted(touched.items()))


def written_handed(
    handed: set[str],
    written: set[tuple[str | None, str]],
    kin: frozenset[str],
) -> tuple[str, ...]:
    """What of the state a coroutine hands (``handed``, as ``CallSite.arguments`` name it:
    ``self``, ``self.log``, a global, ``@p``, ``@p.log``) its module writes (``written``:
    ``ModuleState`` keys; ``kin``: the classes of the coroutine's instance, its class's
    ``Resolver.kin``): ``self.count`` for each attribute of the instance, a kin class's
    (a base's, a subclass's) or a parameter's of that name (which may be it), ``self.*``
    when code is handed all of it (``helper(self)``); ``?.count``
    for each attribute of any instance, which a parameter's may be (``PARAMETER``), and the
    parameter as its runs name it (``p``); a global by its name."""
    attributes = {a for owner, a in written if owner is not None and a != ANY}
    own = {a for owner, a in written if owner in kin | {PARAMETER} and a != ANY}
    found = set()
    for key in handed:
        if key == "self":
            found |= {f"self.{a}" for a in own}
            found |= {f"self.{ANY}"} if any((c, ANY) in written for c in kin) else set()
        elif key.startswith("self."):
            found |= {key} & {f"self.{a}" for a in own}
        elif key.startswith(ARGUMENT):
            found |= {f"{PARAMETER}.{a}" for a in attributes}
            found |= {own_key(key)} if attributes or (PARAMETER, ANY) in written else set()
        elif (None, key) in written:
            found.add(key)
    return tuple(sorted(found))
