"""The module names of a run's paths and its projects' own sources, kept between runs
while no directory they were found from has changed.

A module's name follows the packages around it (``modules.module_name``): which
directories above it hold an ``__init__.py``, where its project's ``pyproject.toml`` is,
which top-level names its project's directories bear; a project's own sources
(``own_sources``) are the modules of some of those packages. All of it is read from
directories' entries, noted as the names are found (``modules.layout_read``): the record
keeps their stamps (``stamped_record``), so that a warm run of an unchanged tree names no
path. Names found where a probed file (``modules.PROBED``) is a symbolic link, or from a
listing whose entries' kinds were read through links, are not recorded: a link's target
can change without any stamp changing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from deblock.analysis.modules import PROBED, layout_read, module_name, renamed_beside
from deblock.cache import FORMAT
from deblock.listings import entries
from deblock.project.own_sources import own_sources
from deblock.stamped_record import StampedRecord, stamp


class RunLayout:
    """The module names of a run's ``paths`` (sorted), its projects' own sources and what
    their bare imports find beside them (``renamed_beside``): from the record in
    ``cache_dir`` while it holds, else found from the file system as it is since the run
    forgot the layout an earlier run in its process found (``forget_layout``, before its
    discovery: the names read discovery's listings), and recorded."""

    def __init__(self, paths: Sequence[str], cache_dir: str | Path | None):
        self.paths = list(paths)
        self._record = None
        if cache_dir is not None:
            self._record = StampedRecord(cache_dir, "layouts", [FORMAT, self.paths])
        self._recalled: tuple[dict[str, str], list[str]] | None = None
        self._besides: dict[str, str] = {}  # recalled: the paths with one; else found
        self._asked = False

    def name(self, path: str) -> str:
        """The dotted name of the module at ``path``, one of the run's paths."""
        recalled = self._recall()
        return recalled[0][path] if recalled else module_name(path)[0]

    def beside(self, path: str) -> str:
        """``renamed_beside`` of the module at ``path``, one of the run's paths or sources."""
        if self._recall():
            return self._besides.get(path, "")
        if path not in self._besides:
            self._besides[path] = renamed_beside(path)
        return self._besides[path]

    def names_and_sources(self) -> tuple[dict[str, str], list[str]]:
        """Every path's module name, and the projects' own sources (``own_sources``)."""
        recalled = self._recall()
        if recalled:
            return recalled
        cwd = os.getcwd()
        names = {path: module_name(path, cwd)[0] for path in self.paths}
        sources = own_sources(self.paths, {name.partition(".")[0] for name in names.values()})
        if self._record is not None:  # what the imports find read before the stamps
            besides = {p: key for p in (*self.paths, *sources) if (key := self.beside(p))}
            if (stamps := _stamps(layout_read())) is not None:
                value = {"names": [names[p] for p in self.paths], "sources": sources}
                self._record.save({**value, "besides": besides}, stamps)
        return names, sources

    def _recall(self) -> tuple[dict[str, str], list[str]] | None:
        """The recorded names and sources (and ``besides``), read once, when the record
        holds."""
        if not self._asked and self._record is not None:
            self._asked = True
            value = self._record.read()
            try:
                names, sources, besides = value["names"], value["sources"], value["besides"]
                if len(names) == len(self.paths) and _strings(names) and _strings(sources):
                    if isinstance(besides, dict) and _strings(list(besides.values())):
                        self._besides = besides
                        self._recalled = dict(zip(self.paths, names, strict=True)), sources
            except (TypeError, KeyError):
                pass
        return self._recalled


def _stamps(read: dict[str, bool]) -> dict[str, list[int]] | None:
    """The stamps of the directories ``read`` (``layout_read``); None when one cannot be
    stamped or a link decides what was read there."""
    stamps = {}
    try:
        for directory, follows in read.items():
            stamps[directory] = stamp(directory)
            if follows and _links(directory):
                return None
            if any(os.path.islink(os.path.join(directory, name)) for name in PROBED):
                return None
    except OSError:
        return None
    return stamps


def _links(directory: str) -> bool:
    """Whether ``directory`` holds a symbolic link (in the run's listing of it)."""
    return any(entry.is_symlink() for entry in entries(directory).values())


def _strings(value: object) -> bool:
    """Whether ``value`` is a list of strings."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
