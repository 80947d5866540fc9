"""The files a directory walk found, kept between runs while nothing it read has changed.

A walk's result depends only on the names in the directories it listed, on the
``.gitignore`` files it read, and on the settings and paths it was given: the record
(``stamped_record``) keeps the stamp of every directory and ``.gitignore`` file the walk
consulted, so that a later run with every stamp the same lists no directory, reads no
``.gitignore`` and parses no pattern. The files' own contents are not covered here: the
check cache stats every file. A walk that met symbolic links (their targets can change
without any stamp changing) or could not read something is not recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from deblock.stamped_record import StampedRecord


class WalkRecord(StampedRecord):
    """The recorded walk of ``paths`` (all directories) under given exclusion settings,
    in ``<cache dir>/<version>/walks/<key>.json``."""

    def __init__(self, cache_dir: str | Path, paths: Sequence[str], settings_key: str):
        super().__init__(cache_dir, "walks", [list(paths), settings_key])

    def files(self) -> list[str] | None:
        """The files of the recorded walk when every stamp is unchanged, else None (also
        when the record is missing or damaged)."""
        files = (self.read() or {}).get("files")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            return None
        return files
