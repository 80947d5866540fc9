"""Which of a project's modules never run together, so their fixes' threads never meet.

pytest runs one test at a time, so two test modules' coroutines never run together (their
helpers and ``conftest.py`` run within any test). A program, a module that runs its own
coroutines as an entry (``entry_points.runs_as_program``), that nothing in its project
imports or names and that lies in no package the project imports from, runs in a process
of its own: apart from the tests and from other programs, though not from the library
modules it may import. Two projects (each with its ``pyproject.toml``, ``setup.py`` or
``setup.cfg``) run in processes of their own too: a test module or program of one meets a
module of the other only when its processes may load it: the other project installs it
(no test, at its top or in ``src``), and a file of its project names its top-level name (a
name its own modules bear is theirs), or a module they may load does, or the other
project declares plugins in a group they may load (pytest loads ``pytest11`` entry points
unnamed into tests: of a plugin ``dependencies.test_plugins`` reads, its module and what
it imports, ``Loads.plugged``); two library modules may still meet in a third project's
program, unless no project of the run may load both (the file system they touch, and
the objects their code changes, are then no one resource between them: each project
runs its own event loops). The original code never serialised two processes either, so
a fix adds no interleaving between them.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from deblock.analysis.modules import module_name
from deblock.analysis.test_paths import is_test_module, runs_under_pytest
from deblock.pool import file_size
from deblock.project.dependencies import (
    PYTEST_PLUGINS,
    UNKNOWN_GROUP,
    declared,
    normal,
    plugin_groups,
    project_of,
    test_plugins,
)

if TYPE_CHECKING:  # summaries are made only to judge (a warm run reads its answers back)
    from collections.abc import Callable

    from deblock.analysis.summary import ModuleSummary
    from deblock.pool import Workers


# A module's project directory, top-level name and, where needed, dotted name
# (``Processes.side``).
Side = tuple[str, str, str | None]


class Processes:
    """Which modules of a run never run at the same time, given its ``programs`` and the
    names each of its projects' files may load (``loaded_names``)."""

    def __init__(self, programs: list[str], loaded: dict[str, Loads] | None = None):
        self.programs = frozenset(programs)
        loaded = loaded or {}
        self.loaded = {
            project: {True: set(loads.tests), False: set(loads.programs)}
            for project, loads in loaded.items()
        }
        self.each = {  # a program's own, where fewer than its project's programs'
            path: set(names) for loads in loaded.values() for path, names in loads.each.items()
        }
        self.plugged = {project: frozenset(loads.plugged) for project, loads in loaded.items()}
        # the top-level names of which some project's tests load only some modules
        self._partial = {m.partition(".")[0] for modules in self.plugged.values() for m in modules}
        self._known: dict[str, str | None] = {}  # project directories
        self._tests: dict[str, tuple[bool, bool]] = {}  # path -> test module, under pytest
        self._pairs: dict[tuple[str, str], bool] = {}
        self._sides: dict[str, Side | None] = {}
        self._loaded_apart: dict[tuple, bool] = {}  # by two sides

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
        return (
            self._never_loads(path, in_tests, other)
            or self._never_loads(other, other_in_tests, path)
            or self.never_loaded_together(path, other)
        )

    def _never_loads(self, path: str, in_tests: bool, other: str) -> bool:
        """Whether the processes ``path`` runs in never load ``other``: ``path`` is a test
        module or a program (``in_tests``: under pytest), of another project than
        ``other``'s, whose processes may load no module under ``other``'s top-level name
        (``loaded_names``)."""
        if not (in_tests or path in self.programs):
            return False
        project, own = project_of(path, self._known)
        other_project, other_own = project_of(other, self._known)
        if not (own and other_own) or project == other_project:
            return False
        loads = self.loaded.get(project)  # unknown: it may load anything
        if loads is None:
            return False
        names = loads[True] if in_tests else self.each.get(path, loads[False])
        plugged = in_tests and module_name(other)[0] in self.plugged[project]
        return _root(other) not in names and not plugged

    def never_loaded_together(self, path: str, other: str) -> bool:
        """Whether ``path`` and ``other`` lie in two projects of which no project's
        processes may load both (``loaded_names``: its own modules, and the names it may
        load of others'): each project runs its own event loops, never the other's. The
        one boundary of a run over several projects: no resource (``shared_io``) nor state
        (``ModuleSummaries.meeting``) is shared across it."""
        return self.sides_apart(self.side(path), self.side(other))

    def side(self, path: str) -> Side | None:
        """The declared project holding the module at ``path``, its top-level name and,
        where some project's tests load only some modules under that name (``plugged``),
        its dotted name: all ``never_loaded_together`` weighs of it (None: it is of no
        declared project)."""
        side = self._sides.get(path, False)
        if side is False:
            project, own = project_of(path, self._known)
            root = _root(path)
            module = module_name(path)[0] if root in self._partial else None
            side = self._sides[path] = (project, root, module) if own else None
        return side

    def sides_apart(self, side: Side | None, other: Side | None) -> bool:
        """``never_loaded_together`` of two modules' ``side``s."""
        if side is None or other is None or side[0] == other[0]:
            return False
        key = (side, other)
        if key not in self._loaded_apart:
            known = {side[0], other[0]} <= self.loaded.keys()  # unknown: it may load anything
            self._loaded_apart[key] = known and not any(
                self._loads(loader, side) and self._loads(loader, other) for loader in self.loaded
            )
        return self._loaded_apart[key]

    def _loads(self, loader: str, side: Side) -> bool:
        """Whether project ``loader``'s processes may load a module of ``side``."""
        project, root, module = side
        loads = self.loaded[loader]
        return (
            project == loader
            or root in loads[True]
            or root in loads[False]
            or module in self.plugged[loader]
        )

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


def loaded_names(root_of: dict[str, str], workers: Workers) -> Callable[[], dict[str, Loads]]:
    """In a run over two projects or more (``dependencies.project_directory``), by project
    directory, the top-level names of the modules other projects install that its
    processes may load (``reachable``); none in a run over one, where no two modules lie
    in different projects. The directory of modules of no declared project may load any
    of the run's names (a script beside two projects may import both). ``root_of``: the
    top-level name of each module of the run, by path. The files are read in the
    ``workers`` from now on, while this process judges; the result gives the names."""
    known: dict[str, str | None] = {}
    by_project: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    installed: dict[str, set[str]] = defaultdict(set)
    alone: set[str] = set()  # the modules that may be programs: no tests
    tops: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    strays: set[str] = set()  # directories of modules of no declared project
    for path, root in root_of.items():
        directory, own = project_of(path, known)
        if not own:
            strays.add(directory)
        else:
            by_project[directory][root].append(path)
            tops[directory][root].add(_top(path))
            if installs(path, directory):
                installed[directory].add(root)
            if not runs_under_pytest(path, directory):
                alone.add(path)
    if len(by_project) < 2:
        return dict
    projects = sorted(by_project)
    size = sum(file_size(path) for path in root_of)
    items = [
        [(root, paths, {p for p in paths if p in alone}) for root, paths in sorted(per.items())]
        for per in (by_project[directory] for directory in projects)
    ]
    names = workers.start(_names_loaded, items, size)
    roots = set(root_of.values())

    def reached() -> dict[str, Loads]:
        found: dict[str, dict[str, set[str]]] = {}
        each: dict[str, dict[str, tuple[set[str], set[str]]]] = {}
        for directory, per_root in zip(projects, names(), strict=True):
            found[directory] = {root: set(loads) for root, loads, _ in per_root}
            each[directory] = {
                p: (set(n), _importable(p, directory, tops[directory]))
                for _, _, alone in per_root
                for p, n in alone.items()
            }
        groups = {directory: plugin_groups(Path(directory)) for directory in projects}
        hosts = {directory: declared(Path(directory)) for directory in projects}
        plugins = {
            directory: plugin
            for directory in projects
            if PYTEST_PLUGINS in groups[directory]
            and (modules := test_plugins(Path(directory))) is not None
            and (plugin := _plugin_loads(modules, by_project[directory])) is not None
        }
        loads = reachable(found, installed, groups, roots, hosts, each, plugins)
        anything = sorted(roots)
        return loads | {directory: Loads(anything, anything, {}, []) for directory in strays}

    return reached


def _importable(path: str, project: str, tops: dict[str, set[str]]) -> set[str]:
    """The top-level names of the ``project``'s modules (their directories: ``tops``) that
    the program at ``path`` may import: those beside it (run as a script), beside its
    top-level package (run with ``-m`` there), or at the top of the project or its ``src``
    (run there, or installed)."""
    places = {os.path.dirname(os.path.abspath(path)), _top(path), project}
    places.add(os.path.join(project, "src"))
    return {root for root, directories in tops.items() if not places.isdisjoint(directories)}


def _plugin_loads(
    plugins: list[str], per_root: dict[str, list[str]]
) -> tuple[set[str], set[str]] | None:
    """What pytest loads of a project declaring ``pytest11`` plugins in modules
    ``plugins`` (``test_plugins``), given its modules' paths by top-level name: the
    plugin modules, the project's modules they import and the packages holding both
    (dotted names: those of its files), and the top-level names of the others they
    import; None when a
    plugin module is none of the project's (any of them may be loaded). anyio's plugin
    loads ``anyio``'s ``__init__`` and three modules, not ``_fileio`` nor trio."""
    paths = {module_name(path): path for paths in per_root.values() for path in paths}
    by_name = {name: (path, package) for (name, package), path in paths.items()}
    modules: set[str] = set()
    names: set[str] = set()
    for plugin in plugins:
        if plugin not in by_name:
            return None
        for imported in (plugin, *_imported(*by_name[plugin], plugin)):
            root = imported.partition(".")[0]
            if root in per_root:
                parts = imported.split(".")
                dotted = (".".join(parts[:i]) for i in range(1, len(parts) + 1))
                modules.update(name for name in dotted if name in by_name)
            else:
                names.add(root)
    return modules, names


def _imported(path: str, package: bool, module: str) -> list[str]:
    """The dotted names module ``module`` (at ``path``, a package's ``__init__`` when
    ``package``) imports anywhere in its text (relative imports resolved), and of each
    name a ``from`` import takes, the submodule it may be."""
    import ast

    try:
        tree = ast.parse(_bytes(path))
    except (SyntaxError, ValueError):
        return []
    base = module if package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parent = base.rsplit(".", node.level - 1)[0] if node.level else ""
            source = ".".join(part for part in (parent, node.module) if part)
            found += [source, *(f"{source}.{alias.name}" for alias in node.names)]
    return [name for name in found if name]


def installs(path: str, project: str) -> bool:
    """Whether the module at ``path`` is one its ``project`` (a directory) installs, which
    other projects may import: its top-level package or module lies in the project's
    directory or its ``src``, and it is no test (not in its tests, docs or examples) nor
    the project's ``setup.py``, which builds it (sanic's, naming ``sanic``, made every
    project whose files name ``setup`` load sanic)."""
    top = _top(path)
    if os.path.join(project, _BUILD_SCRIPT) == os.path.abspath(path):
        return False
    return top in (project, os.path.join(project, "src")) and not runs_under_pytest(path, project)


# The script that builds a project, never installed with it.
_BUILD_SCRIPT = "setup.py"


def _root(path: str) -> str:
    """The top-level name of the module at ``path``."""
    return module_name(path)[0].partition(".")[0]


def _top(path: str) -> str:
    """The directory holding the top-level package or module of the module at ``path``."""
    name, is_package = module_name(path)
    top = os.path.dirname(os.path.abspath(path))
    for _ in range(name.count(".") + is_package):
        top = os.path.dirname(top)
    return top


class Loads(NamedTuple):
    """The top-level names of other projects' modules a project's processes may load: its
    tests' (pytest loads ``pytest11`` plugins into them), its programs', and (``each``) by
    path, a program's own where they are fewer: the modules it imports, never a sibling
    program, which by ``programs``' definition nothing imports; and (``plugged``) the
    dotted names of the modules its tests load under names not in ``tests``: what other
    projects' ``pytest11`` plugins import (``_plugin_loads``)."""

    tests: list[str]
    programs: list[str]
    each: dict[str, list[str]]
    plugged: list[str]


def reachable(
    found: dict[str, dict[str, set[str]]],
    installed: dict[str, set[str]],
    groups: dict[str, set[str]],
    roots: set[str],
    declares: dict[str, set[str]],
    alone: dict[str, dict[str, tuple[set[str], set[str]]]],
    plugins: dict[str, tuple[set[str], set[str]]] | None = None,
) -> dict[str, Loads]:
    """By project, the top-level names of the modules other projects install (``installed``)
    that its tests' and its programs' processes may load, given what the files under each
    of a project's top-level names name (``found``) and the entry-point groups each project
    declares plugins in (``groups``): those its files name (a name its own modules bear is
    theirs), those the modules under those name in turn, and those of a project whose
    plugins it may load: a group whose host (the name it starts with) it loads, or, a host
    outside the run's ``roots``, that its files (or those it loads) name or it depends on
    (``declares``: normalised names); in its tests, ``pytest11`` too, which pytest loads
    into every test run unnamed. (In the corpus's run, aiohttp's example programs met trio
    through trio's ``hypothesis`` plugin, whose host aiohttp neither names nor depends on,
    and through anyio's ``pytest11`` plugin, which names trio.) A module that may be a
    program (``alone``: by project, by path, the names its file loads and its project's
    names it may import) loads, of its project's modules, those under the names it loads
    that it may import, then those they name in turn. ``plugins``: by project, what
    pytest loads of its ``pytest11`` plugins (``_plugin_loads``) where known: its tests
    load those modules only, and the names they import."""
    plugins = plugins or {}
    owners: dict[str, list[str]] = defaultdict(list)
    for project, names in installed.items():
        for root in names:
            owners[root].append(project)

    def loaded_by(project: str, tests: bool, program: tuple | None = None) -> list[str]:
        """The names for ``project``'s tests (``tests``) or its programs, or for the
        ``program`` whose file loads the first names and may import the second."""
        per_root = found[project]
        own = set(per_root)
        if program is None:
            names, importable = set(own).union(*per_root.values()), own
        else:
            names, importable = set(program[0]), program[1]
        if tests:
            names = names.union(*(named for o, (_, named) in plugins.items() if o != project))
        opened: set[str] = set()  # the project's own names whose modules' names are in
        reached: set[tuple[str, str]] = set()
        while True:
            while named := (names & importable) - opened:
                opened |= named
                names = names.union(*(per_root[root] for root in named))
            new = {(other, name) for name in names - own for other in owners.get(name, ())}
            for other, declared_groups in groups.items():
                plugged = {PYTEST_PLUGINS} if other in plugins else set()
                if other != project and any(
                    _loads(g, names, roots, declares[project], tests)
                    for g in declared_groups - plugged
                ):
                    new.update((other, root) for root in installed.get(other, ()))
            new -= reached
            if not new:
                break
            reached |= new
            for other, root in new:
                names |= found[other][root]
        return sorted({root for _, root in reached} - own)

    loads = {}
    for project in found:
        programs = loaded_by(project, False)
        each = {path: loaded_by(project, False, made) for path, made in alone[project].items()}
        tests = loaded_by(project, True)
        plugged = {m for o, (modules, _) in plugins.items() if o != project for m in modules}
        loads[project] = Loads(
            tests=tests,
            programs=programs,
            each={path: names for path, names in sorted(each.items()) if names != programs},
            plugged=sorted(m for m in plugged if m.partition(".")[0] not in tests),
        )
    return loads


def _loads(group: str, names: set[str], roots: set[str], declares: set[str], tests: bool) -> bool:
    """Whether processes that may load ``names`` (and the packages ``declares`` names) may
    load the plugins of entry-point ``group``: its host is among them (a package outside
    the run's ``roots``: among them or ``declares``), or, in ``tests``, it is ``pytest11``."""
    host = group.partition(".")[0]
    if group == UNKNOWN_GROUP or host in names or (tests and group == PYTEST_PLUGINS):
        return True
    return host not in roots and normal(host) in declares


def _names_loaded(
    per_root: list[tuple[str, list[str], set[str]]],
) -> list[tuple[str, list[str], dict[str, list[str]]]]:
    """For each top-level name, the files under it and those of them that are no tests,
    the top-level names the files may load: those they import (inside a function too),
    those a string starts with (``"pkg.mod"``, ``"pkg:app"``: what app loaders and
    ``mock.patch`` take), and the plain names a loader takes (``import_module("pkg")``,
    ``importorskip``, ``pytest_plugins``); and by path, those each of the second that
    may be a program (``_ENTRY``) and loads no module by a name it does not hold
    (``_DYNAMIC``) may load: its own, its packages' ``__init__``'s (run with
    ``-m``), and the top-level name itself where it may load another module under it: it
    imports relatively or names one (a script's directory leads ``sys.path``)."""
    found = []
    for root, paths, alone in per_root:
        names, entries = {}, []
        for path in paths:
            data = _bytes(path)
            names[path] = _names_in(data)
            if path in alone and re.search(_ENTRY, data, re.M) and not re.search(_DYNAMIC, data):
                entries.append(path)
        modules = {path: module_name(path) for path in paths}
        inside = {part for name, _ in modules.values() for part in name.split(".")}
        packages = [(name + ".", names[path]) for path, (name, init) in modules.items() if init]
        each = {}
        for path in entries:
            name = modules[path][0]
            loads = names[path].union(*(n for p, n in packages if name.startswith(p)))
            if _RELATIVE in loads or not inside.isdisjoint(loads):
                loads.add(root)
            each[path] = sorted(loads - {_RELATIVE})
        found.append((root, sorted(set().union(*names.values()) - {_RELATIVE}), each))
    return found


def _names_in(data: bytes) -> set[str]:
    """The top-level names a file holding ``data`` may load (``_names_loaded``),
    ``_RELATIVE`` for a relative import."""
    names: set[bytes] = set()
    for imports, base in re.findall(_IMPORTS, b"\n" + data):
        listed = imports.split(b",") if imports else [base]
        names.update(name.split()[0].partition(b".")[0] or b"." for name in listed)
    names.update(re.findall(_STRINGS, data), re.findall(_LOADED, data))
    for listed in re.findall(_PYTEST_PLUGINS, data) if b"pytest_plugins" in data else ():
        names.update(re.findall(_WORD, listed))
    return {name.decode("ascii", "replace") for name in names}


# What a relative import loads: a module of the importing module's package.
_RELATIVE = "."

# The patterns below are compiled by ``re`` when first used (its cache keeps them): only
# a run over two projects or more reads files with them, and compiling them at import
# cost every run with a project pass ~3.6M instructions (~0.7 ms), a warm one's too.
# An import at the start of a line (the text searched starts with a line break): found
# from the break, a literal, twice as fast as from ``^`` tried at every position.
_IMPORTS = (
    rb"\n[ \t]*(?:import[ \t]+((?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*[\w.]+)"
    rb"|from[ \t]+(\.+\w*|\w+))"
)
# A string naming a module or an object in one by its dotted name (``"pkg.mod"``,
# ``"pkg:app"``). A plain word is a module's name only where a loader takes it (a key is
# not: aiohttp's ``web.AppKey("websockets", ...)`` loaded websockets and so trio).
_STRINGS = rb"[\"']([A-Za-z_]\w*)[.:]"
_WORD = rb"[\"']([A-Za-z_]\w*)[\"']"
_LOADED = rb"\b(?:import_module|__import__|importorskip|find_spec)\(\s*" + _WORD
_PYTEST_PLUGINS = rb"\bpytest_plugins\s*=\s*([\[(][^\])]*|[^\n]*)"
# What may make a file a program's entry (``entry_points.runs_as_program``, read loosely):
# a ``__main__`` block, or a loop run by a line at the top level (``re.M``).
_ENTRY = rb"__main__|^\S[^\n]*\b(?:run|run_app|run_until_complete)\("
# A load by a name the text does not hold (``import_module(name)``, ``run_path(path)``):
# such a program may load any module of its project, as its programs may.
_DYNAMIC = (
    rb"\b(?:import_module|__import__|run_path|run_module|spec_from_file_location|load_module"
    rb"|load_source|exec)\s*\("
)


def _bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b""
