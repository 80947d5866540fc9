"""Installed libraries' modules, summarised on demand and cached per package version.

Where the packages are is cached too, for as long as the environment is unchanged, so a
run with a cache asks the interpreter nothing (the probe finds packages with
``importlib.util``; their distributions, with ``importlib.metadata``, name cache files).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from deblock import __version__
from deblock.cache import FORMAT
from deblock.json_files import write_json
from deblock.library.packages import Package, environment_stamp, locate
from deblock.source import SourceError, decode_source

if TYPE_CHECKING:  # imported when a summary is read: a warm run reads none
    from deblock.analysis.summary import ModuleSummary


class Libraries:
    """The summaries of installed packages' modules, by module name.

    Packages are found in this interpreter's environment or ``python``'s, without
    importing them; each module is summarised (classes and names only) the first time a
    name inside it is looked up, and kept in ``cache_dir`` per package version; the
    packages' locations are kept there while the environment (``stamp``) is unchanged.
    """

    def __init__(self, python: str | None = None, cache_dir: str | Path | None = None):
        self.python = python
        self.directory = None if cache_dir is None else Path(cache_dir) / __version__ / "libraries"
        self.packages: dict[str, Package | None] = {}
        self._cached: dict[str, dict[str, dict | None]] = {}  # by root: module → summary
        self._changed: set[str] = set()
        self._summaries: dict[str, ModuleSummary | None] = {}
        self._modules: dict[str, bool] = {}  # is_module's answers: a run's packages stay put
        self._stamp: str | None = None
        self._located: dict[str, Package | None] | None = None  # by root, this environment's
        self._located_changed = False

    def locate(self, roots, own=()) -> None:
        """Find the packages among top-level names ``roots`` (one probe for all); ``own``
        are the project's, never looked for."""
        self.packages.update(dict.fromkeys(own))
        wanted = sorted({r for r in roots if r not in self.packages})
        known = self._known_locations()
        missing = [r for r in wanted if r not in known]
        if missing:
            found = locate(missing, self.python, versions=self.directory is not None)
            known.update({root: found.get(root) for root in missing})
            self._located_changed = True
        for root in wanted:
            self.packages[root] = known[root]

    def package(self, module: str) -> Package | None:
        """The installed package ``module`` lies in."""
        root = module.partition(".")[0]
        if root not in self.packages:
            self.locate([root])
        return self.packages[root]

    def is_module(self, name: str) -> bool:
        """Whether ``name`` is a module of an installed package (the file system asked once
        a name: the index asks again for each name it normalises, ~3 ``stat`` calls each)."""
        known = self._modules.get(name)
        if known is None:
            package = self.package(name)
            known = package is not None and package.module_file(name) is not None
            self._modules[name] = known
        return known

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
        if data is None:
            return None
        from deblock.analysis.summary import ModuleSummary

        return ModuleSummary.from_dict(data)

    def _cache_of(self, package: Package) -> dict[str, dict | None]:
        cached = self._cached.get(package.root)
        if cached is None:
            cached = self._cached[package.root] = _read(self._file(package))
        return cached

    def _file(self, package: Package) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{package.dist}-{package.version}-{package.root}-{FORMAT}.json"

    def _known_locations(self) -> dict[str, Package | None]:
        """The roots located before in this environment (from the cache), by root."""
        if self._located is None:
            self._located = {}
            data = _read(self._locations_file())
            if data.get("environment") == self._environment():
                try:
                    self._located = {
                        root: None if info is None else Package(root, *info[:2], tuple(info[2]))
                        for root, info in data["roots"].items()
                    }
                except (AttributeError, KeyError, TypeError, ValueError):
                    pass
        return self._located

    def _locations_file(self) -> Path | None:
        return None if self.directory is None else self.directory / f"located-{FORMAT}.json"

    def _environment(self) -> str:
        """The environment's stamp and the working directory (``--python`` runs the probe
        in it, where a module of the working directory hides an installed one)."""
        return f"{self.stamp()}\0{os.getcwd()}"

    def stamp(self) -> str:
        """Changes when the environment's installed packages change."""
        if self._stamp is None:
            self._stamp = environment_stamp(self.python)
        return self._stamp

    def learned(self) -> tuple[dict, dict]:
        """What ``save`` would write that this process found since it was last asked (the
        summaries of each package changed, the packages located), for ``absorb`` here or
        in another process; nothing without a cache."""
        if self.directory is None:
            return {}, {}
        changed = {root: (self.packages[root], self._cached[root]) for root in self._changed}
        located = dict(self._located or {}) if self._located_changed else {}
        self._changed, self._located_changed = set(), False
        return changed, located

    def absorb(self, learned: tuple[dict, dict]) -> None:
        """Take in what this process or another ``learned``, for ``save`` to write."""
        changed, located = learned
        for root, (package, summaries) in changed.items():
            self.packages.setdefault(root, package)
            self._cached.setdefault(root, {}).update(summaries)
            self._changed.add(root)
        if located:
            self._known_locations().update(located)
            self._located_changed = True

    def save(self) -> None:
        """Write the summaries made in this run to the cache (failing to is not an error)."""
        for root in self._changed:
            target = self._file(self.packages[root])
            if target is not None:
                write_json(target, self._cached[root])
        self._changed.clear()
        target = self._locations_file()
        if self._located_changed and target is not None:
            roots = {
                root: None if p is None else [p.dist, p.version, list(p.paths)]
                for root, p in (self._located or {}).items()
            }
            write_json(target, {"environment": self._environment(), "roots": roots})
            self._located_changed = False


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
