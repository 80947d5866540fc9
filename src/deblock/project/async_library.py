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
from collections.abc import Iterable
from pathlib import Path

from deblock.analysis.test_paths import runs_under_pytest
from deblock.project.dependencies import declared, project_of

_EVIDENCE = frozenset({"anyio", "trio"})  # the dependencies that choose a project's library


def project_libraries(
    own: dict[str, str | None], only: Iterable[str] | None = None
) -> dict[str, str]:
    """The library for the fixes of every module (path → the library it commits to, or
    None), or of the modules at ``only`` (the others' projects are not weighed)."""
    known: dict[str, str | None] = {}
    asked = own if only is None else only
    projects = {path: project_of(path, known) for path in asked if own.get(path) is None}
    evidence: dict[tuple[str, bool], set[str]] = {project: set() for project in projects.values()}
    inside = tuple(os.path.join(directory, "") for directory, _ in evidence)
    for path, library in own.items():
        if library is None or not projects or not os.path.abspath(path).startswith(inside):
            continue
        project = project_of(path, known)
        if project in evidence and not runs_under_pytest(path, project[0]):
            evidence[project].add(library)
    chosen = {}
    for (directory, has_pyproject), found in evidence.items():
        if has_pyproject:
            found |= declared(Path(directory), extras=False, among=_EVIDENCE)
        chosen[directory, has_pyproject] = _library(found)
    return {
        path: own.get(path) if own.get(path) is not None else chosen[projects[path]]
        for path in asked
    }


def _library(evidence: set[str]) -> str:
    if "anyio" in evidence:
        return "anyio"
    return "trio" if "trio" in evidence and "asyncio" not in evidence else "asyncio"
