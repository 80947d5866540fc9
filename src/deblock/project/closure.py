"""What a relation between names leads to from some of them, in turn."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def closure(start: Iterable[str], step: Callable[[str], Iterable[str]]) -> list[str]:
    """``start`` and what ``step`` (the names one leads to) leads to from it, in turn: each
    name once, in the order reached."""
    pending, seen = list(start), {}
    while pending:
        name = pending.pop()
        if name not in seen:
            seen[name] = None
            pending += step(name)
    return list(seen)
