"""Where a fix is declined because a coroutine's run goes on through its wait at an asyncio lock.

A run that waits its turn at an asyncio lock (``atomic_callers``: a coroutine it awaits
enters one, ``FunctionSummary.ordered``, the run passes the entry of one of the
coroutine's own, ``atomic_runs.ENTERED``, or its own ``turns``) relies on when the lock is
taken: it goes on at once where it finds the lock free. An await a fix adds in any body of
the lock, or in a coroutine such a body awaits (in turn: it runs while the lock is held),
keeps the lock taken where tasks now find it free, and other tasks run while they wait.
A lock entered as an instance's attribute, a parameter, an item or a getter's result has no
name (``""``): it may be any asyncio lock, so a wait at one reaches the bodies of every
lock, and a wait at any lock reaches its bodies.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from deblock.analysis.free_locks import ORDERED_SHOWN
from deblock.project.closure import closure
from deblock.project.index import ProjectIndex
from deblock.project.lock_names import lock_identity

# how a reason shows ``""``
_UNNAMED = "a lock known by no name (an attribute, a parameter, an item or a call's result)"


class TurnBodies:
    """The bodies of the project's asyncio locks, by lock, with what they await."""

    def __init__(self, index: ProjectIndex, modules: dict):
        self.index = index
        self.modules = modules  # by path, the summaries of the run
        self._asked: set[tuple] = set()

    def spans(self, locks, where: tuple, does: str):
        """(path, span) declining the fixes in each body of one of ``locks`` (as
        ``lock_identity`` names them; ``""``: one not named) and in the coroutines those
        bodies await, in turn. ``where``: the waiting coroutine's path, name and summary;
        ``does``: what its run does. Asked again the same (a caller's pieces ask for each
        culprit: 837 times for 84 questions in lightrag-hku), none: the asker has them."""
        path, caller, function = where
        asked = (frozenset(locks), path, caller, does)
        if asked in self._asked:
            return
        self._asked.add(asked)
        waiter = f"`{caller.rpartition('.')[2]}` ({path}:{function.line})"
        for lock in sorted(set(locks)):
            for body_lock in sorted(self._bodies) if not lock else (lock, ""):
                for found, qualname, first, last, within in self._bodies.get(body_lock, ()):
                    why = _reason(lock, body_lock, within, waiter, does)
                    yield found, (first, last, why, qualname, None)

    def within(self, paths: set[str]) -> bool:
        """Whether a body of some lock, or a coroutine it awaits, lies in one of ``paths``."""
        return any(body[0] in paths for bodies in self._bodies.values() for body in bodies)

    @cached_property
    def _bodies(self) -> dict[str, list[tuple[str, str, int, int, str]]]:
        """By lock (``lock_identity``; ``""``: not named), (path, coroutine, first line, last
        line, ``""``) of each body of an ``async with`` on it that stays a suspension point,
        and (path, coroutine, its lines, where it is awaited from) of each coroutine such a
        body awaits, in turn."""
        bodies = defaultdict(list)
        for path, summary in self.modules.items():
            for qualname, function in summary.functions.items():
                for name, first, last in function.ordered:
                    lock = lock_identity(self.index, name) if name else ""
                    bodies[lock].append((path, qualname, first, last, ""))
                    shown = f"`{qualname.rpartition('.')[2]}` ({path}:{first})"
                    for callee in self._awaited(qualname, first, last):
                        held, summarised = self.index.function(callee)
                        line, end = summarised.line, summarised.end_line
                        bodies[lock].append((held.path, callee, line, end, shown))
        return bodies

    def _awaited(self, qualname: str, first: int, last: int) -> list[str]:
        """The project coroutines coroutine ``qualname`` awaits from line ``first`` to
        ``last``, and those they await, in turn."""
        awaited = (c for s, c in self.index.awaited_as(qualname) if first <= s.line <= last)
        return closure(awaited, self.index.awaited)


def _reason(lock: str, body_lock: str, within: str, waiter: str, does: str) -> str:
    """Why a fix in a body of ``body_lock`` (or in a coroutine awaited ``within`` one) is
    declined: ``waiter`` waits its turn at ``lock`` in a run that ``does`` so."""
    entered = f"`async with` on `{body_lock}`" if body_lock else f"`async with` on {_UNNAMED}"
    inside = f"in a coroutine {within} awaits inside {entered}" if within else f"inside {entered}"
    if lock and lock == body_lock:
        at = f"{ORDERED_SHOWN} at which"
    elif not (lock or body_lock):
        at = f"{ORDERED_SHOWN} which may be the one at which"
    else:
        shown = f"`{lock}`" if lock else _UNNAMED
        at = f"{ORDERED_SHOWN} which may be {shown}, at which"
    return (
        f"it runs {inside}, {at} {waiter} waits its turn in a run that {does}: an await "
        "there would keep the lock taken where tasks now find it free, and other tasks "
        "would run while they wait"
    )
