"""Module summaries kept by content digest, in 256 shards by the digest's first byte.

The summaries of a large project are large (~25 MB of JSON on the bench corpus): kept as
one object, a pre-commit run that needed one summary, or stored one, read or rewrote all of
it (~0.4 s each way); kept as one file each, a cache-filling run spent ~1 CPU-s writing
2,600 files (~0.5 ms of CPU per file created on the development machine). A shard (~100 KB
there) is read when one of its summaries is wanted, and written back when one was added or
one of a digest no cached file has any more was dropped (only the shards such digests name
are parsed for it); a project-wide pass reads them all, as it read the one object. A
cache-filling run writes the 256 shards (~0.15 CPU-s more than the one object took). A
summary added is kept as the function that gives its JSON form (the summary the run holds
anyway), called when its shard is written: kept as dicts, the corpus's summaries added ~26
MB to the peak memory of a cache-filling run, as JSON text ~20 MB. A shard only added to,
in a run that drops no summary (pre-commit's), is not parsed: the added summaries are
written after its text (parsing a ~100 KB shard and writing it back out of objects cost
such a run ~2-5 ms). A shard is let go once written: kept, a cache-filling run held every
summary's text to its end (~35 MB on the bench corpus). A summary asked for is read out of
its shard's text, the rest unparsed (``_summary_in``): an edited file's pre-commit run
reads a dozen summaries, one from each of a dozen shards, and parsing them whole was ~10 of
its ~300 CPU-ms.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

from deblock.json_files import text_of, value_in


class SummaryStore:
    """The summaries in ``directory``, ``<first two hex digits>.json`` each shard."""

    def __init__(self, directory: Path):
        self.directory = directory
        # the shards read and not yet written, by name: their summaries (objects)
        self._shards: dict[str, dict[str, dict]] = {}
        # the summaries added (functions giving their JSON form), by shard
        self._added: dict[str, dict[str, Callable[[], dict]]] = {}

    def get(self, key: str) -> dict | None:
        """The summary stored for content digest ``key``."""
        if len(key) < 2 or not key.isalnum():  # a damaged cache's digest names no shard
            return None
        name = key[:2]
        added = self._added.get(name, {}).get(key)
        if added is not None:
            return added()
        if name not in self._shards:
            found = _summary_in(text_of(self.directory / f"{name}.json"), key)
            if found is not None:
                return found
        return self._shard(name).get(key)

    def add(self, key: str, summary: Callable[[], dict]) -> None:
        """Remember the summary of the module whose content digest (hex) is ``key``:
        ``summary()`` gives its JSON form when it is written."""
        self._added.setdefault(key[:2], {})[key] = summary

    def save(
        self, write: Callable[[Path, Iterable[str]], None], dead: Collection[str] = ()
    ) -> None:
        """``write`` the shards summaries were added to, and drop the summaries of ``dead``
        digests from the shards they name (the shard of a digest is its first byte: those
        of other digests are neither parsed nor written). A shard not parsed gets its added
        summaries after its text."""
        losing: dict[str, set[str]] = {}
        for key in dead:
            losing.setdefault(key[:2], set()).add(key)
        for name in dict.fromkeys([*self._added, *losing]):
            added = {
                key: json.dumps(summary(), separators=(",", ":"))
                for key, summary in self._added.get(name, {}).items()
            }
            target = self.directory / f"{name}.json"
            gone = losing.get(name, ())
            if name not in self._shards:
                before = text_of(target)
                if not any(f'"{key}"' in before for key in gone):  # nothing to drop
                    if not (before.startswith("{") and before.endswith("}")):
                        before = "{}"  # missing or damaged: written anew
                    fresh = {k: v for k, v in added.items() if f'"{k}":' not in before}
                    if fresh:
                        write(target, _shard_text(fresh, before))
                    continue
            shard = {**self._shard(name), **added}
            dropped = [key for key in gone if key in shard]
            for key in dropped:
                del shard[key]
            if added or dropped:
                write(target, _shard_text(shard))
            self._shards.pop(name, None)  # one shard's summaries held at a time
        self._added.clear()
        self._shards.clear()  # their text no longer held (read again if asked for)

    def _shard(self, name: str) -> dict[str, dict]:
        shard = self._shards.get(name)
        if shard is None:
            try:
                data = json.loads((self.directory / f"{name}.json").read_bytes())
            except (OSError, ValueError):
                data = {}
            shard = self._shards[name] = data if isinstance(data, dict) else {}
        return shard


def _summary_in(text: str, key: str) -> dict | None:
    """The summary of digest ``key`` in a shard's ``text`` without parsing the rest, when
    the shard is written as ``_shard_text`` writes it; None when it is not found so (the
    shard is then parsed whole)."""
    found = value_in(text, key, "{")
    return found if isinstance(found, dict) else None


def _shard_text(summaries: dict[str, dict | str], before: str = "{}") -> Iterator[str]:
    """The JSON text of a shard: ``before`` (a shard's text) with ``summaries`` added, the
    added ones' text as it is."""
    yield before[:-1]
    separator = "" if before == "{}" else ","
    for key, summary in summaries.items():
        text = summary if isinstance(summary, str) else json.dumps(summary, separators=(",", ":"))
        yield f"{separator}{json.dumps(key)}:{text}"
        separator = ","
    yield "}"
