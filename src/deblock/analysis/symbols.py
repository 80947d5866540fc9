"""What an expression stands for: a named thing (``Ref``) or an instance (``Obj``)."""

from __future__ import annotations

from typing import NamedTuple


class Ref(NamedTuple):
    """A module, function, class or attribute known by its qualified name."""

    qualname: str

    def member(self, name: str) -> Ref:
        return Ref(f"{self.qualname}.{name}")


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
