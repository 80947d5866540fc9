"""An instance's attributes that code of another module writes through a class of its kin.

A base's coroutine that reads ``self.count`` twice around an await of a coroutine that
never suspends relies on no other task writing the count between. A subclass defined in
another module (``class Counter(base.Base)``) whose coroutine bumps ``self.count`` on the
loop writes that same count: an instance of ``Counter`` is one of ``Base``; and so does a
base of another module for its subclass's coroutine. The module pass joins the state of a
class's kin within its module (``Resolver.kin``); this joins it across modules
(``ProjectIndex.kin``: the same kin, of every module's classes), from what each module says
it writes: the classes whose instances' attributes its code writes
(``ModuleSummary.instances_written``) and the attribute names it writes outside
``__init__`` (``attributes_written``), which may be those.
"""

from __future__ import annotations

from functools import cache

from deblock.project.index import ProjectIndex

_OWN = "self."  # how a coroutine's runs name its instance's attributes


class KinWrites:
    """Which of a coroutine's instance's attributes other modules write through its kin."""

    def __init__(self, index: ProjectIndex, modules: dict):
        self.index = index
        self.modules = modules  # by path, the summaries of the run
        self._writing = cache(self._writing_modules)

    def release(self) -> None:
        """Drop the memo: it holds this object through its bound method, a cycle a run
        (its collector paused) would keep to its end (``_Callees.release``)."""
        del self._writing

    def written(self, path: str, qualname: str, keys) -> list[str]:
        """Those of state ``keys`` of coroutine ``qualname`` (in the module at ``path``;
        as its runs name them) that are attributes of its instance (``self.count``) some
        other module writes on the instances of a class of its class's kin."""
        cls = qualname.rpartition(".")[0]
        return [k for k in sorted(keys) if k.startswith(_OWN) and self.writers(path, cls, k)]

    def writers(self, path: str, cls: str, name: str) -> list[str]:
        """The modules other than the one at ``path`` that write the attribute of the
        instance that ``name`` (``self.count``, ``self.log.lines``) is on the instances of
        a class of ``cls``'s kin."""
        attribute = name.removeprefix(_OWN).partition(".")[0]
        return [module for module, written in self._writing(path, cls) if attribute in written]

    def _writing_modules(self, path: str, cls: str) -> list[tuple[str, tuple[str, ...]]]:
        """(module, ``attributes_written``) of the modules other than the one at ``path``
        that write the instances' attributes of a class of ``cls``'s kin."""
        kin = self.index.kin(cls)
        return [
            (summary.module, summary.attributes_written)
            for summary in self.modules.values()
            if summary.path != path and not kin.isdisjoint(summary.instances_written)
        ]
