"""Where the project's module summaries come from: the one place that owns them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING

from deblock.analysis.modules import maybe_project
from deblock.analysis.registrar_readings import widened
from deblock.analysis.summary import ModuleSummary
from deblock.library.summaries import Libraries

if TYPE_CHECKING:
    from deblock.project.processes import Processes, Side


class ModuleSummaries:
    """Module summaries, in order (``summaries``) and by module name (``modules``).

    The modules in ``pending`` (module name → path) are not summarised yet (nothing in
    them is a coroutine): they are summarised only when a name inside them is reached.
    This class holds a fixed set (nothing pending); a run's set (``RunSummaries``)
    summarises its pending modules when they are reached. With ``libraries``, the
    modules of installed packages are reached too, into ``library_modules`` (their names
    and classes only). ``boundary``: in a run over several projects, which modules never
    run in one process (``meeting``).
    """

    def __init__(
        self,
        summaries: Iterable[ModuleSummary] = (),
        libraries: Libraries | None = None,
        pending: dict[str, str] | None = None,
        boundary: Processes | None = None,
    ):
        self.summaries: list[ModuleSummary] = list(summaries)
        self.boundary = boundary
        self.modules: dict[str, ModuleSummary] = {s.module: s for s in self.summaries}
        self.pending: dict[str, str] = {} if pending is None else pending
        self.libraries = libraries
        self.library_modules: dict[str, ModuleSummary] = {}
        self._reached: set[tuple[str, bool]] = set()
        self._named: set[str] = set()  # the words ``naming`` looked for
        self._texts: dict[str, bytes] = {}  # the pending modules' texts ``naming`` read
        self._located = False
        self._defined: tuple[list, dict, dict, int] = ([], {}, {}, 0)  # ``defined``'s
        self._read_at_once(self.summaries)

    def side(self, path: str) -> Side | None:
        """All ``meeting`` weighs of the module at ``path`` (``Processes.side``; None in a
        run over one project, where every module meets every other)."""
        return None if self.boundary is None else self.boundary.side(path)

    def meeting(self, side: Side | None, summaries: Iterable[ModuleSummary]) -> list[ModuleSummary]:
        """Of ``summaries``, those of the modules that may run in one process with a module
        of ``side`` (``side``): not in two projects no project of the run loads both of
        (``Processes.never_loaded_together``), whose state one never shares with the
        other."""
        if self.boundary is None:
            return list(summaries)
        return [s for s in summaries if self.meets(side, s.path)]

    def meets(self, side: Side | None, path: str) -> bool:
        """Whether the module at ``path`` may run in one process with a module of ``side``
        (``meeting``)."""
        boundary = self.boundary
        return boundary is None or not boundary.sides_apart(side, boundary.side(path))

    def summarise(self, paths: list[str]) -> list[ModuleSummary]:
        """Summaries of the modules at ``paths`` (those that could be summarised)."""
        return []

    def reach(self, qualname: str, libraries: bool = True) -> list[ModuleSummary]:
        """Summarise the pending module (or, with ``libraries``, the installed package's
        module) ``qualname`` lies in, if any; the new summaries."""
        libraries = libraries and self.libraries is not None
        if not (self.pending or libraries) or (qualname, libraries) in self._reached:
            return []
        self._reached.add((qualname, libraries))
        module = self._pending_module(qualname)
        if module is not None:
            return self._add([module])
        return self._library_module(qualname) if libraries else []

    def naming(self, names: Iterable[str]) -> None:
        """Summarise the pending modules whose text names one of ``names``: code no call
        site reaches may still run on the event loop (a handler, a callback) and use a
        global of that name. A word looked for before is in none of them: each module
        whose text held it was summarised then (``pending`` only shrinks)."""
        words = [name.encode() for name in set(names) - self._named]
        self._named.update(name.decode() for name in words)
        if not words:
            return
        wanted = [module for module, path in self.pending.items() if self._names(path, words)]
        if wanted:
            self._add(sorted(wanted, key=self.pending.__getitem__))

    def methods_named(self, names: set[str], path: str) -> dict[str, str]:
        """Each of ``names`` that a project class defines as a method, with one such
        (``Class.name``), of those of the modules that may run beside the module at
        ``path`` (``meeting``): the pending modules whose text names them summarised
        first."""
        self.naming(names)
        return {
            name: f"{cls}.{name}"
            for summary in self.meeting(self.side(path), self.summaries)
            for cls, info in sorted(summary.classes.items())
            for name in names & info.methods.keys()
        }

    def _read_at_once(self, summaries: list[ModuleSummary]) -> list[ModuleSummary]:
        """``summaries`` (joined), each that writes more when an exit registrar's name
        calls what it is handed at once (``ModuleSummary.at_once``) put in its place read
        so, where a project class defines a method of such a name: other modules' fixes
        are weighed against what it may write then."""
        read = []
        for summary in summaries:
            if summary.at_once and self.methods_named(set(summary.at_once[0]), summary.path):
                at = next(i for i, s in enumerate(self.summaries) if s is summary)
                summary = self.summaries[at] = self.modules[summary.module] = widened(summary)
            read.append(summary)
        return read

    def _names(self, path: str, words: list[bytes]) -> bool:
        """Whether the pending module at ``path`` holds one of ``words``: its text read
        once (the corpus's cold run asked 229 times, reading 61,786 files)."""
        text = self._texts.get(path)
        if text is None:
            text = self._texts[path] = _text(path)
        return any(word in text for word in words)

    def deferred_naming(self, names: Iterable[str]) -> list[str]:
        """The paths of the deferred modules (``ModuleSummary.deferred``) whose text names
        one of ``names``."""
        words = [name.encode() for name in names]
        return [s.path for s in self.summaries if s.deferred and _names(s.path, words)]

    def complete(self, paths: list[str]) -> None:
        """Analyse again, whole, the deferred modules at ``paths``: a fixed set has none."""

    def defined(self) -> tuple[dict, dict, int]:
        """What every ``ProjectIndex`` over these summaries starts from (a copy): their
        functions and classes, the summaries read in order (``read_defined``), and how
        many summaries that is. Kept up to date as summaries join (a namespace's phases
        each make an index: each read all of them); read again whole once ``summaries`` is
        another list (``RunSummaries.complete`` swapped some; an index made before keeps
        what it read, as it did)."""
        over, functions, classes, done = self._defined
        if over is not self.summaries:
            over, functions, classes, done = self.summaries, {}, {}, 0
        for summary in over[done:]:
            read_defined(summary, functions, classes)
        self._defined = (over, functions, classes, len(over))
        return functions, classes, len(over)

    def is_module(self, name: str, libraries: bool = False) -> bool:
        """Whether ``name`` is a module of the project (or, with ``libraries``, of an
        installed package)."""
        if name in self.modules or name in self.pending:
            return True
        libraries = libraries and self.libraries is not None
        return libraries and self._located_libraries().is_module(name)

    def namespaced(self, name: str) -> str | None:
        """The project module that ``name`` names through the directories above its
        outermost package, which hold no ``__init__.py`` (a namespace package, PEP 420):
        ``pk.server`` for the module ``server`` at ``pk/server/__init__.py`` (module names
        start at the outermost package, ``modules.module_name``); None when it names none."""
        parts = name.split(".")
        for start in range(1, len(parts)):
            own = ".".join(parts[start:])
            path = self.pending.get(own) or getattr(self.modules.get(own), "path", None)
            if path is None:
                continue
            pure = PurePath(os.path.abspath(path))
            above = [p.name for p in pure.parents][len(parts) - start - (pure.stem != "__init__") :]
            if above[:start] == parts[start - 1 :: -1]:
                return own
        return None

    def is_library(self, qualname: str) -> bool:
        """Whether ``qualname`` lies in an installed package."""
        return (
            self.libraries is not None and self._located_libraries().package(qualname) is not None
        )

    def _library_module(self, qualname: str) -> list[ModuleSummary]:
        """The summary of the installed package's module ``qualname`` lies in."""
        libraries = self._located_libraries()
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            name = ".".join(parts[:end])
            if name in self.modules or name in self.library_modules:
                return []
            summary = libraries.summary(name)
            if summary is not None:
                self.library_modules[name] = summary
                return [summary]
        return []

    def _located_libraries(self) -> Libraries:
        """The libraries, with every top-level name the project refers to located at once
        (one probe of the interpreter) and the project's own never looked for."""
        if not self._located:
            self._located = True
            self.libraries.locate(_referred_roots(self.summaries), self.own_roots())
        return self.libraries

    def own_roots(self) -> set[str]:
        """The top-level names of the project's modules (never looked for as packages)."""
        return {name.partition(".")[0] for name in (*self.modules, *self.pending)}

    def prefetch(self) -> None:
        """Summarise, level by level and many at a time, the pending modules that call
        sites reach: their callees, what those re-export, the callees of those
        functions, and so on. (``reach`` goes one by one; this does most of it in bulk.)"""
        frontier = [
            site.callee
            for summary in self.summaries
            for function in summary.functions.values()
            for site in function.sites
        ]
        seen: set[str] = set()
        while frontier and self.pending:
            frontier = [name for name in dict.fromkeys(frontier) if name not in seen]
            seen.update(frontier)
            wanted = {self._pending_module(name) for name in frontier} - {None}
            if wanted:
                self._add(sorted(wanted, key=self.pending.__getitem__))
            frontier = [step for name in frontier for step in self._next_names(name)]

    def _add(self, modules: list[str]) -> list[ModuleSummary]:
        """Summarise pending ``modules`` (they are pending no more, even if that fails)."""
        paths = [self.pending.pop(module) for module in modules]
        added = self.summarise(paths)
        self.summaries += added
        for summary in added:
            self.modules[summary.module] = summary
            self.pending.pop(summary.module, None)
        return self._read_at_once(added)

    def _pending_module(self, qualname: str) -> str | None:
        """The pending module ``qualname`` lies in, unless it lies in a summarised one."""
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            name = ".".join(parts[:end])
            if name in self.modules:
                return None
            if name in self.pending:
                return name
        return None

    def _next_names(self, name: str) -> list[str]:
        """What a reached name leads to: a function's callees, or what a module name
        re-exports."""
        parts = name.split(".")
        for end in range(len(parts) - 1, 0, -1):
            summary = self.modules.get(".".join(parts[:end]))
            if summary is None:
                continue
            function = summary.functions.get(name)
            if function is not None:
                return [callee for callee, *_ in function.calls]
            target = summary.names.get(parts[end].removesuffix("()"))
            return [".".join([target, *parts[end + 1 :]])] if target else []
        return []


def read_defined(summary: ModuleSummary, functions: dict, classes: dict) -> None:
    """Add module ``summary``'s functions (qualified name -> (``summary``, the function's))
    and classes (qualified name -> its summary) to ``functions`` and ``classes``, in place
    of any of the same names."""
    for name, function in summary.functions.items():
        functions[name] = (summary, function)
    classes.update(summary.classes)


def _referred_roots(summaries: list[ModuleSummary]) -> set[str]:
    """The top-level names outside the standard library that the summaries' module names
    and call sites refer to."""
    names = [
        *(n for s in summaries for n in s.names.values()),
        *(site.callee for s in summaries for f in s.functions.values() for site in f.sites),
    ]
    return {n.partition(".")[0] for n in names if maybe_project(n)}


def _names(path: str, words: list[bytes]) -> bool:
    """Whether the file at ``path`` holds one of ``words``."""
    text = _text(path)
    return any(word in text for word in words)


def _text(path: str) -> bytes:
    """The bytes of the file at ``path`` (none when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def qualified_state(owner: ModuleSummary, key: str) -> str:
    """State ``key`` of a function of module ``owner`` (as ``StateAccess`` names it: a global
    of its own, ``COUNT``, or what it names of its imports, ``LEDGER.count`` of ``from ledgers
    import LEDGER``, ``ledgers.LEDGER``) by its qualified name (``helpers.COUNT``,
    ``ledgers.LEDGER.count``)."""
    head, dot, rest = key.partition(".")
    imported = owner.names.get(head) if head not in owner.instances else None
    return imported + dot + rest if imported else f"{owner.module}.{key}"
