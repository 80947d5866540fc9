"""Finding the Python files to check.

Directories are walked for ``*.py`` and ``*.pyi`` files, skipping what ``.gitignore`` files
(from the repository root down) and ``exclude``/``extend-exclude`` name, and every
virtualenv (a directory with ``pyvenv.cfg``). Symlinked directories are not followed.
Files named on the command line are checked even when excluded, unless ``force-exclude``
is set (the pre-commit hook sets it: pre-commit names every file). Paths come back as the
user would type them: relative to the working directory when inside it. With a cache
directory, a walk of directories is recorded and answered from its record while nothing
it read has changed (``walk_record``). Its listings are the run's (``listings``: made
afresh by each discovery): the module names and the projects' own sources read them
from memory.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from functools import cached_property

from deblock.config import Settings
from deblock.findings import FileError
from deblock.listings import entries, forget_listings
from deblock.path_patterns import PathPatterns
from deblock.records import record
from deblock.stamped_record import ABSENT, stamp
from deblock.walk_record import WalkRecord

SUFFIXES = (".py", ".pyi")
_GLOB_CHARS = frozenset("*?[]!/\\")


@record(eq=False)
class Discovered:
    """The files to check, and the paths that could not be walked or read."""

    files: list[str] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


def display_path(path: str, cwd: str | None = None) -> str:
    """``path`` relative to the working directory when it is inside it, else absolute."""
    cwd = cwd or os.getcwd()
    absolute = path if os.path.isabs(path) else os.path.join(cwd, path)
    if absolute.startswith(cwd + os.sep) and os.sep + os.pardir not in absolute:
        return absolute[len(cwd) + 1 :]
    absolute = os.path.abspath(absolute)
    relative = os.path.relpath(absolute, cwd)
    return absolute if relative.startswith(os.pardir) else relative


class _Excludes:
    """``exclude`` patterns: plain names are compared by name, the rest as gitignore globs."""

    def __init__(self, patterns: Iterable[str], root: str):
        patterns = [p for p in patterns if p.strip()]
        self.names = {".git"} | {
            p.rstrip("/") for p in patterns if not _GLOB_CHARS & set(p.rstrip("/"))
        }
        self._globs = [p for p in patterns if _GLOB_CHARS & set(p.rstrip("/"))]
        self.root = root

    @cached_property
    def globs(self) -> PathPatterns | None:
        """The glob patterns, parsed when first needed (a file named on the command line
        needs none)."""
        return PathPatterns(self._globs) if self._globs else None

    def match(self, path: str, name: str, is_dir: bool) -> bool:
        if name in self.names:
            return True
        if self.globs is None:
            return False
        relative = _relative(path, self.root)
        return self.globs.match(relative + "/" if is_dir else relative)

    def match_with_parents(self, path: str) -> bool:
        """Whether a file, or a directory it is in, is excluded (for ``force-exclude``)."""
        relative = _relative(os.path.abspath(path), self.root)
        if not self.names.isdisjoint(relative.split("/")):
            return True
        return self.globs is not None and self.globs.match(relative)


def _relative(path: str, base: str) -> str:
    """``path`` relative to ``base`` with forward slashes (both absolute)."""
    if path.startswith(base + os.sep):
        relative = path[len(base) + 1 :]
    else:
        relative = os.path.relpath(path, base)
    return relative.replace(os.sep, "/")


def _gitignore(directory: str) -> PathPatterns | None:
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as fh:
            return PathPatterns.from_gitignore(fh)
    except OSError:
        return None


def _ancestor_gitignores(
    directory: str,
    read: Callable[[str], PathPatterns | None],
    absent: Callable[[str], None],
) -> list[tuple[str, PathPatterns]]:
    """The ``.gitignore`` files above ``directory`` (each read by ``read``), up to its git
    repository's root, unless they ignore ``directory`` itself. Outside a repository none
    applies, whatever they say: none is read, and each ``.git`` looked for is ``absent``."""
    if os.path.exists(os.path.join(directory, ".git")):
        return []
    above = []
    current = os.path.dirname(directory)
    while current != os.path.dirname(current):
        above.append(current)
        if os.path.exists(os.path.join(current, ".git")):
            break
        current = os.path.dirname(current)
    else:  # not inside a git repository: only the walked tree's .gitignore files apply
        for ancestor in above:
            absent(os.path.join(ancestor, ".git"))
        return []
    found = [(ancestor, spec) for ancestor in above if (spec := read(ancestor)) is not None]
    # A directory named on the command line is checked even when it is ignored.
    return [] if _ignored(directory, True, found) else found


def _symlink_error(path: str) -> str | None:
    """Why a symlinked file cannot be read, or None when it points to a file."""
    try:
        os.stat(path)
    except OSError as exc:
        return "symbolic link loop" if exc.errno == errno.ELOOP else "broken symbolic link"
    return None


class _Walker:
    def __init__(self, settings: Settings, found: Discovered):
        self.excludes = _Excludes((*settings.exclude, *settings.extend_exclude), str(settings.root))
        self.found = found
        self.seen: set[str] = set()
        self.cwd = os.getcwd()
        self._gitignores: dict[str, PathPatterns | None] = {}
        self.stamps: dict[str, list[int] | None] = {}  # what the walk read (its record's)
        self.recordable = True  # no symbolic link met, no stamp that failed

    def _stamp(self, path: str) -> None:
        """Note the stamp of a directory or ``.gitignore`` file before reading it."""
        if path not in self.stamps:
            try:
                self.stamps[path] = stamp(path)
            except OSError:
                self.recordable = False

    def absent(self, path: str) -> None:
        """Note that nothing is at ``path`` (a ``.git`` the walk looked for, not found)."""
        self.stamps[path] = ABSENT

    def gitignore(self, directory: str) -> PathPatterns | None:
        """The ``.gitignore`` file of ``directory``, read once per run (every path named on
        the command line shares the repository's)."""
        if directory not in self._gitignores:
            self._stamp(directory)  # whether it has one
            if os.path.lexists(path := os.path.join(directory, ".gitignore")):
                self._stamp(path)
            self._gitignores[directory] = _gitignore(directory)
        return self._gitignores[directory]

    def add(self, path: str) -> None:
        """Add a file once, however many arguments lead to it."""
        self._add_absolute(os.path.abspath(path))

    def _add_absolute(self, key: str) -> None:
        if key not in self.seen:
            self.seen.add(key)
            self.found.files.append(display_path(key, self.cwd))

    def error(self, path: str, reason: str) -> None:
        self.found.errors.append(FileError(display_path(path, self.cwd), reason))

    def walk(
        self, directory: str, gitignores: list[tuple[str, PathPatterns]], named: bool = False
    ) -> None:
        """Walk an absolute, normalised ``directory``; one named on the command line is
        walked even when it is a virtualenv."""
        self._stamp(directory)
        try:
            listed = entries(directory)  # in any order: discover sorts the files it found
        except OSError as exc:
            self.error(directory, f"cannot read directory: {exc.strerror}")
            return
        if "pyvenv.cfg" in listed and not named:  # no stat or open for absent files
            return
        if ".gitignore" in listed and (spec := self.gitignore(directory)) is not None:
            gitignores = [*gitignores, (directory, spec)]
        for entry in listed.values():
            is_dir = entry.is_dir(follow_symlinks=False)
            if not is_dir and not entry.name.endswith(SUFFIXES):
                continue
            if self.excludes.match(entry.path, entry.name, is_dir) or _ignored(
                entry.path, is_dir, gitignores
            ):
                continue
            if is_dir:
                self.walk(entry.path, gitignores)
            elif entry.is_symlink():
                self.recordable = False
                if (reason := _symlink_error(entry.path)) is not None:
                    self.error(entry.path, reason)
                elif os.path.isfile(entry.path):  # a symlinked directory is not followed
                    self._add_absolute(entry.path)
            elif entry.is_file():
                self._add_absolute(entry.path)
            else:
                self.error(entry.path, "not a regular file")


def _ignored(path: str, is_dir: bool, gitignores: list[tuple[str, PathPatterns]]) -> bool:
    for base, spec in gitignores:
        relative = _relative(path, base)
        if spec.match(relative + "/" if is_dir else relative):
            return True
    return False


def discover(
    paths: Sequence[str | os.PathLike],
    settings: Settings,
    cache_dir: str | os.PathLike | None = None,
) -> Discovered:
    """The Python files under ``paths`` that the settings do not exclude, and the paths
    that could not be walked; both sorted. With ``cache_dir``, a walk of directories only
    is recorded there, and answered from its record while nothing it read changed."""
    paths = [os.fspath(path) for path in paths]
    forget_listings()  # the file system as it is now
    record = None
    if cache_dir is not None and all(os.path.isdir(path) for path in paths):
        key = repr((settings.exclude, settings.extend_exclude, str(settings.root)))
        record = WalkRecord(cache_dir, paths, key)
        if (files := record.files()) is not None:
            return Discovered(files)
    found = Discovered()
    walker = _Walker(settings, found)
    for path in paths:
        if os.path.isdir(path):
            directory = os.path.abspath(path)
            walker._stamp(directory)  # before looking for its .git
            above = _ancestor_gitignores(directory, walker.gitignore, walker.absent)
            walker.walk(directory, above, named=True)
        elif os.path.isfile(path):
            if not (settings.force_exclude and walker.excludes.match_with_parents(path)):
                walker.add(path)
        elif os.path.islink(path):
            walker.error(path, _symlink_error(path) or "not a regular file")
        else:
            exists = os.path.exists(path)
            walker.error(path, "not a regular file" if exists else "no such file or directory")
    found.files.sort()
    found.errors.sort(key=lambda error: error.path)
    if record is not None and walker.recordable and not found.errors:
        record.save({"files": found.files}, walker.stamps)
    return found
