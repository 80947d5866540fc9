"""Which of a project's other modules name a run's files (``importers``), kept between runs
while none of those modules changed: a pre-commit run over an unchanged or edited file
then reads none of their texts (aiohttp's 169 others: ~0.08 CPU-s of a ~0.11 s warm run).

The answer depends on the run's files' names and the others' texts only: the record is
keyed by both lists of paths and keeps each other module's stamp (``stamped_record``),
taken before its text is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from deblock.cache import FORMAT
from deblock.stamped_record import StampedRecord, stamp


class ImporterRecord:
    """The recorded importers of ``files`` among ``others`` (both lists of paths), in
    ``cache_dir`` (None: nothing is recorded)."""

    def __init__(self, cache_dir: str | Path | None, files: Sequence[str], others: list[str]):
        self.others = others
        self._record = None
        if cache_dir is not None:
            self._record = StampedRecord(cache_dir, "importers", [FORMAT, list(files), others])
        self._stamps: dict[str, list[int]] | None = None

    def found(self) -> list[str] | None:
        """The recorded importers while every other module is as it was, else None; then
        the others' stamps are taken, before the caller reads their texts."""
        if self._record is None:
            return None
        value = self._record.read()
        found = None if value is None else value.get("found")
        if isinstance(found, list) and all(isinstance(path, str) for path in found):
            return found
        try:
            self._stamps = {path: stamp(path) for path in self.others}
        except OSError:  # gone meanwhile: not recorded
            self._stamps = None
        return None

    def save(self, found: list[str]) -> None:
        """Record ``found``, the importers read from the texts stamped by ``found()``."""
        if self._record is not None and self._stamps is not None:
            self._record.save({"found": found}, self._stamps)
