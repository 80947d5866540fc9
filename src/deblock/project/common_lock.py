"""One lock for the sections of several modules of one package.

A module's sections run under its own lock, so the fixes of two modules moving calls on
one resource into threads (one of them writing it) would not serialise each other. When
nothing else stands in the way (no call on it left on the event loop, no thread helper an
earlier fix made but under this same lock), every call on it that would move is in a
section, and all the modules are of one package, their sections take one lock instead:
``lock`` in a module of the package's own (``pkg/_deblock_lock.py``, importing nothing but
``threading``) that ``deblock fix`` writes, unless a file of that name that is not
deblock's is there.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from deblock.analysis.modules import module_name
from deblock.findings import Finding
from deblock.rules.resources import LOCK_MODULE, LOCK_NAME

LOCK_TEXT = f'''"""The lock deblock's fixes share across this package's modules: the statements
of their coroutines that must stay atomic run in worker threads under it, one at a time,
as they ran on the event loop. Written by `deblock fix`."""

import threading

{LOCK_NAME} = threading.Lock()
'''


def package_of(path: str) -> tuple[str, str] | None:
    """The top-level package holding the module at ``path`` (through the directories
    without ``__init__.py`` a package holds, namespace portions: ``modules.module_name``):
    its name and directory (relative when ``path`` is)."""
    name, is_package = module_name(path)
    levels = name.count(".") + is_package
    top = name.partition(".")[0]
    if not levels or not top.isidentifier():
        return None
    directory = os.path.join(PurePath(os.path.abspath(path)).parents[levels], top)
    return top, directory if os.path.isabs(path) else os.path.relpath(directory)


def lock_file(path: str) -> str:
    """The file of the lock module of the package holding the module at ``path``."""
    return os.path.join(package_of(path)[1], f"{LOCK_MODULE}.py")


def lock_is_ours(file: str) -> bool:
    """Whether ``file`` is absent or the lock module ``deblock fix`` writes."""
    try:
        with open(file, encoding="utf-8") as fh:
            return fh.read() == LOCK_TEXT
    except FileNotFoundError:
        return True
    except (OSError, UnicodeDecodeError):
        return False


def common_locks(
    shared: dict[str, dict[str, str]],
    waits: dict[str, dict[str, tuple[set[str], set[str]]]],
    moving: dict[str, list[Finding]],
    held: frozenset[str] = frozenset(),
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """``shared`` (per path, the resources whose fixes are declined, with the reason)
    without the modules that share a lock instead, and the lock of each of those.
    ``waits``: per path and resource, the other modules whose fixes on it it would wait for
    and those whose thread helpers on it already hold their package's lock (absent when
    something else stands in the way); ``moving``: by resource, the findings whose fixes
    move calls on it into threads; ``held``: paths that keep such calls on the loop."""
    joining: dict[str, tuple[tuple[str, str], set[str]]] = {}
    for path, resources in shared.items():
        package = package_of(path)
        waiting = [waits[path].get(resource) for resource in resources]
        if path in held or package is None or None in waiting:
            continue
        sectioned = all(
            f.section and f.strategy == "thread-section"
            for resource in resources
            for f in moving[resource]
            if f.path == path
        )
        locked = set().union(*(helpers for _, helpers in waiting))
        if (
            sectioned
            and lock_is_ours(lock_file(path))
            and all(package_of(other) == package for other in locked)
        ):
            joining[path] = (package, set().union(*(movers for movers, _ in waiting)))
    # a module joins only when every module whose threads it would wait for joins too
    left = True
    while left:
        left = [
            path
            for path, (package, others) in joining.items()
            if any(other not in joining or joining[other][0] != package for other in others)
        ]
        for path in left:
            del joining[path]
    locks = {path: f"{package[0]}.{LOCK_MODULE}" for path, (package, _) in joining.items()}
    return {p: r for p, r in shared.items() if p not in locks}, locks


def with_lock(findings: list[Finding], lock: str) -> list[Finding]:
    """``findings`` of one module, its sections' fixes taking the package's ``lock`` (an
    ``unshared`` section takes none)."""
    return [f._replace(lock=lock) if f.section and not f.unshared else f for f in findings]
