"""Who may read what a cancelled coroutine's cleanup changes (``raced_cleanup``'s signals).

A ``finally`` that changes a global (``DONE.add(p)``), an attribute of the coroutine's
instance (``self.done.add(p)``), or what a parameter holds (``done.add(p)``,
``state.done.add(p)``: the caller's object) gives a signal only if other code may read it:
code of the module outside the coroutine, the caller, or, for a global, another module.
"""

from __future__ import annotations

import ast
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import dotted_name
from deblock.analysis.scopes import Kind, Scope
from deblock.analysis.walker import all_args

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver
    from deblock.analysis.walker import FunctionRecord, ModuleFacts


class SignalReaders:
    """The reads of a module's names and attributes (``tree``, walked as ``facts``), found
    at the first question and kept for the module's other coroutines; ``resolver`` relates
    its classes."""

    def __init__(self, tree: ast.Module, facts: ModuleFacts, resolver: Resolver):
        self.tree, self.facts, self.resolver = tree, facts, resolver

    def read_elsewhere(self, record: FunctionRecord, name: str, rebound: bool) -> bool:
        """Whether what coroutine ``record``'s name ``name`` holds (``rebound``: the name
        itself, bound anew), or its attribute (``G.x``), may be read by other code. A local
        name bound anew is seen by no other code. A parameter's object is the caller's: what
        it holds changed in place may be read wherever the caller keeps it; its attribute,
        by code of the module outside the coroutine reading an attribute of that name (on
        any object, but, of a method's instance, on the instance of a method of a class of
        its kin: ``_kin``). A local bound to another name's object (``state = STATE``,
        ``done = self.done``) is read as that name. Any other name is a module global
        (``global_read``)."""
        receiver, _, attribute = name.partition(".")
        scope = record.own_scope
        if rebound and receiver not in scope.global_names and receiver not in record.nonlocals:
            return False
        held = _aliased(scope, receiver)
        if held:  # ``state = STATE``: what that name holds, which other code may read
            named = (".".join(filter(None, (h, attribute))) for h in held)
            return any(self.read_elsewhere(record, n, False) for n in named)
        if receiver not in {a.arg for a in all_args(record.node.args)}:
            return self.global_read(record, name)
        if not attribute:
            return True
        kin = self._kin(record) if receiver == record.self_name else set()
        return self._read_outside(record, f".{attribute}", kin)

    def global_read(self, record: FunctionRecord, name: str) -> bool:
        """Whether module global ``name`` (or ``G`` of its attribute ``G.x``) may be read by
        other code than coroutine ``record``: code of the module outside it, or other
        modules: it names another module's of the project (``from state import DONE``,
        ``import state``), or it is public (another module may import it)."""
        receiver = name.partition(".")[0]
        bindings = self.facts.scope.bindings.get(receiver)
        if not bindings:
            return False
        imported = [b.qualname or "" for b in bindings if b.kind is Kind.IMPORT]
        if imported:  # another module's, read there (not the standard library's)
            return any(maybe_project(qualname) for qualname in imported)
        return not receiver.startswith("_") or self._read_outside(record, receiver, set())

    def _read_outside(self, record: FunctionRecord, read: str, kin: set[str]) -> bool:
        """Whether code of the module outside coroutine ``record`` reads name ``read`` (an
        attribute: ``.x``; on the instance of a method of a class of ``kin``, if any)."""
        first, last = record.node.lineno, record.node.end_lineno
        return any(
            not first <= line <= last and (owner is None or not kin or owner in kin)
            for line, owner in self._loads.get(read, ())
        )

    @cached_property
    def _loads(self) -> dict[str, list[tuple[int, str | None]]]:
        """The lines where each name (an attribute: ``.x``) is read, each with the class
        whose method's instance it is read on (``self.done`` in ``def report(self)``)."""
        owners = {
            id(node): record.instance[1]
            for record in self.facts.functions
            if record.self_name is not None
            for node in ast.walk(record.node)
            if node.__class__ is ast.Attribute
            and node.value.__class__ is ast.Name
            and node.value.id == record.self_name
        }
        loads: dict[str, list[tuple[int, str | None]]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                loads.setdefault(node.id, []).append((node.lineno, None))
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                owner = owners.get(id(node))
                loads.setdefault(f".{node.attr}", []).append((node.lineno, owner))
        return loads

    def _kin(self, record: FunctionRecord) -> set[str]:
        """The classes of the module whose instance may be the one method ``record`` is
        called on: its class, and those related to it by derivation (as the resolver links
        bases, either way, through any chain: a sibling too, which may share a base's class
        attribute)."""
        kin, mro = {record.scope.qualname}, self.resolver.mro
        while True:
            more = {c for c in self.resolver.classes if not kin.isdisjoint(mro(c))}
            more |= {base for c in kin for base in mro(c)}
            if more <= kin:
                return kin
            kin |= more


def _aliased(scope: Scope, name: str) -> list[str]:
    """The names, dotted, whose object local ``name`` of function ``scope`` may hold: those
    its assignments give it as they are (``state = STATE``, ``done = STATE.done``), through
    the scope's other such locals (each followed once); none for a global, or a local never
    so bound."""
    found, pending, followed = [], [name], set()
    while pending:
        current = pending.pop()
        root, dot, rest = current.partition(".")
        values = [] if root in scope.global_names else scope.bindings.get(root, ())
        aliases = [dotted_name(b.expr) for b in values if b.kind is Kind.VALUE and b.expr]
        aliases = [a for a in aliases if a]
        if not aliases:
            found += [current] if current != name else []
        elif root not in followed:
            followed.add(root)
            pending += (f"{alias}{dot}{rest}" for alias in aliases)
    return found
