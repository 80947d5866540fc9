"""The section planner's accesses: what each statement of a coroutine touches (the file system,
a database, a server, ``self.x``, a global), one mode per access, a lazy result's uses
among them (mixed into ``sections.SectionPlanner``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.call_resources import resource_access
from deblock.analysis.fix_shapes import awaits_in
from deblock.analysis.nodes import own_nodes
from deblock.analysis.shared_state import READ, WRITE
from deblock.analysis.temporary_files import bound_name, on_temporary
from deblock.analysis.thread_bound import frame_bound
from deblock.rules.resources import RESOURCE_OF_CODE, SERVER

if TYPE_CHECKING:
    pass


# Beside a project function that touches the server, a shared client of any library does
# (``SectionPlanner._through_own``).
_ANY_LIBRARY = "*"


class SectionAccesses:
    """Finds what a coroutine's statements touch (``SectionPlanner``'s)."""

    def _accesses(
        self, statement: ast.stmt, private: frozenset[str] = frozenset()
    ) -> dict[str, list[str]]:
        """Each resource the statement touches, with one mode per access. A blocking call
        nested in another (``json.load(open(p))``) moves into the thread with it: one access,
        unless its arguments must stay on the event loop (they await, or need the
        coroutine's frame: ``frame_bound``), where each call is bridged apart. A use of a
        lazy result's name (``_lazy_names``) is its call's access. ``private``: more
        names of temporary files (``run_accesses``)."""
        touched: dict[str, list[str]] = {}
        covered: set[ast.AST] = set()
        lazy_names = self._lazy_names
        for node in own_nodes(statement):  # outer nodes first
            if node in self.found and node not in covered:
                modes: dict[str, set[str]] = {}
                held = [n for n in own_nodes(node) if n in self.found]
                for inner in held if len(held) == 1 or _moves_whole(node) else [node]:
                    covered.add(inner)
                    for resource, mode in self._resource_access(inner, private):
                        modes.setdefault(resource, set()).add(mode)
                for resource, kinds in modes.items():
                    touched.setdefault(resource, []).append(WRITE if WRITE in kinds else READ)
            if lazy_names and (lazy := self._lazy_access(node)):
                touched.setdefault(lazy[0], []).append(lazy[1])  # iterating it does the I/O
            for resource, mode in self.state.touches(node):
                touched.setdefault(resource, []).append(mode)
        return touched

    def lazy_uses(self) -> list[tuple[int, str, str]]:
        """The line, resource and mode of each use of a lazy result's name
        (``_lazy_names``): accesses no finding of their own marks."""
        if not self._lazy_names:
            return []
        return [
            (node.lineno, *access)
            for node in own_nodes(self.function)
            if (access := self._lazy_access(node)) is not None
        ]

    def _lazy_reads(self, inside: set[ast.AST]) -> tuple[str, ...]:
        """The resources the nodes ``inside`` a section touch by using a lazy result's name
        (``_lazy_names``): iterated in the thread, it does its I/O there (fix_fuzz
        --proxies 490233: a listing made before an await, iterated in a section on the
        server)."""
        if not self._lazy_names:
            return ()
        used = {access[0] for n in inside if (access := self._lazy_access(n))}
        return tuple(sorted(used))

    def _lazy_access(self, node: ast.AST) -> tuple[str, str] | None:
        """The access of the lazy result whose name ``node`` reads (``_lazy_names``), if it
        is a name read."""
        if node.__class__ is not ast.Name or not isinstance(node.ctx, ast.Load):
            return None
        return self._lazy_names.get(node.id)

    @cached_property
    def _lazy_names(self) -> dict[str, tuple[str, str]]:
        """The names the coroutine binds to the lazy result of a call on a resource
        (``found = os.scandir(root)``), each with the call's access: a statement that uses
        the name (iterates it) does that I/O where it runs."""
        lazy = [node for node, index in self.found.items() if self.findings[index].lazy_result]
        names = {}
        for node in lazy:
            name = bound_name(self.parents.get(node), node)
            access = next(self._resource_access(node), None)
            if name is not None and access is not None:
                names[name] = access
        return names

    def _resource_access(
        self, node: ast.AST, private: frozenset[str] = frozenset()
    ) -> Iterator[tuple[str, str]]:
        """The resource and mode of finding ``node``'s call, none on a temporary file
        (``self.private`` or ``private``)."""
        finding = self.findings[self.found[node]]
        access = resource_access(finding.code, finding.target, node, self._through_own(node))
        if access and not on_temporary(node, self.private | private):
            yield access

    def _through_own(self, node: ast.AST) -> bool:
        """Whether call ``node`` touches the server as an own client's call does
        (``StateAccess.through_own``), or goes through a shared client of a library whose
        own client the coroutine calls in the same run: both may talk to one server (their
        addresses are not compared), and the run's calls of the two reach it in one piece
        on the loop (``kafka_own_beside_shared``: a thread-safe producer's send after an
        own consumer's poll). A project function the run calls that touches the server
        names no library: beside it, any client's call does (``kafka_own_in_helper``)."""
        library = self.findings[self.found[node]].target.partition(".")[0]
        beside = self._own_libraries.get(node, ())
        return self.state.through_own(node) or library in beside or _ANY_LIBRARY in beside

    @cached_property
    def _own_libraries(self) -> dict[ast.AST, frozenset[str]]:
        """For each finding node in a run of statements, the libraries (``paramiko``,
        ``kafka``) of the server calls the run makes through clients of its own, and
        ``_ANY_LIBRARY`` when it calls project code that touches the server."""
        libraries = {}
        for segment in self.segments:
            nodes = [n for s in segment for n in own_nodes(s)]
            found = [n for n in nodes if n in self.found]
            own = {
                finding.target.partition(".")[0]
                for n in found
                if RESOURCE_OF_CODE.get((finding := self.findings[self.found[n]]).code) == SERVER
                and self.state.through_own(n)
            }
            if any(resource == SERVER for n in nodes for resource, _ in self.state.touches(n)):
                own.add(_ANY_LIBRARY)
            libraries.update(dict.fromkeys(found, frozenset(own)))
        return libraries


def _moves_whole(call: ast.AST) -> bool:
    """Whether a blocking call's thread can take its arguments with it."""
    return not (isinstance(call, ast.Call) and (awaits_in(call) or frame_bound([call])))
