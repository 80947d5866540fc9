"""The project's own packages a run does not hold: a run over some of a project's files
(``deblock check tests/test_io.py``) resolves ``import app`` to the project's ``src/app``, as
a run over the whole project does, not to a copy of it installed in the environment."""

from __future__ import annotations

import os
from collections.abc import Iterable

from deblock.analysis.modules import (
    module_directory,
    note_read,
    project_directory,
    sibling_named,
    tops,
)
from deblock.discovery import display_path


def own_sources(paths: Iterable[str], roots: set[str]) -> list[str]:
    """The module files (as the run shows paths, ``display_path``) of the packages that
    the projects (``project_directory``) of the modules at ``paths`` hold where an install
    takes them from (the project's directory or its ``src``), under a name that is none of
    ``roots`` (the run's top-level names) and that is theirs alone (``sibling_named``),
    sorted. Packages elsewhere in a project (examples, vendored copies, a test's
    ``site-packages``) stand for no installed one."""
    directories = {module_directory(path) for path in paths}
    known: dict[str, str | None] = {}
    projects = {project_directory(directory, known) for directory in directories} - {None}
    found = []
    for project in sorted(projects):
        for top, starts in tops(project).items():
            if top in roots:
                continue
            for start in starts:
                if start not in (project, os.path.join(project, "src")):
                    continue
                package = os.path.join(start, top)
                note_read(start, follows=os.path.islink(package))  # isdir follows it
                if os.path.isdir(package) and sibling_named(start, top) == top:
                    found += _module_files(package)
    return sorted(display_path(path) for path in found)


def _module_files(package: str) -> list[str]:
    """The ``.py`` files of the package at ``package``, its subpackages' too."""
    found = []
    for directory, subdirectories, files in os.walk(package, onerror=_unlisted):
        note_read(directory, follows=True)
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        found += [os.path.join(directory, f) for f in files if f.endswith(".py")]
    return found


def _unlisted(error: OSError) -> None:
    """A directory of a package that could not be listed counts as read: whatever makes
    it readable changes its stamp."""
    if error.filename is not None:
        note_read(os.fspath(error.filename), follows=True)
