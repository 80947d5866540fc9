"""What the module's functions touch: its sync helpers' effects, its shared state,
the resources its thread helpers reach, the managers it enters, the state it hands."""

from __future__ import annotations

import ast
from functools import partial

from deblock.analysis.call_resources import resource_access, shared_sync_io, sync_access
from deblock.analysis.module_uses import global_of, handed_state
from deblock.analysis.modules import maybe_project
from deblock.analysis.scopes import Kind
from deblock.analysis.section_partners import PARAMETER
from deblock.analysis.shared_state import (
    READ,
    WRITE,
    HelperEffects,
    ModuleState,
    StateAccess,
    hands_callable,
)
from deblock.analysis.stateful_managers import (
    borrowed_managers,
    entered_managers,
    manager_sides,
    own_managers,
)
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.walker import ModuleFacts
from deblock.rules.resources import FIX_HELPER, LOCK_MODULE, LOCK_NAME


class ModuleEffects:
    """The judge's facts of the module's state and its helpers' effects."""

    # exit registrars' names on receivers of unknown type to read as calling at once
    at_once: frozenset[str] = frozenset()

    def note_helper_effects(self, facts: ModuleFacts) -> None:
        """Count a coroutine's calls of the module's sync functions that touch shared state
        (``HelperEffects``) among its writes (``FunctionRecord.state_writes``)."""
        sync = {r.qualname for r in facts.functions if not r.is_async}
        for record in (r for r in facts.functions if r.is_async):
            for call in record.calls:
                callee = self._callees.get(call.node)
                if callee in sync and self._helpers(facts).written(callee):
                    record.state_writes.append(call.node.lineno)

    def note_state_writes(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]):
        """Tell each sync function's summary the module state a call of it writes
        (``HelperEffects``): its globals by qualified name, and what it writes of its imports
        as the module names it (``helpers.LOG``, ``LEDGER.count``, ``LOG`` of ``from store
        import LOG``), and the parameters it changes in place; and of that state and of its
        imported modules' attributes (``store.ITEMS``), what it reads. Another module's
        coroutine that calls it writes and reads them too, and the arguments it hands them
        (``project.helper_writes``)."""
        sync = [r for r in facts.functions if not r.is_async and r.node is not None]
        helpers = self._helpers(facts)
        for record in sync:
            args = record.node.args
            if args.posonlyargs or args.args or args.kwonlyargs:
                functions[record.qualname].changes = helpers.changed_places(record.qualname)
                functions[record.qualname].items_read = helpers.read_places(record.qualname)
            if record.instance:
                instance = helpers.instance_changes(record.qualname)
                functions[record.qualname].instance_changes = instance
        writing = helpers.globals and any(r.state_writes or r.sets_items for r in sync)
        reaching = any(not (r.attribute_bases | r.names).isdisjoint(helpers.modules) for r in sync)
        if not writing and not reaching:
            return  # no module state written, itself or through another, nor another's read
        module = facts.scope.qualname
        for record in sync:
            summary = functions[record.qualname]
            touched = {(name, mode) for _, name, mode in helpers.of(record.qualname)}
            for field, wanted in (("writes", WRITE), ("reads", READ)):
                names = {
                    name for name, mode in touched if mode == wanted and helpers.state(name, mode)
                }
                qualified = (
                    n if "." in n or n in self.imported else f"{module}.{n}" for n in names
                )
                setattr(summary, field, tuple(sorted(qualified)))

    def release(self) -> None:
        """Break the cycle the helpers' effects make with the state accesses they keep
        (``HelperEffects.access``), as ``ModuleFacts.release`` breaks the walk's."""
        if self._helper_effects is not None:
            self._helper_effects.release()

    def _helpers(self, facts: ModuleFacts) -> HelperEffects:
        """What the module's sync functions touch when called (made once). Another module's
        data the module imports and changes in place (``from store import LOG``;
        ``LOG.append(x)``: ``data``) is state, as a global of its own; an imported module
        (``import os``) or function (``from os import remove``) is not."""
        if self._helper_effects is None:
            io: dict[str, list[tuple[str, str]]] = {}
            for owner, access in self._sync_accesses(facts):
                io.setdefault(owner, []).append(access)
            self._helper_effects = HelperEffects(
                facts.functions,
                self._state_modules(facts),
                state_names(facts) | self.data,
                self._callees,
                io,
                self._runs_handed,
                facts.classes,
                self._project_imports(),
            )
            self._helper_effects.at_once = self.at_once
        return self._helper_effects

    def exit_reads(self) -> frozenset[str]:
        """The exit registrars' names the module's calls were read as on receivers of
        unknown type, handed state (``HelperEffects.exit_reads``)."""
        helpers = self._helper_effects
        return frozenset(helpers.exit_reads) if helpers is not None else frozenset()

    def _state_modules(self, facts: ModuleFacts) -> set[str]:
        """The modules whose attributes the module's functions reach as state
        (``StateAccess``'s ``modules``)."""
        return self.imported.keys() - self.data | facts.dotted_imports

    def _sync_accesses(self, facts: ModuleFacts) -> list[tuple[str, tuple[str, str]]]:
        """The function and the access (``sync_access``) of each blocking call of the
        module's sync functions that touches a resource (made once)."""
        if self._sync_accessed is None:
            records = {r.qualname: r for r in facts.functions}
            modules = self._state_modules(facts)
            self._sync_accessed = [
                (owner, access)
                for code, target, call, owner in self._sync_io
                if (
                    access := sync_access(
                        code, target, call, partial(StateAccess, records[owner], modules)
                    )
                )
            ]
        return self._sync_accessed

    def managers(self, facts: ModuleFacts, module: str) -> tuple[tuple, tuple, tuple]:
        """``ModuleSummary.entered``, ``managers`` and ``sides`` of module ``module``."""
        own = f"{module}."
        defined = {record.qualname for record in facts.functions}
        borrowed = borrowed_managers(facts.classes, defined, self.resolver)
        entered = [
            (record.qualname, *block)
            for record in facts.functions
            if record.is_async
            for block in entered_managers(
                facts.inside(record.node)[0],
                self._type_of(record),
                lambda name: (
                    name.startswith(own) and name not in borrowed or not maybe_project(name)
                ),
            )
        ]
        helpers = self._helpers(facts)
        managers = own_managers(helpers, facts.classes, self.resolver)
        return tuple(entered), tuple(managers), tuple(manager_sides(helpers, facts.classes))

    def instances_written(self, facts: ModuleFacts) -> tuple[str, ...]:
        """The module's classes whose instances' attributes its code writes, when one has
        coroutine methods (``ModuleSummary.instances_written``)."""
        if not any(record.is_async and record.instance for record in facts.functions):
            return ()
        written = self._module_state(facts).written
        return tuple(sorted({owner for owner, _ in written} - {None, PARAMETER}))

    def handed_state(
        self, facts: ModuleFacts, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, str, str], ...]:
        """(owner, name, callee, place) of the state beyond a call (``module_uses.handed_state``)
        that the module's functions hand a project function they do not await, a sync one
        maybe: the project pass knows whether it changes that argument
        (``ModuleSummary.handed``)."""
        found = set()
        for record in facts.functions:
            calls = [
                (c.node, callee)
                for c in record.calls
                if c.node.__class__ is ast.Call
                and not c.awaited
                and (c.node.args or c.node.keywords)
                and (callee := self._callees.get(c.node) or self._sync_calls.get(c.node))
                and maybe_project(callee)
            ]
            if not calls or record.node is None:
                continue
            access = self._helpers(facts).access(record)
            cls = record.instance[1] if record.instance else None
            for call, callee in calls:
                for owner, name, place in handed_state(call, access, cls, own, names):
                    found.add((owner, name, callee, place))
        return tuple(sorted(found))

    def handed_writes(
        self, facts: ModuleFacts, own: tuple[str, set[str]], names: dict[str, str]
    ) -> set[tuple[str, str]]:
        """(module, name) of the project modules' globals the module's functions write by
        calling what they are handed (``StateAccess.handed_writes``: ``apply(store.ITEMS.
        append, n)``), which the walk does not see written (``ModuleSummary.reaches``)."""
        written = set()
        for record in facts.functions:
            if record.node is not None and hands_callable(record):
                for resource in self._helpers(facts).access(record).handed_writes:
                    written.add(global_of(resource, own, names))
        return written - {None}

    def _module_state(self, facts: ModuleFacts) -> ModuleState:
        """The module's uses of shared state (made once: sections may have made them)."""
        if self._state is None:
            self._state = ModuleState(facts.functions, self._helpers(facts), self.resolver)
        return self._state

    def drop_private_io(self, facts: ModuleFacts) -> None:
        """Forget the sync functions' calls on temporary files they made (``shared_sync_io``)."""
        self._sync_io = shared_sync_io(self._sync_io, facts.functions)

    def threaded_io(
        self, facts: ModuleFacts, names: dict[str, str]
    ) -> tuple[dict[str, bool], list[str]]:
        """The resources the thread helpers a fix made touch, each with whether one of them
        writes it. Their statements ran on the event loop before the fix, atomically with
        the loop's other code; a helper written by hand never did (a thread it runs in is
        already as concurrent with the loop as a new one would be). And those of them all
        of whose helpers hold the lock of the module's package (``names``: the module's,
        binding ``from pkg._deblock_lock import lock as _sections_lock``)."""
        coroutines = {record.qualname for record in facts.functions if record.is_async}
        lock = f"{self.module.partition('.')[0]}.{LOCK_MODULE}.{LOCK_NAME}"
        guards = {name for name, qualname in names.items() if qualname == lock}
        nodes = {record.qualname: record.node for record in facts.functions} if guards else {}
        threaded: dict[str, bool] = {}
        unguarded: set[str] = set()
        for code, target, call, owner in self._sync_io:
            access = resource_access(code, target, call)
            parent, _, name = owner.rpartition(".")
            if access and parent in coroutines and FIX_HELPER.fullmatch(name):
                resource, mode = access
                threaded[resource] = threaded.get(resource, False) or mode == WRITE
                if not _guarded(nodes.get(owner), guards):
                    unguarded.add(resource)
        return threaded, sorted(set(threaded) - unguarded) if guards else []


def state_names(facts: ModuleFacts) -> set[str]:
    """The module's globals that hold state: not imports, functions or classes, but a class
    whose attributes the module writes (``Counter.total += 1``, ``Counter.seen.append(x)``)."""
    code = {Kind.IMPORT, Kind.FUNCTION, Kind.COROUTINE, Kind.CLASS}
    written = {
        node.value.id
        for node, writes in facts.name_attributes.items()
        if writes and node.value.__class__ is ast.Name
    }
    return {
        name
        for name, bindings in facts.scope.bindings.items()
        if bindings[-1].kind not in code or bindings[-1].kind is Kind.CLASS and name in written
    }


def _guarded(helper: ast.AST | None, guards: set[str]) -> bool:
    """Whether a thread helper's body is one ``with`` block of one of the ``guards``."""
    body = getattr(helper, "body", [])
    return (
        len(body) == 1
        and isinstance(body[0], ast.With)
        and len(body[0].items) == 1
        and isinstance(body[0].items[0].context_expr, ast.Name)
        and body[0].items[0].context_expr.id in guards
    )
