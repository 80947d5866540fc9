"""Module summaries kept by content digest: one JSON object, and a log of later additions.

The store is large (~25 MB of JSON on the bench corpus: ~0.4 s to read, as long to write).
A run that only adds summaries and never reads them (a pre-commit run over a few edited
files) appends them to the log, one JSON line each, without touching the object. A run that
reads them (the project-wide pass of a run where modules changed) reads both, and writes
them back as one object, without the summaries no cached file has any more, when it added
some or found a log; so does a run that finds nothing stored yet (the first), or whose
appending made the log larger than the object (and than 1 MB): the log never outgrows it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

LOG_LIMIT = 1 << 20  # bytes of log always allowed (a small store would be rewritten often)


class SummaryStore:
    """The summaries in ``file`` and its log (``file`` + ``-log``), loaded on demand."""

    def __init__(self, file: Path):
        self.file = file
        self.log = file.with_name(file.name + "-log")
        self._loaded: dict[str, dict] | None = None
        self._logged = False  # the log had entries when loaded
        self._added: dict[str, dict] = {}

    def get(self, key: str) -> dict | None:
        """The summary stored for content digest ``key``."""
        added = self._added.get(key)
        return added if added is not None else self._all().get(key)

    def add(self, key: str, summary: dict) -> None:
        """Remember the summary of the module whose content digest is ``key``."""
        self._added[key] = summary

    def save(self, live: Callable[[], set[str]], write: Callable[[Path, object], None]) -> None:
        """Append this run's summaries to the log, or, when the store was read, ``write``
        it whole with only the ``live`` digests' summaries and drop the log."""
        if self._loaded is None:
            if not self._added:
                return
            if self.file.exists() or self.log.exists():
                self._append()
                if _size(self.log) <= max(_size(self.file), LOG_LIMIT):
                    return
            self._all()  # nothing stored yet, or the log outgrew the store: write it whole
        if self._added or self._logged:
            wanted = live()
            merged = {**self._loaded, **self._added}
            write(self.file, {key: value for key, value in merged.items() if key in wanted})
            try:
                self.log.unlink()
            except OSError:
                pass

    def _all(self) -> dict[str, dict]:
        if self._loaded is None:
            try:
                data = json.loads(self.file.read_bytes())
            except (OSError, ValueError):
                data = {}
            self._loaded = data if isinstance(data, dict) else {}
            for line in _lines(self.log):
                try:
                    key, summary = json.loads(line)
                except (ValueError, TypeError):
                    continue  # a line cut short by a crash or a concurrent writer
                if isinstance(key, str) and isinstance(summary, dict):
                    self._loaded[key] = summary
                    self._logged = True
        return self._loaded

    def _append(self) -> None:
        """One ``write`` per summary, to a log opened for appending (failing is no error)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self.log, flags, 0o600)
        except OSError:
            return
        try:
            for key, summary in self._added.items():
                line = json.dumps([key, summary], separators=(",", ":")) + "\n"
                os.write(fd, line.encode("utf-8"))
        except OSError:
            pass
        finally:
            os.close(fd)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _lines(path: Path) -> list[bytes]:
    try:
        return path.read_bytes().splitlines()
    except OSError:
        return []
