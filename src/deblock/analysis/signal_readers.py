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
    from deblock.analysis.walker import ModuleFacts


class SignalReaders:
    """The reads of a module's names and attributes (``tree``, walked as ``facts``), found
    at the first question and kept for the module's other coroutines."""

    def __init__(self, tree: ast.Module, facts: ModuleFacts):
        self.tree, self.facts = tree, facts

    def read_elsewhere(self, function: ast.AST, name: str) -> bool:
        """Whether module global ``name`` (or ``G`` of its attribute ``G.x``), or attribute
        ``self.x`` of the instance of method ``function`` (its first parameter), may be read
        by other code: code of the module outside ``function`` reads it (an attribute by its
        name on any object but the instance of a method of a class unrelated to
        ``function``'s, if it is a method: ``self.done`` in another class's method), or, for
        a global, other modules may: it names another module's of the project (``from state
        import DONE``, ``import state``), or it is public (another module may import it)."""
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
        kin = _kin(self.tree, function) if read.startswith(".") else None
        return any(
            not first <= line <= last and (owner is None or not kin or owner in kin)
            for line, owner in self._loads.get(read, ())
        )

    @cached_property
    def _loads(self) -> dict[str, list[tuple[int, ast.ClassDef | None]]]:
        """The lines where each name (an attribute: ``.x``) is read, each with the class
        whose method's instance it is read on (``_instance_reads``)."""
        owners = _instance_reads(self.tree)
        loads: dict[str, list[tuple[int, ast.ClassDef | None]]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                loads.setdefault(node.id, []).append((node.lineno, None))
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                owner = owners.get(id(node))
                loads.setdefault(f".{node.attr}", []).append((node.lineno, owner))
        return loads


def _instance_reads(tree: ast.Module) -> dict[int, ast.ClassDef]:
    """The attribute reads on the instance a method of a class of the module is called on
    (``self.done`` in ``def report(self)``), by id, each with that class."""
    owners = {}
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for method in cls.body:
            if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            decorators = {ast.unparse(d) for d in method.decorator_list}
            parameters = [*method.args.posonlyargs, *method.args.args][:1]
            if not parameters or decorators & {"staticmethod", "classmethod"}:
                continue
            for node in ast.walk(method):
                held = node.value if isinstance(node, ast.Attribute) else None
                if isinstance(held, ast.Name) and held.id == parameters[0].arg:
                    owners[id(node)] = cls
    return owners


def _kin(tree: ast.Module, function: ast.AST) -> set[ast.ClassDef]:
    """The classes of the module whose instance may be the one method ``function`` is called
    on: its class, and those related to it by derivation (by their names, either way, through
    any chain); none when ``function`` is no method of the module's classes (its first
    parameter may hold an instance of any)."""
    classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    bases = {c: {ast.unparse(b) for b in c.bases} for c in classes}
    kin = {c for c in classes if function in c.body}
    while True:
        names = {c.name for c in kin}
        inherited = set().union(*(bases[c] for c in kin))
        more = {c for c in classes if bases[c] & names or c.name in inherited} - kin
        if not more:
            return kin
        kin |= more
