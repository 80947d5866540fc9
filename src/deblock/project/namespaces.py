"""Which modules of a run resolve each other's names.

A run over one project, or over several none of whose top-level names (``utils``,
``tests``, ``app``) another bears, is one namespace: every module resolves names among all
of them. When two projects (``dependencies.project_of``) bear the same top-level name,
each project is a namespace of its own, so that its imports resolve to its own modules as
they do when it is checked alone: its modules first, then, under each top-level name it
does not bear but its processes may load (``processes.loaded_names``; any, for a project
that declares none), the modules another project of the run installs under it
(``processes.installs``): the nearest such project by directory, then the first by name.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Callable

from deblock.project.dependencies import project_of
from deblock.project.processes import Loads, installs

# The paths of a namespace's own modules (those it judges) and of the other projects'
# modules its names may resolve to.
Namespace = tuple[list[str], list[str]]


def namespaces(root_of: dict[str, str], loaded: Callable[[], dict[str, Loads]]) -> list[Namespace]:
    """The namespaces of a run, given the top-level name of each of its modules, by path
    (``root_of``, in order), and what gives the names each project may load (called only
    when two projects bear one name)."""
    known: dict[str, str | None] = {}
    project = {path: project_of(path, known)[0] for path in root_of}
    owners: dict[str, set[str]] = defaultdict(set)
    for path, root in root_of.items():
        owners[root].add(project[path])
    if all(len(directories) == 1 for directories in owners.values()):
        return [(list(root_of), [])]
    own: dict[str, list[str]] = defaultdict(list)
    under: dict[tuple[str, str], list[str]] = defaultdict(list)  # by top-level name, project
    for path, directory in project.items():
        own[directory].append(path)
        under[root_of[path], directory].append(path)

    @functools.cache
    def installed(root: str, other: str) -> list[str]:
        """The paths project ``other`` installs under ``root`` (asked for few names)."""
        return [path for path in under[root, other] if installs(path, other)]

    names = loaded()
    found = []
    for directory, paths in sorted(own.items()):
        bears = {root_of[path] for path in paths}
        loads = names.get(directory)  # its tests' names hold its programs'
        may_load = None if loads is None else {*loads.tests, *_roots(loads.plugged)}
        foreign = []
        for root in sorted(owners.keys() - bears):
            if may_load is not None and root not in may_load:
                continue
            others = [other for other in owners[root] if installed(root, other)]
            if others:
                foreign += installed(root, min(others, key=_distance(directory)))
        found.append((paths, foreign))
    return found


def _distance(directory: str) -> Callable[[str], tuple[int, str]]:
    """How far another project's directory lies from ``directory``: the fewer directories
    they share, the farther; then by name."""
    return lambda other: (-len(os.path.commonpath([directory, other]).split(os.sep)), other)


def _roots(modules: list[str]) -> set[str]:
    """The top-level names of dotted ``modules``."""
    return {module.partition(".")[0] for module in modules}
