"""The async library each module's fixes use: the module's own, else its project's.

A module that commits to no library (``deblock.analysis.async_library``) runs under
whatever its project runs on, so its fixes take the project's library. A module's
project is the directory of the nearest ``pyproject.toml`` above it, else the directory
its dotted name starts from. A project uses anyio when anyio is in evidence (its bridge
works under asyncio and trio alike), trio when trio is and none of its modules commits to
asyncio, else asyncio. Evidence is a module of the run in the project, other than a test
(``test_*.py``, ``*_test.py``, ``conftest.py`` or under a ``tests``/``test`` directory),
that commits to the library, or the library among the project's runtime dependencies
(``[project] dependencies``, Poetry's dependencies, ``requirements.txt``; not extras).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from deblock.analysis.modules import module_name
from deblock.project.dependencies import declared, project_directory

_TEST_DIRECTORIES = frozenset({"tests", "test"})


def project_libraries(own: dict[str, str | None]) -> dict[str, str]:
    """The library for the fixes of every module (path → the library it commits to, or
    None)."""
    known: dict[str, str | None] = {}
    projects = {path: _project(path, known) for path, library in own.items() if library is None}
    evidence: dict[tuple[str, bool], set[str]] = {project: set() for project in projects.values()}
    for path, library in own.items():
        project = _project(path, known) if library is not None and projects else None
        if project in evidence and not _is_test(path, project[0]):
            evidence[project].add(library)
    chosen = {}
    for (directory, has_pyproject), found in evidence.items():
        if has_pyproject:
            found |= declared(Path(directory), extras=False) & {"anyio", "trio"}
        chosen[directory, has_pyproject] = _library(found)
    return {
        path: library if library is not None else chosen[projects[path]]
        for path, library in own.items()
    }


def _library(evidence: set[str]) -> str:
    if "anyio" in evidence:
        return "anyio"
    return "trio" if "trio" in evidence and "asyncio" not in evidence else "asyncio"


def _project(path: str, known: dict[str, str | None]) -> tuple[str, bool]:
    """The project's directory, and whether it is a ``pyproject.toml``'s."""
    absolute = os.path.abspath(path)
    directory = project_directory(os.path.dirname(absolute), known)
    if directory is not None:
        return directory, True
    name, is_package = module_name(path)
    levels = name.count(".") + is_package  # the directories of its packages
    return str(PurePath(absolute).parents[levels]), False


def _is_test(path: str, directory: str) -> bool:
    """Whether the module at ``path`` is a test of the project at ``directory``."""
    parts = PurePath(os.path.relpath(os.path.abspath(path), directory)).parts
    name = parts[-1]
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or not _TEST_DIRECTORIES.isdisjoint(parts[:-1])
    )
