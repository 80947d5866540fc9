"""Which of a project's modules never run together, so their fixes' threads never meet.

pytest runs one test at a time, so two test modules' coroutines never run together (their
helpers and ``conftest.py`` run within any test). A program, a module that runs its own
coroutines as an entry (``entry_points.runs_as_program``), that nothing in its project
imports or names and that lies in no package the project imports from, runs in a process
of its own: apart from the tests and from other programs, though not from the library
modules it may import. Two projects (each with its ``pyproject.toml``) run in processes of
their own too: a test module or program of one never meets a module of the other whose
package no file of its project names, unless that project declares plugins (pytest loads a
``pytest11`` entry point unnamed); two library modules may still meet in a third project's
program. The original code never serialised two processes either, so a fix
adds no interleaving between them.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from deblock.analysis.modules import module_name
from deblock.analysis.test_paths import is_test_module, runs_under_pytest
from deblock.pool import file_size
from deblock.project.dependencies import declares_plugins, project_of

if TYPE_CHECKING:  # summaries are made only to judge (a warm run reads its answers back)
    from collections.abc import Callable

    from deblock.analysis.summary import ModuleSummary
    from deblock.pool import Workers


class Processes:
    """Which modules of a run never run at the same time, given its ``programs`` and the
    names each of its projects' files may load (``loaded_names``)."""

    def __init__(self, programs: list[str], loaded: dict[str, list[str]] | None = None):
        self.programs = frozenset(programs)
        self.loaded = {project: set(names) for project, names in (loaded or {}).items()}
        self._known: dict[str, str | None] = {}  # project directories
        self._tests: dict[str, tuple[bool, bool]] = {}  # path -> test module, under pytest
        self._pairs: dict[tuple[str, str], bool] = {}
        self._plugins: dict[str, bool] = {}  # project -> it declares entry points

    def apart(self, path: str, other: str) -> bool:
        """Whether the modules at ``path`` and ``other`` never run at the same time."""
        pair = (path, other)
        if pair not in self._pairs:
            self._pairs[pair] = self._apart(path, other)
        return self._pairs[pair]

    def _apart(self, path: str, other: str) -> bool:
        if path == other:
            return False
        (test, in_tests), (other_test, other_in_tests) = self._kind(path), self._kind(other)
        if test and other_test:
            return True
        programs = self.programs
        if (path in programs and (other in programs or other_in_tests)) or (
            other in programs and in_tests
        ):
            return True
        return self._never_loads(path, in_tests, other) or self._never_loads(
            other, other_in_tests, path
        )

    def _never_loads(self, path: str, in_tests: bool, other: str) -> bool:
        """Whether the processes ``path`` runs in never load ``other``: ``path`` is a test
        module or a program (``in_tests``: under pytest), of another project than
        ``other``'s, in which no file names ``other``'s top-level package; and ``other``'s
        project declares no plugins (pytest loads those by entry point, unnamed)."""
        if not (in_tests or path in self.programs):
            return False
        project, own = project_of(path, self._known)
        other_project, other_own = project_of(other, self._known)
        if not (own and other_own) or project == other_project:
            return False
        if other_project not in self._plugins:
            self._plugins[other_project] = declares_plugins(Path(other_project))
        if self._plugins[other_project]:
            return False
        names = self.loaded.get(project)  # unknown: it may load anything
        return names is not None and module_name(other)[0].partition(".")[0] not in names

    def _kind(self, path: str) -> tuple[bool, bool]:
        """Whether ``path`` is a test module, and whether it runs under pytest."""
        kind = self._tests.get(path)
        if kind is None:
            in_tests = runs_under_pytest(path, project_of(path, self._known)[0])
            kind = self._tests[path] = (is_test_module(path), in_tests)
        return kind


def programs(summaries: list[ModuleSummary], paths: list[str], relevant: set[str]) -> list[str]:
    """The programs among the ``relevant`` paths (those whose fixes another module could
    decline), given the run's summaries and every module of the run (``paths``): modules
    whose summary says they run as an entry, outside the tests, that no module imports and
    no other file of their project names (a module loaded by name or file name runs inside
    whatever loads it) and that lie in no package the project imports from."""
    known: dict[str, str | None] = {}
    projects = {s.path: project_of(s.path, known)[0] for s in summaries if s.path in relevant}
    candidates = {
        s.module: s.path
        for s in summaries
        if s.program and s.path in projects and not runs_under_pytest(s.path, projects[s.path])
    }
    _drop_imported(candidates, summaries)
    _drop_named(candidates, paths, {projects[path] for path in candidates.values()})
    return sorted(candidates.values())


def _drop_imported(candidates: dict[str, str], summaries: list[ModuleSummary]) -> None:
    """Drop the candidates (module: path) in a package that a summarised module imports
    from at its top level (itself excepted): a library's modules may run together, in its
    tests or its users' programs, whether or not one of them has a ``__main__`` block."""
    roots = {module.partition(".")[0] for module in candidates}
    imported = set()
    for summary in summaries:
        own = summary.module
        for qualname in summary.names.values():
            root = qualname.partition(".")[0]
            if root in roots and qualname != own and not qualname.startswith(own + "."):
                imported.add(root)
    for module in [m for m in candidates if m.partition(".")[0] in imported]:
        del candidates[module]


def _drop_named(candidates: dict[str, str], paths: list[str], projects: set[str]) -> None:
    """Drop the candidates (module: path) another file of the ``projects`` (directories)
    imports (inside a function too) or names in a string: read as bytes, decoded only where
    the name is."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for module in candidates:
        by_name[module.rpartition(".")[2]].append(module)
    inside_projects = tuple(os.path.join(directory, "") for directory in projects)
    for path in paths:
        if not candidates:
            return
        if not os.path.abspath(path).startswith(inside_projects):
            continue
        data = _bytes(path)
        found = [name for name in by_name if name.encode() in data]
        text = data.decode("utf-8", "replace") if found else ""
        for module in [m for name in found for m in by_name[name]]:
            program = candidates.get(module)
            inside = program is not None and path.startswith(os.path.dirname(program) + os.sep)
            if program not in (None, path) and _mention(module, inside).search(text):
                del candidates[module]


@lru_cache(maxsize=256)
def _mention(module: str, relative: bool) -> re.Pattern[str]:
    """What names module ``module`` in another file: an import of it (absolute, or
    ``relative`` too for a file in its package, alone or from its package), or a string
    holding its dotted name or its file name (``"web_ws.py"``, ``"examples/web_ws.py"``)."""
    package, _, name = module.rpartition(".")
    word = re.escape(name)
    parent = re.escape(package.rpartition(".")[2])
    dots = r"|\.+" if relative else ""
    prefix = rf"(?:(?:\w+\.)*{parent}\.{dots})?" if package else ""
    forms = [
        rf"^[ \t]*import\s+(?:[\w.]+\s*,\s*)*{prefix}{word}\b",
        rf"\bfrom\s+{prefix}{word}\s+import\b",
        rf"[\"'/\\]{word}\.py[\"']",
        rf"[\"']{prefix}{word}[\"']",
    ]
    if package:
        forms.append(
            rf"\bfrom\s+(?:(?:\w+\.)*{parent}{dots})\s+import\s*(?:\([^)]*|[^\n]*)\b{word}\b"
        )
    return re.compile("|".join(forms), re.MULTILINE)


def loaded_names(
    paths: list[str], roots: set[str], workers: Workers
) -> Callable[[], dict[str, list[str]]]:
    """In a run over two projects or more (each with its ``pyproject.toml``), the top-level
    names of the run's modules (``roots``) each project's files may load, by project
    directory; none in a run over one, where no two modules lie in different projects. The
    files are read in the ``workers`` from now on, while this process judges; the result
    gives the names."""
    known: dict[str, str | None] = {}
    by_project: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        directory, own = project_of(path, known)
        if own:
            by_project[directory].append(path)
    if len(by_project) < 2:
        return dict
    projects = sorted(by_project.items())
    size = sum(file_size(path) for path in paths)
    names = workers.start(_names_loaded, [files for _, files in projects], size)
    return lambda: {
        directory: [name for name in found if name in roots]
        for (directory, _), found in zip(projects, names(), strict=True)
    }


def _names_loaded(paths: list[str]) -> list[str]:
    """The top-level names the files at ``paths`` may load: those they import (inside a
    function too), and those a string starts with (``"pkg.mod"``, ``"pkg:app"``, ``"pkg"``:
    what ``import_module`` and app loaders take)."""
    names: set[bytes] = set()
    for path in paths:
        data = _bytes(path)
        for imports, base in _IMPORTS.findall(b"\n" + data):
            listed = imports.split(b",") if imports else [base]
            names.update(name.split()[0].partition(b".")[0] for name in listed)
        names.update(_STRINGS.findall(data))
    return sorted(name.decode("ascii", "replace") for name in names)


# An import at the start of a line (the text searched starts with a line break): found
# from the break, a literal, twice as fast as from ``^`` tried at every position.
_IMPORTS = re.compile(
    rb"\n[ \t]*(?:import[ \t]+((?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*[\w.]+)"
    rb"|from[ \t]+(\w+))"
)
_STRINGS = re.compile(rb"[\"']([A-Za-z_]\w*)[.:\"']")


def _bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b""
