"""Module summaries kept by content digest, in 256 shards by the digest's first byte.

The summaries of a large project are large (~25 MB of JSON on the bench corpus): kept as
one object, a pre-commit run that needed one summary, or stored one, read or rewrote all of
it (~0.4 s each way); kept as one file each, a cache-filling run spent ~1 CPU-s writing
2,600 files (~0.5 ms of CPU per file created on the development machine). A shard (~100 KB
there) is read when one of its summaries is wanted, and written back when one was added
or, in a run over most of the cached files, one no cached file has any more was dropped;
a project-wide pass reads them all, as it read the one object. A cache-filling run writes
the 256 shards (~0.15 CPU-s more than the one object took). A summary added is kept as its
JSON text until it is written: as objects, the corpus's added ~26 MB to the peak memory of
a cache-filling run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path


class SummaryStore:
    """The summaries in ``directory``, ``<first two hex digits>.json`` each shard."""

    def __init__(self, directory: Path):
        self.directory = directory
        # the shards read, by name: summaries read (objects) and added (JSON text)
        self._shards: dict[str, dict[str, dict | str]] = {}
        self._changed: set[str] = set()

    def get(self, key: str) -> dict | None:
        """The summary stored for content digest ``key``."""
        if len(key) < 2 or not key.isalnum():  # a damaged cache's digest names no shard
            return None
        found = self._shard(key[:2]).get(key)
        return json.loads(found) if isinstance(found, str) else found

    def add(self, key: str, summary: dict) -> None:
        """Remember the summary of the module whose content digest (hex) is ``key``."""
        self._shard(key[:2])[key] = json.dumps(summary, separators=(",", ":"))
        self._changed.add(key[:2])

    def save(
        self, write: Callable[[Path, Iterable[str]], None], live: Collection[str] | None
    ) -> None:
        """``write`` the text of the shards summaries were added to; with ``live``, drop the
        summaries of other digests from every shard read, writing those that lost some too."""
        for name, shard in self._shards.items():
            if live is not None:
                dead = [key for key in shard if key not in live]
                for key in dead:
                    del shard[key]
                if dead:
                    self._changed.add(name)
            if name in self._changed:
                write(self.directory / f"{name}.json", _shard_text(shard))
        self._changed.clear()

    def _shard(self, name: str) -> dict[str, dict | str]:
        shard = self._shards.get(name)
        if shard is None:
            try:
                data = json.loads((self.directory / f"{name}.json").read_bytes())
            except (OSError, ValueError):
                data = {}
            shard = self._shards[name] = data if isinstance(data, dict) else {}
        return shard


def _shard_text(shard: dict[str, dict | str]) -> Iterator[str]:
    """The JSON text of a shard, its added summaries' text as it is."""
    separator = "{"
    for key, summary in shard.items():
        text = summary if isinstance(summary, str) else json.dumps(summary, separators=(",", ":"))
        yield f"{separator}{json.dumps(key)}:{text}"
        separator = ","
    yield "{}" if separator == "{" else "}"
