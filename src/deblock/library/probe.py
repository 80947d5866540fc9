"""Where installed packages live, and their distributions' versions, without importing them.

Standard library only: deblock imports it, and runs it as a script with the interpreter
named by ``--python`` (``python probe.py ROOT...`` prints JSON), so a project's own
virtual environment can be read. ``find_spec`` of a top-level name runs no package code.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import sys


def locate(roots: list[str]) -> dict[str, dict]:
    """``{root: {"paths": [...], "dist": name, "version": version}}`` for each top-level
    module name that is an installed package (or module) outside the standard library."""
    found = {}
    for root in roots:
        try:
            spec = importlib.util.find_spec(root)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        paths = list(spec.submodule_search_locations or [spec.origin])
        if paths in ([None], ["built-in"], ["frozen"]):
            continue
        dist = _distribution(root)
        if dist is None:
            dist = next(iter(_packages_distributions().get(root, ())), None)
        if dist is None:
            continue  # not installed from a distribution: the project's own code
        found[root] = {"paths": paths, "dist": dist, "version": _version(dist)}
    return found


@functools.cache
def _packages_distributions() -> dict[str, list[str]]:
    """Top-level names → distributions, read once per process (it reads every installed
    distribution's file list: ~0.15 s, and a run looks packages up many times)."""
    return importlib.metadata.packages_distributions()


def _distribution(root: str) -> str | None:
    """The distribution named like ``root`` (``qdrant_client`` → ``qdrant-client``)."""
    try:
        return importlib.metadata.distribution(root).metadata["Name"]
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":
    json.dump(locate(sys.argv[1:]), sys.stdout)
