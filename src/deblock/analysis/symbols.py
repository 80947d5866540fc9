"""What an expression stands for: a named thing (``Ref``) or an instance (``Obj``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar

T = TypeVar("T")


class Ref(NamedTuple):
    """A module, function, class or attribute known by its qualified name."""

    qualname: str

    def member(self, name: str) -> Ref:
        return Ref(f"{self.qualname}.{name}")

    def options(self) -> tuple[Ref]:
        """A named thing is only itself."""
        return (self,)


class Obj(NamedTuple):
    """An instance of class ``cls``, possibly reached through attributes (``path``).

    ``others``: what it may be instead (a name bound differently on other paths).
    """

    cls: str
    path: str = ""
    others: tuple[Obj, ...] = ()

    @property
    def qualname(self) -> str:
        return self.cls + self.path

    def member(self, name: str) -> Obj:
        return Obj(self.cls, f"{self.path}.{name}")

    def options(self) -> tuple[Obj, ...]:
        """This instance and every alternative."""
        return (self, *self.others)


Symbol = Ref | Obj


def first_option(
    symbol: Symbol | None, found: Callable[[Symbol], T | None]
) -> tuple[T | None, Symbol | None]:
    """The first of ``symbol``'s options (the types its receiver may have) that ``found``
    gives something for (a blocking call's entry), with it; else nothing and ``symbol``."""
    for option in symbol.options() if symbol is not None else ():
        if (given := found(option)) is not None:
            return given, option
    return None, symbol
