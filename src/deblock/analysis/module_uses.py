"""What a module does with other modules' globals, and which of its own its fixes move.

A fix that moves code using a global into a worker thread is weighed against the module's
own code left on the event loop (``ModuleState.conflict``); another module that uses the
global, the module that owns it (using it in its functions) or one that imports it
(``helpers.TABLE``), is the project pass's to weigh (``project.module_globals``), from these
two facts of each module's summary.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import argument_places, dotted_name
from deblock.analysis.shared_state import StateAccess
from deblock.analysis.walker import FunctionRecord, ModuleFacts


def reached_globals(
    facts: ModuleFacts,
    imported: dict[str, str],
    own: tuple[str, set[str]],
    used: dict[str, bool],
    handed: set[tuple[str, str]],
) -> tuple:
    """(module, name, whether it writes it) for each global of a project module the
    module's code uses through its import (``imported`` maps the names bound by imports to
    what they name): an attribute of the module (``import helpers``), from the walk's
    ``ModuleFacts.name_attributes`` where the name is the import, not a function's own
    (``server = Server()`` beside ``from pkg import server``: ``_shadowed``):
    ``helpers.TABLE`` read, ``helpers.TABLE[k] = v``, ``helpers.LEDGER.count = n`` or
    ``helpers.LOG.append(x)`` written (``pkg.store.LOG`` of ``import pkg.store`` as
    ``pkg.store``'s); a name imported from it (``from helpers import TABLE``) changed in
    place (``ModuleFacts.changed_names``: ``TABLE[k] = v``). A call of ``helpers.f`` uses no
    state. And its own globals (``own``: the module's name and its globals holding state)
    that it changes in place, written, or that its functions use (``used``: each with
    whether they write it, rebinding it with ``global X`` too): another module's fix may
    move them into a thread. ``handed``: (module, name) of those it writes by calling what
    it is handed (``apply(store.ITEMS.append, n)``), written."""
    changed = facts.changed_names
    reached = {(own[0], name): writes for name, writes in used.items()}
    reached |= {(own[0], name): True for name in changed & own[1]}
    aliases = {name: qualname for name, qualname in imported.items() if maybe_project(qualname)}
    rebound = {n for r in facts.functions if r.own_scope for n in r.own_scope.bindings} & {*aliases}
    for node, writes in facts.name_attributes.items():
        if writes is None:
            continue
        base = dotted_name(node.value)  # a name, or a module imported by it (``pkg.store``)
        root, dot, rest = base.partition(".")
        module = aliases.get(root)
        if module is not None and not (root in rebound and _shadowed(facts.functions, node, root)):
            key = (module + dot + rest, node.attr)
            reached[key] = reached.get(key, False) or writes
    for module, attribute in changed_imports(changed, aliases).values():
        reached[(module, attribute)] = True
    reached |= dict.fromkeys(handed, True)
    return tuple(sorted((module, name, writes) for (module, name), writes in reached.items()))


def _shadowed(functions: list[FunctionRecord], node: ast.AST, name: str) -> bool:
    """Whether the innermost function holding ``node`` (or one it is nested in) binds
    ``name`` itself (``Scope.names_global``)."""
    at = (node.lineno, node.col_offset)
    holding = [
        r
        for r in functions
        if r.node is not None
        and r.own_scope is not None
        and (r.node.lineno, r.node.col_offset) <= at
        and at < (r.node.end_lineno, r.node.end_col_offset)
    ]
    inner = max(holding, key=lambda r: (r.node.lineno, r.node.col_offset), default=None)
    return inner is not None and not inner.own_scope.names_global(name)


def changed_imports(changed: set[str], imported: dict[str, str]) -> dict[str, tuple[str, str]]:
    """(module, name) of each name the module imports from a project module (``from store
    import LOG``: ``imported`` maps names to what they name) and changes in place
    (``changed``, ``ModuleFacts.changed_names``: ``LOG.append(x)``, ``TABLE[k] = v``):
    another module's data. An imported module is none (``import os``; ``os.remove(p)``)."""
    found = {}
    for name in changed & imported.keys():
        module, _, attribute = imported[name].rpartition(".")
        if module and maybe_project(imported[name]):
            found[name] = (module, attribute)
    return found


def global_of(
    resource: str, own: tuple[str, set[str]], imported: dict[str, str]
) -> tuple[str, str] | None:
    """(module, name) of the project module's global that state ``resource`` is (as
    ``StateAccess`` names it): one of the module's own (``own``: its name and its globals
    holding state), an attribute of an imported project module (``helpers.LOG``), or a
    name imported from one that the module changes in place (``from helpers import LOG``;
    ``imported`` maps the names bound by imports to what they name); of a module imported
    by its dotted name too (``pkg.store.LOG`` of ``import pkg.store``)."""
    if resource in own[1]:
        return own[0], resource
    head, _, attribute = resource.partition(".")
    qualname = imported.get(head)
    if qualname is None or not maybe_project(qualname):
        return None
    if "." in attribute:
        inner, _, attribute = attribute.rpartition(".")
        qualname = f"{qualname}.{inner}"
    if attribute:
        return qualname, attribute
    module, _, name = qualname.rpartition(".")
    return (module, name) if module else None


def used_globals(functions: list[FunctionRecord], names: set[str]) -> dict[str, bool]:
    """Each of the module's globals ``names`` that its functions use (``FunctionRecord.names``,
    ``attribute_bases``: a name no function binds as its own), with whether one rebinds it
    (``global X``)."""
    used: dict[str, bool] = {}
    for record in functions:
        scope = record.own_scope
        if scope is None:
            continue
        local = scope.bindings.keys() - scope.global_names
        for name in (record.names | record.attribute_bases) & names - local:
            used[name] = used.get(name, False) or name in scope.global_names
    return used


def state_key(
    resource: str, instance: tuple[str, str] | None, own: tuple[str, set[str]], imported
) -> tuple[str, str] | None:
    """What state ``resource`` (as ``StateAccess`` names it) is beyond the module: a
    project module's global as (module, name) (``global_of``), or an attribute of the
    instance (``instance``: the name the method calls it, its class) as (the class,
    ``self.x``)."""
    if instance is not None and resource.startswith(f"{instance[0]}."):
        return instance[1], f"self.{resource.partition('.')[2]}"
    return global_of(resource, own, imported)


def handed_state(
    call: ast.Call, state: StateAccess, cls: str | None, own: tuple[str, set[str]], imported
) -> Iterator[tuple[str, str, str]]:
    """(owner, name, place) of each argument of ``call`` that is state beyond the
    caller's call (``state_key``: ``LEDGER``, ``store.LEDGER``, a name imported from a
    project module, ``self.log``), with its place (``#0`` or a keyword): a function of
    another module may change it in place, which the project pass knows
    (``FunctionSummary.changes``); a local alias of such a name is it (``box`` of ``box =
    ITEMS``, ``StateAccess.aliases``)."""
    instance = (state.self_name, cls) if state.self_name and cls else None
    for place, value in argument_places(call):
        value = state.through_alias(value) if value.__class__ is ast.Name else value
        if value.__class__ is ast.Name and value.id in state.imported:
            resource = value.id  # a name imported, which ``shared`` leaves
        else:
            resource = state.shared(value)
        key = resource and state_key(resource, instance, own, imported)
        if key:
            yield *key, place
