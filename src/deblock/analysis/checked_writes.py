"""The section planner's tested writes: a call between a test of shared state or of a path and
the write after it, where a thread's await would let other tasks pass the same test (mixed
into ``sections.SectionPlanner``).
"""

from __future__ import annotations

import ast
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.nodes import call_arguments, last_name, own_nodes
from deblock.analysis.positions import lies_between
from deblock.analysis.shared_state import READ, WRITE
from deblock.rules.resources import FILE_SYSTEM, READS, resource_of, shown_resource

if TYPE_CHECKING:
    pass


class CheckedWrites:
    """Declines the fixes that would widen the window between a test and its write
    (``SectionPlanner``'s)."""

    def _keep_checks(self) -> None:
        """Decline the safe fix of a call that runs after a test of shared state with no
        await between, when the coroutine writes that state after an await that follows the
        call (``if self.listener: return`` ... ``await serve()`` ... ``self.listener = v``):
        the test and its write were apart already, but only for that await, which the loop
        may end in one turn; a thread's await before it lets other tasks pass the same test
        and write it long after, each over the other's (asyncssh 2.24.1's agent listener)."""
        points = self._suspension_points
        tests = [n.test for n in own_nodes(self.function) if isinstance(n, (ast.If, ast.While))]
        checked = [
            ((node.lineno, node.col_offset), resource)
            for test in tests
            for node in own_nodes(test)
            for resource, mode in self.state.touches(node)
            if mode == READ and resource not in self.state.params  # an argument's: the caller's
        ]
        written = [
            ((node.lineno, node.col_offset), resource)
            for node in own_nodes(self.function)
            for resource, mode in self.state.touches(node)
            if mode == WRITE
        ]
        for node, index in self.found.items():
            if index in self.placed or self.findings[index].strategy is None:
                continue
            start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
            for at, resource in checked:
                if not at < start or lies_between(points, at, start):
                    continue
                write = next((w for w, r in written if r == resource and w > end), None)
                if write is not None and lies_between(points, end, write):
                    why = (
                        f"it runs between the test of {shown_resource(resource)} at line "
                        f"{at[0]} and the write of it at line {write[0]}, after an await: the "
                        "thread's await would widen that window, letting other tasks pass the "
                        "test meanwhile and write it over each other"
                    )
                    self.decline(index, why, unsafe=True)
                    break

    def _keep_path_checks(self) -> None:
        """Decline the safe fix of a call that runs after a test of a path with no await
        between (``if path.exists(): raise ...``, on a name the analysis could not type, so
        no finding), when it or a call after it with no await between writes the file system
        and takes that name (``temp.rename(path)``): on the loop the test and the write come in
        one piece, so one call of the coroutine creates the file and the others find it; a
        thread's await between them lets other tasks pass the test too, and each writes over
        the other (aiocoap 0.4.17's file server: its ``If-None-Match`` and ``If-Match`` PUTs)."""
        points = self._suspension_points
        checked = self._path_tests()
        if not checked:
            return
        written = [
            ((node.lineno, node.col_offset), node)
            for node, index in self.found.items()
            if node.__class__ is ast.Call
            and resource_of(self.findings[index].code, self.findings[index].target) == FILE_SYSTEM
            and self.findings[index].target not in READS
        ]
        for node, index in self.found.items():
            if self.findings[index].strategy is None:
                continue
            start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
            for at, name in checked:
                if not at < start or lies_between(points, at, start):
                    continue
                write = next(
                    (
                        (w, call)
                        for w, call in written
                        if w >= start and not lies_between(points, end, w) and _takes(call, name)
                    ),
                    None,
                )
                if write is not None:
                    why = (
                        f"it runs after the test of `{name}` at line {at[0]}, up to the write of "
                        f"the file system that takes it at line {write[0][0]}, with no await: "
                        "the thread's await would let other tasks pass the same test meanwhile "
                        "and write over each other"
                    )
                    self.decline(index, why, unsafe=True)
                    break

    def _path_tests(self) -> list[tuple[tuple[int, int], str]]:
        """Where the coroutine tests a path the analysis could not type (a call of
        ``exists``, ``stat``... on a name, no finding), and the name: a call the coroutine
        branches on, in an ``if``/``while`` test (``if path.exists():``), in what is bound
        to a name such a test reads, or to a name read in turn in such a binding (``now =
        path.stat().st_size`` ... ``if now != size:``; a walrus's too), in a ``try`` a
        handler of which leaves (``except FileNotFoundError: raise``), or in a statement of
        a ``with contextlib.suppress(...)`` body that others follow (they run only when it
        did not raise): aiocoap's ``If-Match`` form does two."""
        nodes = list(own_nodes(self.function))
        tested = {n for t in nodes if t.__class__ in _BRANCHES for n in own_nodes(t.test)}
        bound = _feeding(nodes, {n.id for n in tested if n.__class__ is ast.Name})
        guarded = {
            n
            for t in nodes
            if t.__class__ in _TRIES and any(h.body[-1].__class__ in _LEAVES for h in t.handlers)
            for statement in t.body
            for n in own_nodes(statement)
        }
        guarded |= {
            n
            for w in nodes
            if w.__class__ in _WITHS and any(_suppresses(i.context_expr) for i in w.items)
            for i, statement in enumerate(w.body[:-1])
            if not self._removal_tests_itself(w.body[i:])
            for n in own_nodes(statement)
        }
        return [
            ((node.lineno, node.col_offset), node.func.value.id)
            for node in nodes
            if node.__class__ is ast.Call
            and node.func.__class__ is ast.Attribute
            and node.func.attr in _PATH_TESTS
            and node.func.value.__class__ is ast.Name
            and node not in self.found  # typed, it is a finding the sections weigh
            and (node in tested or node in bound or node in guarded)
        ]

    def _removal_tests_itself(self, statements: list[ast.stmt]) -> bool:
        """Whether the first of a ``suppress`` body's ``statements`` only probes a path,
        without following a symlink, its value unused, and the next removes that path, the
        last of them to block: ``path.lstat()`` then ``os.remove(path)``. The removal
        resolves the path as the probe does, raises what the probe would raise at its own
        time and succeeds only where the probe would pass: whatever runs between them, the
        pair gives what it would give run at once when the removal runs, as the removal
        alone would. ``stat()`` follows a symlink the removal does not: another task making
        the path a dangling link between them lets the removal take a link the probe would
        have failed on (``runtime_declined/stat_removed``)."""
        test, following, *rest = statements
        if test.__class__ is not ast.Expr or following.__class__ is not ast.Expr:
            return False
        probe, call = test.value, following.value
        index = self.found.get(call)
        return (
            index is not None
            and self.findings[index].target in _REMOVALS
            and not call.keywords
            and len(call.args) == 1
            and call.args[0].__class__ is ast.Name
            and call.args[0].id == _unfollowed_probe(probe)
            and not any(n in self.found for s in rest for n in own_nodes(s))
        )

    @cached_property
    def _suspension_points(self) -> list[tuple[int, int]]:
        """Where the coroutine suspends (``FunctionRecord.suspensions``), sorted."""
        return sorted((n.lineno, n.col_offset) for n in self.record.suspensions)


# What a path's methods test about the file system.
_PATH_TESTS = frozenset({"exists", "is_file", "is_dir", "is_symlink", "stat", "lstat"})
_BRANCHES = (ast.If, ast.While)
_TRIES = (ast.Try, ast.TryStar)
_WITHS = (ast.With, ast.AsyncWith)
_LEAVES = (ast.Raise, ast.Return, ast.Break, ast.Continue)  # a handler's last statement
# Writes that fail, as a probe of their path would, once it is gone.
_REMOVALS = frozenset({"os.remove", "os.unlink"})


def _feeding(nodes: list[ast.AST], read: set[str]) -> set[ast.AST]:
    """Of ``nodes`` (a function's), those of the values bound (``=``, ``:=``) to the names
    ``read``, and in turn to the names such a value reads."""
    bindings = [
        (a.targets[0].id, a.value)
        for a in nodes
        if a.__class__ is ast.Assign and len(a.targets) == 1 and a.targets[0].__class__ is ast.Name
    ]
    bindings += [(n.target.id, n.value) for n in nodes if n.__class__ is ast.NamedExpr]
    fed: set[ast.AST] = set()
    while values := [v for name, v in bindings if name in read and v not in fed]:
        for value in values:
            inner = list(own_nodes(value))
            fed.update(inner)
            read = read | {n.id for n in inner if n.__class__ is ast.Name}
    return fed


def _unfollowed_probe(probe: ast.expr) -> str | None:
    """The name whose path ``probe`` stats without following a symlink (``path.lstat()``,
    ``path.stat(follow_symlinks=False)``), or ``None``."""
    if probe.__class__ is not ast.Call or probe.func.__class__ is not ast.Attribute:
        return None
    if probe.func.value.__class__ is not ast.Name or probe.args:
        return None
    keywords = [(k.arg, k.value) for k in probe.keywords]
    unfollowed = probe.func.attr == "lstat" and not keywords
    unfollowed |= (
        probe.func.attr == "stat"
        and len(keywords) == 1
        and keywords[0][0] == "follow_symlinks"
        and keywords[0][1].__class__ is ast.Constant
        and keywords[0][1].value is False
    )
    return probe.func.value.id if unfollowed else None


def _suppresses(expr: ast.expr) -> bool:
    """Whether ``expr`` is a call of ``suppress`` (``contextlib.suppress(OSError)``)."""
    return expr.__class__ is ast.Call and last_name(expr.func) == "suppress"


def _takes(call: ast.Call, name: str) -> bool:
    """Whether ``call`` hands the value of the name ``name`` as an argument."""
    return any(arg.__class__ is ast.Name and arg.id == name for arg in call_arguments(call))
