"""One object for each equal string and integer of a run's module summaries.

A summary made in a worker comes back unpickled with strings and integers of its own: the
same callee, name or line number repeated in every module that holds it (over the bench
corpus 400k strings of 106k values, 28 of 9 MB, and 250k integers, 7 MB). ``Interned``
keeps one of each value for the run and points every summary it is given at it, in place
(lists' items, dictionaries' values and fields set, tuples rebuilt): the summaries read
the same. Booleans and other types are left as they are (``True == 1``: never merged).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deblock.analysis.summary import ModuleSummary


class Interned:
    """The run's strings and integers, one object for each value, by type."""

    def __init__(self):
        self._strings: dict[str, str] = {}
        self._integers: dict[int, int] = {}

    def summary(self, summary: ModuleSummary | None) -> None:
        """Point ``summary``'s strings and integers at the run's (none: nothing to do)."""
        if summary is not None:
            self._fields(summary)

    def _fields(self, record) -> None:
        for name in record.__slots__:
            value = getattr(record, name)
            if value is None or value.__class__ is bool or value == ():  # most fields
                continue
            shared = self._shared(value)
            if shared is not value:
                setattr(record, name, shared)

    def _shared(self, value):
        kind = value.__class__
        if kind is str:
            return self._strings.setdefault(value, value)
        if kind is int:
            return self._integers.setdefault(value, value)
        if kind is tuple:
            return tuple([self._shared(item) for item in value])
        if kind is list:
            value[:] = [self._shared(item) for item in value]
        elif kind is dict:
            for key, item in value.items():
                value[key] = self._shared(item)
        elif hasattr(kind, "__dataclass_fields__"):  # a function's, class's or call's summary
            self._fields(value)
        return value
