"""A record an earlier run made, trusted while nothing it was made from has changed.

What a run reads from directories (their entries) and small files changes their stamp
(inode, size, modification and change times): adding, removing or renaming an entry
changes its directory's modification time, editing a file its own. A record keeps the
stamp of everything it was made from and answers a later run only when every stamp is the
same. It is not kept when a stamp is too recent: an entry added within the same tick of
the file system's clock would leave it unchanged.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from deblock import __version__
from deblock.cache import digest
from deblock.json_files import modified, remove, write_json

# Stamps newer than this, when the run starts, may not change again on the next edit
# (coarse file-system clocks: up to 2 s on FAT): such a record is not kept.
RECENT_NS = 2_000_000_000
KEPT = 8  # records of one kind kept, the last saved (each set of paths checked makes one)
ABSENT = None  # the stamp of a path nothing was at (``os.path.exists``): it must stay so


def stamp(path: str) -> list[int]:
    """What changes when ``path`` (a directory or a file) is changed: raises ``OSError``."""
    st = os.stat(path)
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class StampedRecord:
    """The record of one kind (a folder of ``<cache dir>/<version>``) for a run whose
    inputs ``keyed`` describes (with the working directory), made from then on."""

    def __init__(self, cache_dir: str | Path, kind: str, keyed: Sequence):
        key = digest(json.dumps([os.getcwd(), *keyed]).encode())
        self.file = Path(cache_dir, __version__, kind, f"{key}.json")
        self.started = time.time_ns()

    def read(self) -> dict | None:
        """The recorded value when every stamp is unchanged, else None (also when the
        record is missing or damaged)."""
        try:
            data = json.loads(self.file.read_bytes())
            if not all(_unchanged(path, known) for path, known in data["stamps"].items()):
                return None
            value = data["value"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return value if isinstance(value, dict) else None

    def save(self, value: dict, stamps: dict[str, list[int] | None]) -> None:
        """Record ``value``, made reading what ``stamps`` describe, unless a stamp is too
        recent to be trusted."""
        if any(s is not ABSENT and s[2] > self.started - RECENT_NS for s in stamps.values()):
            return
        write_json(self.file, {"value": value, "stamps": stamps})
        for stale in sorted(self.file.parent.glob("*.json"), key=modified)[:-KEPT]:
            if stale != self.file:
                remove(stale)


def _unchanged(path: str, known: list[int] | None) -> bool:
    """Whether ``path`` has the stamp ``known`` (raises ``OSError``), or is still absent."""
    return not os.path.exists(path) if known is ABSENT else stamp(path) == known
