"""Dotted module names for files, following the packages (``__init__.py``) around them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import PurePath

from deblock.cache import digest
from deblock.listings import entries, forget_listings, holds_file

_EXTERNAL_ROOTS = frozenset(sys.stdlib_module_names) | {"builtins"}


def maybe_project(qualname: str) -> bool:
    """Whether a qualified name could be the project's own code (not stdlib, not builtins)."""
    return qualname.partition(".")[0] not in _EXTERNAL_ROOTS


# The files a directory's entries are probed for (packages, projects).
PROBED = ("__init__.py", "pyproject.toml", "setup.py", "setup.cfg")

# The directories whose entries the names were found from since ``forget_layout``, each
# with whether the kinds of its entries were read through symbolic links.
_read: dict[str, bool] = {}


def forget_layout() -> None:
    """Forget the packages, projects and names found so far (a run names its modules
    from the file system as it is then), the directories read (``layout_read``), their
    listings (``listings``) and what bare imports find beside them."""
    found = (is_package_dir, _module_name, _place, _within, sibling_named, _project_of, tops)
    for cached in (*found, _borne, _named_from, found_beside, _renamed):
        cached.cache_clear()
    _read.clear()
    forget_listings()


def layout_read() -> dict[str, bool]:
    """The directories whose entries were read since ``forget_layout`` (whether they
    hold one of the ``PROBED`` files, which modules and packages), each with whether the
    kinds of its entries were read through symbolic links (``note_read``)."""
    return dict(_read)


def note_read(directory: str, follows: bool = False) -> None:
    """Note that the entries of ``directory`` are read (``layout_read``); ``follows``:
    their kinds through symbolic links (a directory or a file where a link points)."""
    _read[directory] = follows or _read.get(directory, False)


@lru_cache(maxsize=4096)
def is_package_dir(directory: str) -> bool:
    note_read(directory)
    return holds_file(directory, "__init__.py")


def module_name(path: str, cwd: str | None = None) -> tuple[str, bool]:
    """The module's dotted name and whether it is a package's ``__init__``.

    The name is the one Python imports the module by: it starts at the outermost
    directory that is still a package, so ``src/app/utils/io.py`` is ``app.utils.io``
    when ``app`` and ``utils`` hold an ``__init__.py``, and it takes in the directories
    without one that a package holds (namespace portions, PEP 420: ``app/jobs/io.py`` is
    ``app.jobs.io`` too, not ``io``). Paths that do not exist (stdin) use their stem. Found
    once a path (several passes of a run ask) and working directory (a relative path's
    name depends on it).

    Modules outside any package are named from the directory that leads ``sys.path``
    when they run (a script's own): two such directories of one project may each hold a
    ``run.py``, each importing its own. Such a name borne from several directories of a
    project is kept by the one nearest the project's directory, if one is nearest; the
    others' top-level name is their directory's path in the project, ``scripts/a/run``
    (``sibling_named``), so that their summaries and functions keep apart. ``cwd``: the
    working directory, when the caller names many paths (``os.getcwd`` costs ~2 µs).
    """
    return _module_name(path, cwd or os.getcwd())


@lru_cache(maxsize=16384)
def _module_name(path: str, cwd: str) -> tuple[str, bool]:
    directory, stem = _place(path, cwd)
    within = _within(directory)
    is_package = stem == "__init__"
    name = ".".join([*within, *(() if is_package else (stem,))]) or stem
    top, dot, rest = name.partition(".")
    start = _above(directory, name.count(".") + is_package)
    return sibling_named(start, top) + dot + rest, is_package


def start_directory(path: str, cwd: str | None = None) -> str:
    """The absolute directory that leads ``sys.path`` for the module at ``path``: above
    its outermost package (its own directory outside any package); ``cwd`` as
    ``module_name`` takes it."""
    cwd = cwd or os.getcwd()
    name, is_package = module_name(path, cwd)
    return _above(module_directory(path, cwd), name.count(".") + is_package)


def module_directory(path: str, cwd: str | None = None) -> str:
    """The absolute path of the directory of the module at ``path`` (``cwd`` as
    ``module_name`` takes it)."""
    return _place(path, cwd or os.getcwd())[0]


@lru_cache(maxsize=16384)
def _place(path: str, cwd: str) -> tuple[str, str]:
    """The absolute directory of the module at ``path`` (relative to ``cwd``) and its
    file name's stem (found once a path: its name and its directory are both asked; the
    directory alone reads no directory, as a warm run, whose names are recorded, asks)."""
    parent, file = _split(path)
    return _absolute(parent, cwd), _stem(file)


@lru_cache(maxsize=4096)
def _absolute(directory: str, cwd: str) -> str:
    """The absolute, normal path of ``directory`` (relative to ``cwd``), found once a
    directory: its modules share it."""
    return os.path.normpath(os.path.join(cwd, directory))


@lru_cache(maxsize=4096)
def _above(directory: str, levels: int) -> str:
    """The directory ``levels`` levels above the absolute ``directory`` (found once a
    directory's modules: they share it)."""
    for _ in range(levels):
        directory = os.path.dirname(directory)
    return directory


def _split(path: str) -> tuple[str, str]:
    """The directory and the file name of ``path``; one spelled as a directory (a name
    given for stdin: ``a/b/``) read as ``PurePath`` reads it (``a`` and ``b``)."""
    head, separator, file = path.rpartition(os.sep)  # a few times faster than os.path.split
    parent = head + separator  # ``_absolute`` drops the separator (and makes "/" the root)
    if file in ("", "."):
        pure = PurePath(path)
        return str(pure.parent), pure.name
    return parent, file


def _stem(file: str) -> str:
    """The file name ``file`` without its last suffix, as ``PurePath.stem`` has it."""
    dot = file.rfind(".")
    return file[:dot] if 0 < dot < len(file) - 1 else file


@lru_cache(maxsize=4096)
def _within(directory: str) -> tuple[str, ...]:
    """The names of the packages and their portions the modules of the absolute
    ``directory`` are within, outermost first (found once a directory: its modules share
    them)."""
    parts: list[str] = []
    portion: list[str] = []  # directories without ``__init__.py``, named if a package holds them
    while True:
        name = os.path.basename(directory)
        if is_package_dir(directory):
            parts += [*portion, name]
            portion = []
        elif name.isidentifier():
            portion.append(name)
        else:
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return tuple(reversed(parts))


@lru_cache(maxsize=4096)
def sibling_named(start: str, top: str) -> str:
    """The top-level name of the modules named ``top`` from directory ``start`` (the one
    leading ``sys.path``): ``top``, unless another directory of its project
    (``project_directory``) bears it as near the project's directory or nearer; then
    ``start``'s path in the project and ``top`` (``scripts/a/run``; dots in directory
    names are ``_``: the name's dots part its modules)."""
    project = _project_of(start)
    if project is None:
        return top
    depth = {
        d: len(PurePath(os.path.relpath(d, project)).parts)
        for d in {start, *tops(project).get(top, ())}
    }
    nearest = min(depth.values())
    if depth[start] == nearest and list(depth.values()).count(nearest) == 1:
        return top
    place = PurePath(os.path.relpath(start, project)).parts
    return "/".join([*(part.replace(".", "_") for part in place), top])


@lru_cache(maxsize=4096)
def _project_of(start: str) -> str | None:
    """``project_directory`` of ``start``, found once a directory (every module asks)."""
    return project_directory(start)


def by_directory(name: str) -> bool:
    """Whether module ``name`` is named by its directory's path (``sibling_named``)."""
    return "/" in name.partition(".")[0]


@lru_cache(maxsize=256)
def tops(project: str) -> dict[str, list[str]]:
    """The directories of the project at ``project`` that hold modules outside any
    package, by those modules' top-level names; hidden directories, virtual environments
    and other projects left out."""
    found: dict[str, list[str]] = {}
    directories = [project]
    while directories:
        directory = directories.pop()
        note_read(directory)
        try:
            listed = entries(directory)
        except OSError:
            continue
        if "pyvenv.cfg" in listed:
            continue
        for entry in listed.values():
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False):
                if is_package_dir(entry.path):
                    found.setdefault(entry.name, []).append(directory)
                elif not _is_project(entry.path):
                    directories.append(entry.path)
            elif entry.name.endswith(".py"):
                found.setdefault(entry.name[:-3], []).append(directory)
    return found


@lru_cache(maxsize=4096)
def _named_from(start: str) -> dict[str, str]:
    """The top-level names borne by the modules and packages at directory ``start`` (one
    leading ``sys.path``), each with the name its modules have (``sibling_named``)."""
    project = _project_of(start)
    if project is None:
        return {}
    return {name: sibling_named(start, name) for name in _borne(project).get(start, ())}


@lru_cache(maxsize=256)
def _borne(project: str) -> dict[str, list[str]]:
    """``tops`` of the project at ``project`` the other way round: the top-level names of
    the modules outside any package, by the directory holding them."""
    borne: dict[str, list[str]] = {}
    for name, directories in tops(project).items():
        for directory in directories:
            borne.setdefault(directory, []).append(name)
    return borne


def project_directory(directory: str, known: dict[str, str | None] | None = None) -> str | None:
    """The nearest project directory from ``directory`` (absolute) up, or None: one that
    holds a ``pyproject.toml``, or a ``setup.py`` or ``setup.cfg`` outside a package (a
    package's ``setup.py`` is a module); ``known`` remembers the answers along the way."""
    known = {} if known is None else known
    if directory not in known:
        parent = os.path.dirname(directory)
        if _is_project(directory):
            known[directory] = directory
        else:
            known[directory] = None if parent == directory else project_directory(parent, known)
    return known[directory]


def holds_project(directory: str, top: str, known: dict[str, bool]) -> bool:
    """Whether ``directory`` or one of its parents up to ``top`` (itself or an ancestor)
    is a project directory (``project_directory``), asked from ``top`` down: below the
    first one found on a branch no directory is probed (a run over whole projects probes
    a few directories of each); ``known`` remembers the answers along the way."""
    if directory not in known:
        above = directory != top and holds_project(os.path.dirname(directory), top, known)
        known[directory] = above or _is_project(directory)
    return known[directory]


def _is_project(directory: str) -> bool:
    note_read(directory)
    if holds_file(directory, "pyproject.toml"):
        return True
    found = any(holds_file(directory, name) for name in ("setup.py", "setup.cfg"))
    return found and not is_package_dir(directory)


def beside(path: str, name: str) -> str | None:
    """The dotted name of module ``name`` (an absolute import's first part) where the
    module at ``path`` finds it before any other (``found_beside``); None: its plain name."""
    return found_beside(module_directory(path)).get(name)


def renamed_beside(path: str) -> str:
    """A digest of the names bare imports in the module at ``path`` find beside it under
    another name (``found_beside``; "" when none): what its analysis read of the layout
    outside its own name, which a module made elsewhere in its project can change."""
    return _renamed(module_directory(path))


@lru_cache(maxsize=4096)
def _renamed(directory: str) -> str:
    """``renamed_beside`` of the modules of the absolute ``directory``."""
    renamed = sorted((name, to) for name, to in found_beside(directory).items() if to != name)
    return digest(repr(renamed).encode(), size=8) if renamed else ""


@lru_cache(maxsize=4096)
def found_beside(directory: str) -> dict[str, str]:
    """The dotted name of each module a bare import in a module of the absolute
    ``directory`` finds before any other, by its first part: beside it outside a package
    (run by pytest or as a script, that directory leads ``sys.path``: ``from helpers import
    x`` in ``app/tests/test_io.py``, a namespace portion inside a package, imports
    ``app.tests.helpers``; ``from run import x`` in ``scripts/a/serve.py`` imports
    ``scripts/a/run.py``, named ``scripts/a/run`` when ``scripts/b/run.py`` is there too;
    a module before a package), else in the directory its own name starts from, when that
    directory's module is named by its directory (``sibling_named``: ``from handlers.store
    import x`` in ``examples/bot/handlers/__init__.py``)."""
    found = _named_from(_above(directory, len(_within(directory))))
    if not is_package_dir(directory):
        found = dict(found)  # the start directory's, shared by every package below it
        try:
            listed = list(entries(directory).values())
        except OSError:
            listed = []
        note_read(directory, follows=any(entry.is_symlink() for entry in listed))
        modules = {}
        for entry, package in importable(listed):
            if package:
                found[entry.name] = module_name(os.path.join(entry.path, "__init__.py"))[0]
            else:
                modules[entry.name[:-3]] = module_name(entry.path)[0]
        found.update(modules)
    return found


def importable(listed: Iterable[os.DirEntry]) -> list[tuple[os.DirEntry, bool]]:
    """The modules (``.py`` files) and packages (``is_package_dir``) among ``listed``, a
    directory's entries, each with whether it is a package; a link that loops is neither:
    nothing Python could import."""
    found = []
    for entry in listed:
        try:
            if entry.name.endswith(".py") and entry.is_file():
                found.append((entry, False))
            elif entry.is_dir() and is_package_dir(entry.path):
                found.append((entry, True))
        except OSError:
            continue
    return found
