"""The files a directory walk found, kept between runs while nothing it read has changed.

A walk's result depends only on the names in the directories it listed, on the
``.gitignore`` files it read, and on the settings and paths it was given. Adding, removing
or renaming an entry changes its directory's modification time, and editing a file changes
its own, so the record keeps a stamp (inode, size, modification and change times) of every
directory and ``.gitignore`` file the walk consulted, and answers a later run only when
every stamp is the same: that run lists no directory, reads no ``.gitignore`` and parses
no pattern. The files' own contents are not covered here: the check cache stats every file.

A walk is not recorded when a stamp is too recent (an entry added within the same tick of
the file system's clock would leave it unchanged), when it met symbolic links (their
targets can change without any stamp changing) or when something could not be read.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from deblock import __version__
from deblock.cache import digest
from deblock.json_files import write_json

# Stamps newer than this, when the walk starts, may not change again on the next edit
# (coarse file-system clocks: up to 2 s on FAT): such a walk is not recorded.
RECENT_NS = 2_000_000_000


def stamp(path: str) -> list[int]:
    """What changes when ``path`` (a directory or a file) is changed: raises ``OSError``."""
    st = os.stat(path)
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class WalkRecord:
    """The recorded walk of ``paths`` (all directories) under given exclusion settings,
    in ``<cache dir>/<version>/walks/<key>.json``."""

    def __init__(self, cache_dir: str | Path, paths: Sequence[str], settings_key: str):
        key = digest(json.dumps([os.getcwd(), list(paths), settings_key]).encode())
        self.file = Path(cache_dir, __version__, "walks", f"{key}.json")
        self.started = time.time_ns()

    def files(self) -> list[str] | None:
        """The files of the recorded walk when every stamp is unchanged, else None (also
        when the record is missing or damaged)."""
        try:
            data = json.loads(self.file.read_bytes())
            for path, known in data["stamps"].items():
                if stamp(path) != known:
                    return None
            files = data["files"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            return None
        return files

    def save(self, files: list[str], stamps: dict[str, list[int]]) -> None:
        """Record a walk that found ``files`` reading what ``stamps`` describe, unless a
        stamp is too recent to be trusted."""
        if any(s[2] > self.started - RECENT_NS for s in stamps.values()):
            return
        write_json(self.file, {"files": files, "stamps": stamps})
