"""Where installed packages live, and their distributions' versions, without importing them.

Standard library only: deblock imports it, and runs its source with the interpreter
named by ``--python`` (``python -c SOURCE ROOT...`` prints JSON), so a project's own
virtual environment can be read. ``find_spec`` of a top-level name runs no package code.
Distributions' names and versions only name cache files: a run without a cache does not
ask for them, and so never imports ``importlib.metadata`` (~10-15 ms with ``email``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys


def locate(roots: list[str], versions: bool = True) -> dict[str, dict]:
    """``{root: {"paths": [...], "dist": name, "version": version}}`` for each top-level
    module name that is installed in a site-packages directory. A package whose
    distribution is named otherwise is versioned by its directory's modification time.
    Without ``versions``, ``dist`` and ``version`` are None."""
    found = {}
    for root in roots:
        try:
            spec = importlib.util.find_spec(root)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        paths = list(spec.submodule_search_locations or [spec.origin])
        if not all(isinstance(p, str) and _installed(p) for p in paths):
            continue  # built in, frozen, or the project's own code
        if not versions:
            found[root] = {"paths": paths, "dist": None, "version": None}
        elif (dist := _distribution(root)) is None:
            version = f"mtime-{os.stat(paths[0]).st_mtime_ns}"
            found[root] = {"paths": paths, "dist": root, "version": version}
        else:
            found[root] = {"paths": paths, "dist": dist, "version": _version(dist)}
    return found


def _installed(path: str) -> bool:
    parts = os.path.normpath(path).split(os.sep)
    return "site-packages" in parts or "dist-packages" in parts


def _distribution(root: str) -> str | None:
    """The distribution named like ``root`` (``qdrant_client`` → ``qdrant-client``)."""
    import importlib.metadata

    try:
        return importlib.metadata.distribution(root).metadata["Name"]
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None


def _version(dist: str) -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":
    json.dump(locate(sys.argv[1:]), sys.stdout)
