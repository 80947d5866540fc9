"""The outcomes of modules the project pass summarises, shared by a run's forked judges.

Judges forked together (``Workers.forked``) share no memory: a module two of them need (a
project's module in its own namespace and in another that loads it) was summarised by
each. Summarising depends only on the path, its bytes and the run's options, so the first
judge to make an outcome writes it, pickled, to a file of the run's temporary directory
named by the path and the bytes' digest, and a judge that needs it later reads it: the
same outcome whichever judge made it, whatever the timing (both make it when they need it
at once). A file is written whole under a temporary name and renamed.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from deblock.cache import digest
from deblock.json_files import write_bytes

if TYPE_CHECKING:
    from deblock.file_check import Outcome


class SharedOutcomes:
    """Outcomes by path and content in ``directory``, of the modules at ``paths`` only
    (those several judges may summarise: on the bench corpus, writing all 1,400 outcomes
    cost ~0.4 CPU-s of the ~1.6 the shared ones saved, these ~0.1)."""

    def __init__(self, directory: Path | None = None, paths: Collection[str] = ()):
        self.directory, self.paths = directory, paths

    def get(self, path: str, data: bytes) -> Outcome | None:
        """The outcome another judge made of the module at ``path`` with bytes ``data``."""
        if path not in self.paths:
            return None
        try:
            return pickle.loads(self._file(path, data).read_bytes())
        except OSError:
            return None

    def put(self, path: str, data: bytes, outcome: Outcome) -> None:
        """Keep ``outcome``, made of the module at ``path`` with bytes ``data``."""
        if path in self.paths:
            write_bytes(self._file(path, data), pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))

    def _file(self, path: str, data: bytes) -> Path:
        return self.directory / digest(path.encode() + b"\0" + data)


@contextlib.contextmanager
def shared_outcomes(paths: Collection[str]) -> Iterator[SharedOutcomes]:
    """The outcomes of the modules at ``paths`` shared through a temporary directory,
    removed at the end; none without ``paths`` (judges in one process share its
    ``made``) or when no directory can be made (each judge then makes its own)."""
    directory = _made_directory() if paths else None
    if directory is None:
        yield SharedOutcomes()
        return
    import shutil

    try:
        yield SharedOutcomes(Path(directory), paths)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _made_directory() -> str | None:
    """A new temporary directory (None when none can be made)."""
    import tempfile  # ~3 ms: only a run that forks judges imports it

    try:
        return tempfile.mkdtemp(prefix="deblock-")
    except OSError:
        return None
