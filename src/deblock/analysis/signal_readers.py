"""Who may read what a cancelled coroutine's cleanup changes (``raced_cleanup``'s signals).

A ``finally`` that changes a global (``DONE.add(p)``) or an attribute of the coroutine's
instance (``self.done.add(p)``) gives a signal only if other code may read it: code of the
module outside the coroutine, or, for a global, another module.
"""

from __future__ import annotations

import ast
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.modules import maybe_project
from deblock.analysis.scopes import Kind

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver
    from deblock.analysis.walker import FunctionRecord, ModuleFacts


class SignalReaders:
    """The reads of a module's names and attributes (``tree``, walked as ``facts``), found
    at the first question and kept for the module's other coroutines; ``resolver`` relates
    its classes."""

    def __init__(self, tree: ast.Module, facts: ModuleFacts, resolver: Resolver):
        self.tree, self.facts, self.resolver = tree, facts, resolver

    def read_elsewhere(self, record: FunctionRecord, name: str) -> bool:
        """Whether module global ``name`` (or ``G`` of its attribute ``G.x``), or attribute
        ``self.x`` of the instance of coroutine ``record`` (its first parameter), may be read
        by other code: code of the module outside it reads it (an attribute by its name on
        any object but the instance of a method of a class no kin of ``record``'s, if it is
        a method: ``self.done`` in another class's method), or, for a global, other modules
        may: it names another module's of the project (``from state import DONE``, ``import
        state``), or it is public (another module may import it)."""
        function = record.node
        receiver, _, attribute = name.partition(".")
        parameters = [*function.args.posonlyargs, *function.args.args][:1]
        if attribute and [p.arg for p in parameters] == [receiver]:
            read = f".{attribute}"
        else:
            bindings = self.facts.scope.bindings.get(receiver)
            if not bindings:
                return False
            imported = [b.qualname or "" for b in bindings if b.kind is Kind.IMPORT]
            if imported:  # another module's, read there (not the standard library's)
                return any(maybe_project(qualname) for qualname in imported)
            if not receiver.startswith("_"):
                return True  # other modules may import it
            read = receiver
        first, last = function.lineno, function.end_lineno
        kin = self._kin(record) if read.startswith(".") else None
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
        attribute); none when it is no method (its first parameter may hold an instance of
        any)."""
        if record.scope.kind != "class":
            return set()
        kin, mro = {record.scope.qualname}, self.resolver.mro
        while True:
            more = {c for c in self.resolver.classes if not kin.isdisjoint(mro(c))}
            more |= {base for c in kin for base in mro(c)}
            if more <= kin:
                return kin
            kin |= more
