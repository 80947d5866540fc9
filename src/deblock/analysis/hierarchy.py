"""Class hierarchies, whatever describes the classes (syntax trees or module summaries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")

# The segment of a name that stands for ``super()`` in a method of the class before it
# (``pkg.mod.C.super().load``): the class after ``C`` in its method resolution order that
# defines ``load``, which only the project index, knowing every module's classes, can tell.
SUPER = "super()"


class MethodOrders:
    """The method resolution orders of the classes a subclass's ``_bases`` describes, each
    made once (the subclass's ``__init__`` calls this one's).

    ``_bases`` gives a class's base classes by qualified name, or None for a class that is
    not known (a library's or another module's): it is taken as having no bases of its own.
    ``_known`` gives the classes known, those whose kin ``kin`` looks among.
    """

    def __init__(self):
        self._c3: dict[str, list[str] | None] = {}
        self._unknown: set[str] = set()
        self._orders: dict[str, list[str]] = {}
        self._mros: dict[str, list[str]] = {}
        self._kin: dict[str, frozenset[str]] = {}
        self._below: dict[str, list[str]] | None = None
        self._below_of = 0  # how many classes were known when ``_below`` was made

    def _bases(self, cls: str) -> list[str] | None:
        raise NotImplementedError

    def _known(self) -> Collection[str]:
        raise NotImplementedError

    def kin(self, cls: str) -> frozenset[str]:
        """The known classes an instance of ``cls`` may be an instance of too: it and those
        that share a subclass with it (its bases, its subclasses, their bases), whose
        methods' ``self`` names one instance, whose attributes are one state; ``cls`` alone
        when no known class's method resolution order holds it."""
        below = self.descendants(cls)  # first: it forgets the kin found when classes joined
        found = self._kin.get(cls)
        if found is None:
            mros = (self.mro(subclass) for subclass in below)
            found = self._kin[cls] = frozenset(c for mro in mros for c in mro) or frozenset((cls,))
        return found

    def descendants(self, cls: str) -> list[str]:
        """The known classes whose method resolution order holds ``cls`` (it too, if known)."""
        known = self._known()
        if self._below is None or len(known) != self._below_of:  # classes known since
            below, self._below_of = defaultdict(list), len(known)
            for subclass in list(known):  # looking up bases may read more modules
                for above in self.mro(subclass):
                    below[above].append(subclass)
            self._below, self._kin = below, {}
        return self._below.get(cls, [])

    def method_order(self, cls: str) -> list[str]:
        """``cls`` and the classes after it in Python's method resolution order (C3),
        unknown classes among them. Where Python raises (a cycle, or bases no order can
        hold), ``cls`` and its known bases breadth first, each once."""
        found = self._orders.get(cls)
        if found is None:
            c3 = self._merged(cls, frozenset())
            found = self._orders[cls] = c3 if c3 is not None else self._breadth_first(cls)
        return found

    def mro(self, cls: str) -> list[str]:
        """The known classes of ``cls``'s method resolution order, ``cls`` first."""
        found = self._mros.get(cls)
        if found is None:
            found = self._mros[cls] = [c for c in self.method_order(cls) if c not in self._unknown]
        return found

    def first_after(self, cls: str, defines: Callable[[str], bool]) -> str | None:
        """The first class after ``cls`` in its method resolution order that ``defines`` the
        name looked for, or that is not known (it may): what ``super().name`` in a method of
        ``cls`` finds, or where to look on."""
        for current in self.method_order(cls)[1:]:
            if current != "builtins.object" and (current in self._unknown or defines(current)):
                return current
        return None

    def _merged(self, cls: str, active: frozenset[str]) -> list[str] | None:
        if cls in self._c3:
            return self._c3[cls]
        if cls in active:
            return None  # a cycle
        bases = self._bases(cls)
        if bases is None:
            self._unknown.add(cls)
        found = list(bases or ())
        orders = [self._merged(base, active | {cls}) for base in found]
        merged = None if None in orders else _merge([*orders, found])
        self._c3[cls] = None if merged is None else [cls, *merged]
        return self._c3[cls]

    def _breadth_first(self, cls: str) -> list[str]:
        order: list[str] = []
        pending = [cls]
        while pending:
            current = pending.pop(0)
            if current in order:
                continue
            found = self._bases(current)
            if found is None:
                continue
            order.append(current)
            pending.extend(found)
        return order


def _merge(sequences: list[list[str]]) -> list[str] | None:
    """C3's merge of the bases' orders and the bases' list (None: no order holds them)."""
    pending = [list(s) for s in sequences if s]
    merged: list[str] = []
    while pending:
        head = next((s[0] for s in pending if not any(s[0] in rest[1:] for rest in pending)), None)
        if head is None:
            return None
        merged.append(head)
        pending = [[c for c in s if c != head] for s in pending]
        pending = [s for s in pending if s]
    return merged


def member(
    mro: Iterable[str], members: Callable[[str], Mapping[str, V]], name: str
) -> tuple[str, V] | None:
    """The first class of ``mro`` whose ``members`` include ``name``, and that member."""
    for cls in mro:
        table = members(cls)
        if name in table:
            return cls, table[name]
    return None
