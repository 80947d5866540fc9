"""The project's own modules a run does not hold: a run over some of a project's files
(``deblock check tests/test_io.py``) resolves ``import app`` to the project's ``src/app``, as
a run over the whole project does, not to a copy of it installed in the environment; and a
run over one file of a script directory or a package (``deblock check program.py``) reads
the siblings and the package's modules it imports, as a run over the directory does."""

from __future__ import annotations

import os
from collections.abc import Iterable

from deblock.analysis.modules import (
    importable,
    module_directory,
    note_read,
    project_directory,
    sibling_named,
    start_directory,
    tops,
)
from deblock.discovery import display_path
from deblock.listings import entries, is_directory


def own_sources(paths: Iterable[str], roots: set[str]) -> list[str]:
    """The module files (as the run shows paths, ``display_path``) that the run does not
    hold, sorted: those at the directories leading ``sys.path`` for the modules at
    ``paths`` (``start_directory``: a script's siblings, its package's modules), and the
    packages that their projects (``project_directory``) hold where an install takes them
    from (the project's directory or its ``src``), under a name that is none of ``roots``
    (the run's top-level names) and that is theirs alone (``sibling_named``). Packages
    elsewhere in a project (examples, vendored copies, a test's ``site-packages``) stand
    for no installed one."""
    paths, cwd = list(paths), os.getcwd()
    starts = {start_directory(path, cwd) for path in paths}
    found = [f for start in sorted(starts) for f in _started(start)]
    known: dict[str, str | None] = {}
    directories = {module_directory(path, cwd) for path in paths}
    projects = {project_directory(directory, known) for directory in directories} - {None}
    for project in sorted(projects):
        for top, bearing in tops(project).items():
            if top in roots:
                continue
            for start in bearing:
                if start not in (project, os.path.join(project, "src")) or start in starts:
                    continue
                package = os.path.join(start, top)
                note_read(start, follows=os.path.islink(package))  # isdir follows it
                if os.path.isdir(package) and sibling_named(start, top) == top:
                    found += _module_files(package)
    held = {display_path(path, cwd) for path in paths}
    return sorted({display_path(path, cwd) for path in found} - held)


def _started(start: str) -> list[str]:
    """The module files importable from ``start`` (leading ``sys.path``): its own
    modules, and its packages' (``is_package_dir``)."""
    note_read(start, follows=True)
    try:
        listed = entries(start)
    except OSError:
        return []
    found = []
    for entry, package in importable(listed.values()):
        found += _module_files(entry.path) if package else [entry.path]
    return found


def _module_files(package: str) -> list[str]:
    """The ``.py`` files of the package at ``package``, its subpackages' too (as
    ``os.walk`` finds them: no hidden directory, no link to one followed); a directory
    that cannot be listed counts as read: whatever makes it readable changes its stamp."""
    found = []
    directories = [package]
    while directories:
        directory = directories.pop()
        note_read(directory, follows=True)
        try:
            listed = entries(directory)
        except OSError:
            continue
        for entry in listed.values():
            if not is_directory(entry):
                if entry.name.endswith(".py"):
                    found.append(entry.path)
            elif not entry.name.startswith(".") and not entry.is_symlink():
                directories.append(entry.path)
    return found
