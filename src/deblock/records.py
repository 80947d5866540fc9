"""Dataclasses whose ``__repr__`` and ``__eq__`` are shared functions.

Python 3.11's ``dataclasses`` compiles every method it generates on its own (an ``exec`` of
generated source each), at import: a one-file run defines 14 dataclasses, and their
``__repr__`` and ``__eq__`` alone were ~3 % of its instructions. A ``record`` is the
dataclass ``dataclass`` would make, but for those two (and a frozen one's ``__hash__``),
which read the fields it would have read: it prints, compares and hashes the same.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from reprlib import recursive_repr


def record(cls=None, /, *, eq: bool = True, frozen: bool = False, **options):
    """``dataclass(cls, eq=eq, frozen=frozen, **options)``, its ``__repr__``, ``__eq__``
    and ``__hash__`` shared. Used as ``@record`` or ``@record(slots=True, ...)``."""

    def make(cls):
        cls = dataclass(cls, repr=False, eq=False, frozen=frozen, **options)
        cls._shown = tuple(f.name for f in fields(cls) if f.repr)
        cls.__repr__ = _repr
        if eq:  # as ``dataclass`` sets them: unhashable unless frozen
            cls._compared = tuple(f.name for f in fields(cls) if f.compare)
            cls.__eq__ = _eq
            cls.__hash__ = _hash if frozen else None
        return cls

    return make if cls is None else make(cls)


@recursive_repr()
def _repr(self) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self, other) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self) -> int:
    return hash(_values(self))


def _values(self) -> tuple:
    return tuple([getattr(self, name) for name in self._compared])
