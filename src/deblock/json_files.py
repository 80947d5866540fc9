"""The cache's files: JSON written atomically and compactly, journals appended to, and
the size, lines or age of a file that may not be there."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def size_of(path: Path) -> int:
    """The size of the file at ``path`` (0 when there is none)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def value_in(text: str, key: str, opener: str) -> object | None:
    """The value of ``key`` in ``text``, a JSON object of objects (``opener`` "{") or of
    lists ("[") written compactly, without parsing the rest: a key of its own follows the
    opening brace or the end of the value before it and a comma (a quote inside a string
    would be escaped); None when it is not there so, or its value is cut short."""
    marker = json.dumps(key) + ":" + opener
    before = ("}" if opener == "{" else "]") + ","
    start = text.find(marker)
    while start != -1 and not (start == 1 or text[start - 2 : start] == before):
        start = text.find(marker, start + 1)
    if start == -1:
        return None
    try:
        return _DECODER.raw_decode(text, start + len(marker) - 1)[0]
    except ValueError:
        return None


_DECODER = json.JSONDecoder()


def text_of(path: Path) -> str:
    """The text of the file at ``path``, written as ASCII JSON (empty when it cannot be
    read)."""
    try:
        return path.read_bytes().decode("ascii")
    except (OSError, UnicodeDecodeError):
        return ""


def lines_of(path: Path) -> list[bytes]:
    """The lines of the file at ``path`` (none when it cannot be read)."""
    try:
        return path.read_bytes().splitlines()
    except OSError:
        return []


def modified(path: Path) -> int:
    """When the file at ``path`` was last modified, in ns (0 when there is none)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def remove(path: Path) -> None:
    """Remove the file at ``path`` if it is there."""
    try:
        path.unlink()
    except OSError:
        pass


def append(path: Path, data: bytes) -> bool:
    """Append ``data`` to the file at ``path`` in one ``write`` (lines of concurrent
    writers do not interleave); False when it cannot be written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError:
        return False
    return True


def write_json(target: Path, data: object) -> None:
    """Write ``data`` as JSON atomically; failing to write a cache is not an error.

    The temporary file is named by this process's id (unique among running processes; a
    stale one of a killed process is overwritten), not by ``tempfile``, whose import costs
    as much as the writing of a one-file run's cache. Its name is known before it is
    created: interrupted at any point, the temporary is removed."""
    write_text(target, _json_pieces(data))


def write_text(target: Path, pieces: Iterable[str]) -> None:
    """Write the text ``pieces`` make to ``target`` atomically (see ``write_json``)."""
    _write(target, "w", pieces)


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see ``write_json``)."""
    _write(target, "wb", [data])


def _write(target: Path, mode: str, pieces: Iterable[str] | Iterable[bytes]) -> None:
    """Write ``pieces`` to ``target`` through a temporary renamed over it (``mode``: text or
    bytes); a reader sees the old file or the whole new one, never a part."""
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        with os.fdopen(fd, mode, encoding="utf-8" if mode == "w" else None) as fh:
            for piece in pieces:
                fh.write(piece)
        os.replace(tmp, target)
    except BaseException as error:  # Ctrl-C too, even before ``fd`` is bound
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if not isinstance(error, OSError):
            raise


def remove_stale(directory: Path, since: int) -> None:
    """Remove the temporaries ``write_text`` and ``write_bytes`` left in ``directory`` and
    the directories in it, last written before ``since`` (ns): their writers were killed
    (one still being written is newer; removed anyway, its writer's ``os.replace`` would
    fail: no error)."""
    for tmp in [*directory.glob("*.tmp"), *directory.glob("*/*.tmp")]:
        if modified(tmp) < since:
            remove(tmp)


def _json_pieces(data: object, size: int = 256) -> Iterator[str]:
    """``data`` as compact JSON, ``size`` top-level entries at a time: one string for the
    whole of a large cache (the summaries: ~25 MB on the bench corpus) added ~35 MB to the
    run's peak memory, one ``json.dumps`` per entry took 3x as long (12 ms for the 4,891
    entries of the corpus's check cache). (json.dump streams through the pure-Python
    encoder: much slower.)"""
    if not isinstance(data, dict):
        yield json.dumps(data, separators=(",", ":"))
        return
    items = iter(data.items())
    yield "{"
    separator = ""
    while chunk := dict(itertools.islice(items, size)):
        yield separator + json.dumps(chunk, separators=(",", ":"))[1:-1]
        separator = ","
    yield "}"
