"""The section planner's rereads: state, imported names and parameters a run of statements
reads twice, which other code may change between the two reads once an await comes between
them (mixed into ``sections.SectionPlanner``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cached_property
from itertools import product
from typing import TYPE_CHECKING

from deblock.analysis.nodes import own_nodes
from deblock.analysis.scopes import Kind
from deblock.analysis.section_partners import ANY
from deblock.analysis.shared_state import READ
from deblock.analysis.statement_exits import LOOPS
from deblock.rules.resources import FILE_SYSTEM, resource_of

if TYPE_CHECKING:
    pass


# Values that are new objects (``SectionPlanner._fresh``): displays, eager comprehensions,
# and what these builtins make.
_FRESH_VALUES = (
    ast.Constant,
    ast.JoinedStr,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
)
_FRESH_CALLS = frozenset(
    f"builtins.{name}"
    for name in ("list", "dict", "set", "frozenset", "sorted", "str", "bytes", "int", "float")
)
# Calls that build a path on their first argument, which must be a ``str``, ``bytes`` or
# ``os.PathLike`` (they raise ``TypeError`` on any other object): ``_paths``.
_PATH_BUILDERS = frozenset({"os.path.join", "pathlib.Path", "pathlib.PurePath", "os.fspath"})


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FORKS = 6  # conditional expressions whose ways ``_path_reads`` weighs one by one, at most


class SectionRereads:
    """Finds what a run of statements reads twice (``SectionPlanner``'s)."""

    def _parameter_rereads(self, statements: list[ast.stmt], name: str):
        """The spans of run ``statements`` that read parameter ``name`` twice: an attribute
        of it (``ledger.count``) when the module writes that attribute of some object (it
        may be this one), or the parameter whole (``len(log)``, ``log[0]``, a method's call,
        ``log.copy()``), unless its value cannot change (``_immutable``), when the module
        changes some object (``ModuleState.changer``: a section would race it; one its
        reads as text, ``str(log)``, may show: ``plain_text``); else each is
        noted (``log.*`` whole): another module may write it (a parameter may hold any
        object, ``Judge.reread_globals``)."""
        from deblock.analysis.plain_text import text_reads

        reads: dict[str, list[tuple[int, ast.AST]]] = {}
        steady = self._immutable(name)
        for i, statement in enumerate(statements[: self._rebound_at(statements, name) + 1]):
            for node, attribute in self._parameter_reads(statement, name):
                if not (steady and attribute == ANY):
                    reads.setdefault(attribute, []).append((i, node))
        spans = []
        for attribute, found in sorted(reads.items()):
            first, last = found[0][0], found[-1][0]
            sites = {node for _, node in found}
            if self._read_sites(statements[first : last + 1], sites.__contains__) < 2:
                continue
            shown = f"{name}.{attribute}"
            changer = attribute == ANY and self.module_state.changer(
                all(node in text_reads(statements[i], self.callees) for i, node in found)
            )
            if changer:
                self.unheld.append(({found[0][1], found[-1][1]}, f"`{name}` may be {changer}"))
                spans.append((first, last, f"read `{name}` twice"))
            elif attribute != ANY and self.module_state.writes(self.function, name, found[0][1]):
                spans.append((first, last, f"read `{shown}` twice, which this module also writes"))
            else:
                self.reread.add((shown, statements[first].lineno, statements[last].end_lineno))
        self._parameter_pairs(statements, name, reads)
        return spans

    def _parameter_pairs(
        self, statements: list[ast.stmt], name: str, reads: dict[str, list[tuple[int, ast.AST]]]
    ) -> None:
        """Note in ``pairs`` two attributes of parameter ``name`` the run reads
        (``_parameter_rereads``' ``reads``: by attribute, the statements' places and nodes)
        in different statements: this module or others may write both, of any object
        (``ledger.sold``, ``ledger.paid``; ``Judge.read_pairs``)."""
        attributes = [a for a in sorted(reads) if a != ANY]
        for i, one in enumerate(attributes):
            for other in attributes[i + 1 :]:
                places = [place for place, _ in (*reads[one], *reads[other])]
                first, last = min(places), max(places)
                if first < last:
                    lines = (statements[first].lineno, statements[last].end_lineno)
                    self.pairs.add((f"{name}.{one}", f"{name}.{other}", *lines))

    def _rebound_at(self, statements: list[ast.stmt], name: str) -> int:
        """The index of the first of run ``statements`` that binds parameter ``name`` anew
        to a new value (``_fresh``: ``text = sorted(text)``, ``log = []``), when the coroutine
        binds it to nothing else: what it reads of the name after that is its own object,
        no other code's (its value's reads are the parameter's). Else the last index."""
        rebound = self.record.own_scope.bindings[name][1:]
        if rebound and all(b.kind is Kind.VALUE and self._fresh(b.expr) for b in rebound):
            for i, statement in enumerate(statements):
                if statement.__class__ is ast.Assign and len(statement.targets) == 1:
                    target = statement.targets[0]
                    if target.__class__ is ast.Name and target.id == name:
                        return i
        return len(statements) - 1

    def _fresh(self, value: ast.expr | None) -> bool:
        """Whether ``value`` is a new object no other code holds: a constant, a display or
        comprehension (not a generator, which reads lazily), or the result of a builtin
        that makes one (``sorted(x)``, ``list(x)``, ``str(x)``)."""
        if value.__class__ in _FRESH_VALUES:
            return True
        return value.__class__ is ast.Call and self.callees.get(value) in _FRESH_CALLS

    def _parameter_reads(self, statement: ast.stmt, name: str) -> list[tuple[ast.AST, str]]:
        """The nodes of ``statement`` that read parameter ``name`` (``StateAccess.touches``),
        each with the attribute it reads (``ledger.count``) or ``ANY``: the parameter whole
        (``len(log)``; a method called on it, ``log.copy()``). But a name an attribute is
        read on (``ledger`` of ``ledger.count``: the attribute's read), the name returned or
        bound to another whole (``return log``, ``kept = log``: ``kept``'s reads are its,
        ``_aliases``), which reads none of the object, a key (``COUNTS[name]``: its hash and
        equality, which a key held in a dict keeps), a function called (``parse(fh)``: what
        it does is the call's) and, whole, in a nested function's body, which runs only when
        called."""
        everything = list(own_nodes(statement))
        nodes = [n for n in everything if (name, READ) in self.state.touches(n)]
        aliases = self._aliases.get(name, ())
        nodes += [
            n
            for n in everything
            if n.__class__ is ast.Name and n.id in aliases and n.ctx.__class__ is ast.Load
        ]
        calls = [n for n in everything if n.__class__ is ast.Call]
        methods = {c.func for c in calls if c.func.__class__ is ast.Attribute}
        passed = {n.value for n in nodes if n.__class__ is ast.Attribute}
        passed.update(n.value for n in everything if _passes(n) and n.value.__class__ is ast.Name)
        passed.update(n.slice for n in everything if n.__class__ is ast.Subscript)
        passed.update(c.func for c in calls if c.func.__class__ is ast.Name)
        found = [
            (n, ANY if n in methods else self.state.attribute(n, name) or ANY)
            for n in nodes
            if n not in passed
        ]
        if statement.__class__ in _DEFINITIONS:  # its body reads nothing until called
            return [(n, attribute) for n, attribute in found if attribute != ANY]
        return found

    @cached_property
    def _aliases(self) -> dict[str, set[str]]:
        """By parameter, the coroutine's names bound once, to it whole (``kept = log``),
        where it is not bound anew: a read of one reads the parameter's object."""
        bindings = self.record.own_scope.bindings
        aliases: dict[str, set[str]] = {}
        for node in self.record.own_code:
            if node.__class__ is ast.Assign and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if target.__class__ is ast.Name and value.__class__ is ast.Name:
                    if value.id in self.state.params and len(bindings[value.id]) == 1:
                        if len(bindings.get(target.id, ())) == 1:
                            aliases.setdefault(value.id, set()).add(target.id)
        return aliases

    def _immutable(self, name: str) -> bool:
        """Whether parameter ``name`` holds a value nothing changes, as far as the code
        shows: annotated so (``steady_parameters``) or handed as the path of a call on the
        file system (``_paths``), and not changed in place by the coroutine."""
        return name in self._steady and name not in self.state.changed

    @cached_property
    def _steady(self) -> set[str]:
        from deblock.analysis.immutable_types import steady_parameters

        return steady_parameters(self.record) | self._paths

    @cached_property
    def _paths(self) -> set[str]:
        """The parameters the coroutine hands a call on the file system as its path
        (``open(path)``, its first argument), or as the first argument of a path built for
        it (``open(os.path.join(root, "a"))``, ``_PATH_BUILDERS``): a ``str``, ``bytes`` or
        ``PurePath``, none of which changes (an ``os.PathLike`` of the project's own, whose
        ``__fspath__`` reads state, is not weighed)."""
        roots = (
            self._path_root(node.args[0])
            for node, index in self.found.items()
            if node.__class__ is ast.Call
            and node.args
            and resource_of(self.findings[index].code, self.findings[index].target) == FILE_SYSTEM
        )
        return {root.id for root in roots if root.__class__ is ast.Name}

    def _path_root(self, path: ast.expr) -> ast.expr:
        """What path ``path`` is built on through ``_PATH_BUILDERS``: ``root`` for
        ``os.path.join(root, "a")``, ``path`` itself if none builds it."""
        while path.__class__ is ast.Call and path.args and self.callees.get(path) in _PATH_BUILDERS:
            path = path.args[0]
        return path

    def _imported_rereads(self, statements: list[ast.stmt]) -> None:
        """Note each name imported from another module (``from store import LOG``) that run
        ``statements`` reads twice as a value (``len(LOG)``; not called: ``tick()``): no
        state of this module, which never changes it, but another module may
        (``Judge.reread_globals``); also through a local alias of it (``len(box)`` of ``box =
        LOG``, ``StateAccess.through_alias``)."""
        reads: dict[str, list[tuple[int, ast.Name]]] = {}
        for i, statement in enumerate(statements):
            nodes = list(own_nodes(statement))
            called = {n.func for n in nodes if n.__class__ is ast.Call}
            for node in nodes:
                if node.__class__ is ast.Name and node not in called:
                    held = self.state.through_alias(node)
                    if (
                        node.ctx.__class__ is ast.Load
                        and getattr(held, "id", None) in self.state.imported
                    ):
                        reads.setdefault(held.id, []).append((i, node))
        for name, found in reads.items():
            first, last = found[0][0], found[-1][0]
            sites = {node for _, node in found}
            if self._read_sites(statements[first : last + 1], sites.__contains__) > 1:
                self.reread.add((name, statements[first].lineno, statements[last].end_lineno))

    def _reads(self, resource: str) -> Callable[[ast.AST], bool]:
        """Whether a node reads state ``resource`` (``StateAccess.touches``)."""
        return lambda node: (resource, READ) in self.state.touches(node)

    def _read_sites(self, statements: list[ast.stmt], reads: Callable[[ast.AST], bool]) -> int:
        """How many reads ``statements`` make (``reads``: whether a node is one):
        ``self.x.items()`` reads ``self.x`` once; a read that a loop among them repeats
        counts twice."""
        sites = {node for statement in statements for node in own_nodes(statement) if reads(node)}
        inner = {n.value for n in sites if isinstance(n, (ast.Attribute, ast.Subscript))}
        tops = set(statements)
        counted = {n: 2 if self._repeated(n, tops) else 1 for n in sites - inner}
        if sum(counted.values()) < 2:
            return sum(counted.values())
        return max(self._path_reads(statements, counted))

    def _path_reads(self, statements: list[ast.stmt], counted: dict[ast.AST, int]):
        """How many of the reads ``counted`` (each with its count) each way through the
        conditional expressions of ``statements`` makes: of the two branches of one
        (``A(x.y) if not x.y else B(x.y)``) only one runs; a way on which no finding runs
        adds no await between its reads, and counts one at most. Past ``_FORKS`` such
        expressions, every read counts."""
        forks = [
            n
            for s in statements
            for n in own_nodes(s)
            if n.__class__ is ast.IfExp and any(m in counted for m in _branch_nodes(n))
        ]
        if not forks or len(forks) > _FORKS:
            yield sum(counted.values())
            return
        found = [n for s in statements for n in own_nodes(s) if n in self.found]
        for way in product((0, 1), repeat=len(forks)):
            left = {
                n
                for fork, taken in zip(forks, way, strict=True)
                for n in _branch_nodes(fork, 1 - taken)
            }
            reads = sum(c for n, c in counted.items() if n not in left)
            fixed = any(n not in left for n in found)
            yield reads if fixed else min(reads, 1)

    def _repeated(self, node: ast.AST, tops: set[ast.stmt]) -> bool:
        """Whether ``node`` runs again each time round a loop of statements ``tops``: in a
        ``for`` or ``while`` body, or a ``while`` test."""
        child = node
        while child not in tops:
            parent = self.parents[child]
            looped = isinstance(parent, LOOPS) and child in parent.body
            if looped or (isinstance(parent, ast.While) and child is parent.test):
                return True
            child = parent
        return False


def _passes(node: ast.AST) -> bool:
    """Whether statement ``node`` hands on its value whole, reading none of it: ``return
    log``, ``kept = log`` (not ``a, b = log``, which iterates it)."""
    kind = node.__class__
    if kind is ast.Assign:
        return not any(t.__class__ in (ast.Tuple, ast.List) for t in node.targets)
    return kind is ast.Return or kind is ast.AnnAssign


def _branch_nodes(fork: ast.IfExp, which: int | None = None) -> set[ast.AST]:
    """The nodes of conditional expression ``fork``'s branches: its body (``which`` 0), its
    ``orelse`` (1), or both."""
    branches = (fork.body, fork.orelse) if which is None else ((fork.body, fork.orelse)[which],)
    return {n for branch in branches for n in ast.walk(branch)}
