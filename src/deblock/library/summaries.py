"""Installed libraries' modules, summarised on demand and cached per package version."""

from __future__ import annotations

import json
import os
from pathlib import Path

from deblock import __version__
from deblock.analysis.summary import ModuleSummary
from deblock.cache import FORMAT, write_json
from deblock.library.packages import Package, environment_stamp, locate
from deblock.source import SourceError, decode_source


class Libraries:
    """The summaries of installed packages' modules, by module name.

    Packages are found in this interpreter's environment or ``python``'s, without
    importing them; each module is summarised (classes and names only) the first time a
    name inside it is looked up, and kept in ``cache_dir`` per package version.
    """

    def __init__(self, python: str | None = None, cache_dir: str | Path | None = None):
        self.python = python
        self.directory = None if cache_dir is None else Path(cache_dir) / __version__ / "libraries"
        self.packages: dict[str, Package | None] = {}
        self._cached: dict[str, dict[str, dict | None]] = {}  # by root: module → summary
        self._changed: set[str] = set()
        self._summaries: dict[str, ModuleSummary | None] = {}

    def locate(self, roots, own=()) -> None:
        """Find the packages among top-level names ``roots`` (one probe for all); ``own``
        are the project's, never looked for."""
        self.packages.update(dict.fromkeys(own))
        wanted = sorted({r for r in roots if r not in self.packages})
        found = locate(wanted, self.python) if wanted else {}
        for root in wanted:
            self.packages[root] = found.get(root)

    def package(self, module: str) -> Package | None:
        """The installed package ``module`` lies in."""
        root = module.partition(".")[0]
        if root not in self.packages:
            self.locate([root])
        return self.packages[root]

    def is_module(self, name: str) -> bool:
        """Whether ``name`` is a module of an installed package."""
        package = self.package(name)
        return package is not None and package.module_file(name) is not None

    def summary(self, module: str) -> ModuleSummary | None:
        """The summary of library module ``module``, or None (no such module, or unreadable)."""
        if module in self._summaries:
            return self._summaries[module]
        package = self.package(module)
        summary = None if package is None else self._summarised(package, module)
        self._summaries[module] = summary
        return summary

    def _summarised(self, package: Package, module: str) -> ModuleSummary | None:
        cached = self._cache_of(package)
        if module not in cached:
            path = package.module_file(module)
            summary = None if path is None else _summarise(path, module)
            cached[module] = None if summary is None else summary.to_dict()
            self._changed.add(package.root)
        data = cached[module]
        return None if data is None else ModuleSummary.from_dict(data)

    def _cache_of(self, package: Package) -> dict[str, dict | None]:
        cached = self._cached.get(package.root)
        if cached is None:
            cached = self._cached[package.root] = _read(self._file(package))
        return cached

    def _file(self, package: Package) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{package.dist}-{package.version}-{package.root}-{FORMAT}.json"

    def stamp(self) -> str:
        """Changes when the environment's installed packages change."""
        return environment_stamp(self.python)

    def save(self) -> None:
        """Write the summaries made in this run to the cache (failing to is not an error)."""
        for root in self._changed:
            target = self._file(self.packages[root])
            if target is not None:
                write_json(target, self._cached[root])
        self._changed.clear()


def _summarise(path: str, module: str) -> ModuleSummary | None:
    from deblock.analysis.checker import summarise_classes  # the analyzer: only when needed

    try:
        with open(path, "rb") as fh:
            return summarise_classes(decode_source(fh.read()), path, module)
    except (OSError, SourceError, SyntaxError, ValueError, RecursionError):
        return None


def _read(target: Path | None) -> dict[str, dict | None]:
    if target is None or not os.path.isfile(target):
        return {}
    try:
        data = json.loads(target.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
