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


# The segment of a name that stands for ``super()`` in a method of the class before it
# (``pkg.mod.C.super().load``): the class after ``C`` in its method resolution order that
# defines ``load``, which only the project index, knowing every module's classes, can tell.
SUPER = "super()"


def method_order(cls: str, bases: Callable[[str], Iterable[str] | None]) -> list[str]:
    """``cls`` and the classes after it in Python's method resolution order (C3), classes
    ``bases`` does not know taken as having no bases of their own (a cycle, or bases no
    order can hold, gives ``linearize``'s order)."""
    orders: dict[str, list[str] | None] = {}

    def order(current: str, active: frozenset[str]) -> list[str] | None:
        if current in orders:
            return orders[current]
        if current in active:
            return None
        found = list(bases(current) or ())
        merged = _merge([order(b, active | {current}) for b in found], found)
        orders[current] = None if merged is None else [current, *merged]
        return orders[current]

    found = order(cls, frozenset())
    return found if found is not None else linearize(cls, bases)


def _merge(orders: list[list[str] | None], found: list[str]) -> list[str] | None:
    """C3's merge of the bases' orders and the bases' list (None: no order holds them)."""
    if any(o is None for o in orders):
        return None
    pending = [list(o) for o in [*orders, found] if o]
    merged: list[str] = []
    while pending:
        head = next((s[0] for s in pending if not any(s[0] in rest[1:] for rest in pending)), None)
        if head is None:
            return None
        merged.append(head)
        pending = [[c for c in s if c != head] for s in pending]
        pending = [s for s in pending if s]
    return merged


def first_after(cls: str, bases, defines: Callable[[str], bool]) -> str | None:
    """The first class after ``cls`` in its method resolution order (``method_order``) that
    ``defines`` the name looked for, or that ``bases`` does not know (it may): what
    ``super().name`` in a method of ``cls`` finds, or where to look on."""
    for current in method_order(cls, bases)[1:]:
        if current != "builtins.object" and (bases(current) is None or defines(current)):
            return current
    return None


def member(
    mro: Iterable[str], members: Callable[[str], Mapping[str, V]], name: str
) -> tuple[str, V] | None:
    """The first class of ``mro`` whose ``members`` include ``name``, and that member."""
    for cls in mro:
        table = members(cls)
        if name in table:
            return cls, table[name]
    return None
