"""Cleanup that a cancelled await would run beside a worker thread still at work.

A coroutine cancelled while it awaits a call moved into a worker thread (``to_thread``,
``aiofiles``) goes on to its cleanup (a ``finally``, an ``except`` that catches
cancellation) at once, while the call runs on in its thread, or is yet to start there (the
pool is busy; anyio's runner waits for a thread it started, but is cancelled at its own
checkpoint before it starts one). On the event loop the call always ended before the
cancellation arrived, at the next await, so the cleanup ran after it. When the cleanup
touches the file system too (it removes the file the call writes), the two now race: a
removal fails on a file not written yet, or a file is written after its removal.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.cancellation import catches_cancellation

# Async functions and thread bridges (by qualname prefix) that touch the file system, or
# run what they are handed in a worker thread.
_FILE_WORK = (
    "aiofiles.",
    "anyio.Path",
    "anyio.open_file",
    "anyio.to_thread.",
    "trio.Path",
    "trio.open_file",
    "trio.to_thread.",
    "asyncio.to_thread",
)
# Bridges that are methods of an event loop, by name.
_LOOP_BRIDGES = frozenset({"run_in_executor"})


def raced_regions(
    statements: list[ast.stmt],
    touching: Callable[[int, int], str | None],
    project: Callable[[str], bool],
    type_of: Callable[[ast.expr], str | None],
) -> list[tuple[int, int, int, int, str]]:
    """The parts of the ``try`` statements among ``statements`` (a coroutine's, outer ones
    first) whose cleanup touches the file system: (first and last line of the part, first
    and last line of the ``try``, why). ``touching(first, last)`` shows a file-system call
    the analysis found on those lines; ``type_of`` names what an expression is; an awaited
    call of the project's (``project``), of an unknown object, of a bridge or of an async
    file library may touch it too."""
    regions = []
    for statement in statements:
        if not isinstance(statement, ast.Try | ast.TryStar):
            continue
        whole = (statement.lineno, statement.end_lineno)
        shown = statement.finalbody and _touches(statement.finalbody, touching, type_of, project)
        if shown:
            last = statement.finalbody[0].lineno - 1
            regions.append((statement.body[0].lineno, last, *whole, _why("finally", shown)))
            continue
        for handler in statement.handlers:
            shown = catches_cancellation(handler) and _touches(
                handler.body, touching, type_of, project
            )
            if shown:
                first, last = statement.body[0].lineno, statement.body[-1].end_lineno
                regions.append((first, last, *whole, _why("except", shown)))
                break
    return regions


def _touches(body, touching, type_of, project) -> str | None:
    """What in the statements ``body`` touches the file system or may, shown."""
    found = touching(body[0].lineno, body[-1].end_lineno)
    if found is not None:
        return found
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            func = node.value.func
            named = type_of(func)
            if named is None or project(named) or _file_work(named, func):
                return ast.unparse(func)
    return None


def _file_work(qualname: str, func: ast.expr) -> bool:
    return qualname.startswith(_FILE_WORK) or (
        isinstance(func, ast.Attribute) and func.attr in _LOOP_BRIDGES
    )


def _why(kind: str, shown: str) -> str:
    cleanup = "its `finally`" if kind == "finally" else "its `except` for cancellation"
    return (
        f"cancelled at the await, the coroutine would run {cleanup} while the call goes on "
        f"in its worker thread (or before it starts there), and that cleanup touches the "
        f"file system too (`{shown}`): on the event loop the call always ended first"
    )


def raced_at(
    regions: list[tuple[int, int, int, int, str]], line: int, section: tuple[int, int] | None
) -> str | None:
    """The why of the first region holding ``line`` whose ``try`` does not move whole into
    the worker thread with ``section``."""
    for first, last, start, end, why in regions:
        moved = section is not None and section[0] <= start and end <= section[1]
        if first <= line <= last and not moved:
            return why
    return None
