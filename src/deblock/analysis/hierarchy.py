"""Class hierarchies, whatever describes the classes (syntax trees or module summaries)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")


def linearize(cls: str, bases: Callable[[str], Iterable[str] | None]) -> list[str]:
    """``cls`` and its known base classes, nearest first, each once (cycles cut).

    ``bases`` gives a class's base classes by qualified name, or None for a class that
    is not known (it is left out, and so are its bases).
    """
    order: list[str] = []
    pending = [cls]
    while pending:
        current = pending.pop(0)
        if current in order:
            continue
        found = bases(current)
        if found is None:
            continue
        order.append(current)
        pending.extend(found)
    return order


def member(
    mro: Iterable[str], members: Callable[[str], Mapping[str, V]], name: str
) -> tuple[str, V] | None:
    """The first class of ``mro`` whose ``members`` include ``name``, and that member."""
    for cls in mro:
        table = members(cls)
        if name in table:
            return cls, table[name]
    return None
