"""The modules that may call into the files of a run over some of a project's files (a
pre-commit hook's): the run judges its files with them, as the run over the whole project
does (a coroutine elsewhere that awaits the file's between a read and a write of shared
state declines its fix), and reports its files alone; and the project's other modules, which
the run takes in too when its files' fixes move calls on a shared resource (the file system,
a database) that any module may touch on the event loop (``shared_io``)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from deblock.analysis.modules import holds_project, module_directory, project_directory
from deblock.config import Settings
from deblock.discovery import discover, display_path
from deblock.project.importer_record import ImporterRecord


class Reach(NamedTuple):
    """What a run over some of a project's files may take in besides them (display paths,
    sorted): the modules that may call into them (``importers``), and the rest of the
    modules the run over their projects would check."""

    callers: list[str]
    rest: list[str]


def importers(
    paths: Sequence[str | os.PathLike],
    files: Sequence[str],
    settings: Settings,
    cache_dir: str | Path | None,
) -> Reach:
    """The module files outside ``files`` that the run over the projects of ``files``
    (``project_directory`` of their directories, wherever in them the run starts) would
    check, whose text names one of ``files``' modules or, in turn, of the modules found
    so: the last part of its dotted name, a package's by its ``__init__.py``, which every
    import of it holds (``import app.counter``, ``from app import counter``, ``from
    ..counter import settle``; a re-export is found as its package's importer). Exact or
    over-inclusive: an importer is never missed; and the other modules of those projects.
    A project that the run's ``paths`` hold whole adds none; a file of no project, none (a
    bare directory: nothing bounds what may import it; it is judged with what it reaches,
    as a directory that may be a home or a temporary one is not read whole)."""
    cwd = os.getcwd()
    given = [os.path.abspath(path) for path in paths]
    directories = {module_directory(path, cwd) for path in files}
    roots = _outside(directories, given)
    partial = sorted(root for root in roots if not any(_within(root, g) for g in given))
    if not partial:
        return Reach([], [])
    held = set(files)
    listed = discover([display_path(root, cwd) for root in partial], settings, cache_dir)
    record = ImporterRecord(cache_dir, files, [p for p in listed.files if p not in held])
    found = record.found()
    if found is None:
        found = _named(files, {path: _text(path) for path in record.others})
        record.save(found)
    rest = set(listed.files) - held - set(found)
    return Reach(sorted(found), sorted(rest))


def _outside(directories: set[str], given: list[str]) -> set[str]:
    """The project directories (``project_directory``) of the modules of ``directories``
    (absolute) that may lie outside the run's ``given`` paths: of a directory under the
    outermost given one holding it, none when a project directory lies between them
    (``holds_project``), else the one above that given directory; of the others, theirs."""
    known: dict[str, str | None] = {}
    held: dict[str, bool] = {}
    roots = set()
    for directory in directories:
        top = min((g for g in given if _within(directory, g)), key=len, default=None)
        if top is None:
            roots.add(project_directory(directory, known))
        elif not holds_project(directory, top, held):
            roots.add(project_directory(os.path.dirname(top), known))
    return roots - {None}


def _named(files: Sequence[str], texts: dict[str, bytes]) -> list[str]:
    """The paths of ``texts`` that name one of ``files``' modules or, in turn, of the
    modules found so (``importers``)."""
    found: list[str] = []
    names, searched = {_last(path) for path in files}, set()
    while names and texts:
        searched |= names
        spelled = [name.encode() for name in sorted(names)]
        named = re.compile(
            rb"(?<![A-Za-z0-9_])(?:%s)(?![A-Za-z0-9_])" % b"|".join(map(re.escape, spelled))
        )
        hits = [  # the substring test first: a few times faster than the pattern alone
            path
            for path, text in texts.items()
            if any(name in text for name in spelled) and named.search(text)
        ]
        for path in hits:
            del texts[path]
        found += hits
        names = {_last(path) for path in hits} - searched
    return found


def _within(path: str, directory: str) -> bool:
    """Whether the absolute ``path`` is ``directory`` or under it."""
    return path == directory or path.startswith(directory + os.sep)


def _last(path: str) -> str:
    """The last part of the dotted name of the module at ``path``: its file's stem, its
    directory's name for a package's ``__init__.py`` (found without reading a directory)."""
    directory, file = os.path.split(os.path.abspath(path))
    stem = file.rpartition(".")[0] or file
    return os.path.basename(directory) if stem == "__init__" else stem


def _text(path: str) -> bytes:
    """The bytes of the file at ``path`` (none when it cannot be read: nor can the run
    over its project analyse it)."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b""
