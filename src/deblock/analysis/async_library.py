"""The async library a module commits to, as far as the module itself says.

A module commits to anyio by importing it (its bridge runs under asyncio and trio alike),
else to trio by importing it, else to asyncio by naming one of asyncio's loop-bound
functions or classes (``asyncio.gather``, ``aio.Queue`` after ``import asyncio as aio``,
``from asyncio import Lock``), in its code, comments or strings alike. Naming only
asyncio's loop-neutral helpers, exceptions and types (``asyncio.iscoroutinefunction``,
``asyncio.CancelledError``) commits it to nothing: its fixes take its project's library
(``deblock.project.async_library``). A library's own modules commit to it. A module
without coroutines is not analysed: its import lines alone tell (``imported_library``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_IMPORTED = ("anyio", "trio")  # a module importing both commits to anyio
# asyncio names that work, or are harmless, whichever loop runs the code.
_NEUTRAL = frozenset(
    {
        "iscoroutine",
        "iscoroutinefunction",
        "isfuture",
        "AbstractEventLoop",
        "BrokenBarrierError",
        "CancelledError",
        "IncompleteReadError",
        "InvalidStateError",
        "LimitOverrunError",
        "QueueEmpty",
        "QueueFull",
        "SendfileNotAvailableError",
        "TimeoutError",
    }
)
# Both patterns start at a word boundary (``\b``), which ``_found`` checks: with ``\b``
# in the pattern, ``re`` tries every position of the text instead of searching for the
# literal first (~20x slower; ~0.3 CPU-s of the bench corpus's cold run).
_FROM_ASYNCIO = re.compile(r"from[ \t]+asyncio[ \t]+import[ \t]*(\([^)]*\)|[^\n;#]*)")
_NAME = re.compile(r"[A-Za-z_]\w*")
_WORD = re.compile(r"\w")
_IMPORT_LINE = re.compile(r"^[ \t]*(?:import|from)[ \t]+(anyio|trio)\b", re.MULTILINE)


def module_library(
    text: str, module: str, imported: Iterable[str], asyncio_names: Iterable[str]
) -> str | None:
    """The library module ``module`` (source ``text``, importing the top-level packages
    ``imported``, binding asyncio itself to ``asyncio_names``) commits to, or None."""
    root = module.partition(".")[0]
    if root in (*_IMPORTED, "asyncio"):  # its own modules import it relatively
        return root
    imported = set(imported)
    library = _first(imported)
    if library is None and "asyncio" in imported and not _named(text, asyncio_names) <= _NEUTRAL:
        return "asyncio"
    return library


def imported_library(text: str) -> str | None:
    """anyio or trio when a line of ``text`` imports it (anyio first), else None."""
    if "anyio" not in text and "trio" not in text:  # most texts: 3x faster than the regex
        return None
    return _first(set(_IMPORT_LINE.findall(text)))


def _first(imported: set[str]) -> str | None:
    return next((library for library in _IMPORTED if library in imported), None)


def _named(text: str, asyncio_names: Iterable[str]) -> set[str]:
    """Every asyncio name the text refers to (``asyncio.X``, ``alias.X``, imported ``X``)."""
    aliases = "|".join(sorted({"asyncio", *asyncio_names}))
    names = set(_found(re.compile(rf"(?:{aliases})[ \t]*\.[ \t]*([A-Za-z_]\w*)"), text))
    for imported in _found(_FROM_ASYNCIO, text):
        names.update(m.group() for piece in imported.split(",") if (m := _NAME.search(piece)))
    return names


def _found(pattern: re.Pattern, text: str) -> Iterator[str]:
    """What ``pattern``'s group matches where a match starts at a word boundary, as
    ``findall`` finds it with ``\\b`` first in the pattern."""
    start = 0
    while (match := pattern.search(text, start)) is not None:
        at = match.start()
        if at == 0 or _WORD.match(text, at - 1) is None:
            yield match.group(1)
            start = match.end()
        else:
            start = at + 1
