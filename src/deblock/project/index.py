"""The project index: every module's summary, joined so names resolve across modules."""

from __future__ import annotations

from deblock.analysis.summary import ClassSummary, FunctionSummary, ModuleSummary

_MAX_STEPS = 32


class ProjectIndex:
    """Functions, classes and module names of all analysed modules, by qualified name."""

    def __init__(self, summaries: list[ModuleSummary]):
        self.modules = {s.module: s for s in summaries}
        self.functions: dict[str, tuple[ModuleSummary, FunctionSummary]] = {}
        self.classes: dict[str, ClassSummary] = {}
        for summary in summaries:
            for name, function in summary.functions.items():
                self.functions[name] = (summary, function)
            self.classes.update(summary.classes)

    def normalize(self, qualname: str, depth: int = 0) -> str:
        """Rewrite ``qualname`` through re-exports, attribute types and return types.

        ``pkg.api.CLIENT.chat.create`` becomes ``groq.Groq.chat.create`` when module
        ``pkg.api`` binds ``CLIENT = Groq()``; ``pkg.make().call`` becomes
        ``pkg.breaker.Breaker.call`` when ``make`` is annotated ``-> Breaker``.
        """
        if depth > _MAX_STEPS:
            return qualname
        head, *rest = qualname.split(".")
        for segment in rest:
            called = segment.endswith("()")
            head = self._member(head, segment.removesuffix("()"), depth)
            if called:
                head = self._returned(head, depth)
        return self._returned(head, depth) if head.endswith("()") else head

    def _member(self, head: str, name: str, depth: int) -> str:
        if head.endswith("()"):
            head = self._returned(head, depth)
        module = self.modules.get(head)
        if module is not None and name in module.names:
            return self.normalize(module.names[name], depth + 1)
        cls = self.classes.get(head)
        if cls is not None:
            owner = self.owner(head, name)
            if owner is not None:
                return f"{owner}.{name}"
            attribute = self._attribute(head, name)
            if attribute is not None:
                return self.normalize(attribute, depth + 1)
        return f"{head}.{name}"

    def _returned(self, head: str, depth: int) -> str:
        """The class a call to ``head`` (``x()`` or ``x``) returns, when known."""
        callee = head.removesuffix("()")
        if callee in self.classes:
            return callee
        found = self.functions.get(callee)
        if found is not None and found[1].returns:
            return self.normalize(found[1].returns, depth + 1)
        return f"{callee}()"

    def mro(self, cls: str) -> list[str]:
        """``cls`` and its project base classes, nearest first."""
        order, pending = [], [cls]
        while pending:
            current = pending.pop(0)
            if current in order or current not in self.classes:
                continue
            order.append(current)
            pending.extend(self.normalize(b) for b in self.classes[current].bases)
        return order

    def owner(self, cls: str, method: str) -> str | None:
        """The class in ``cls``'s hierarchy that defines ``method``."""
        return next((c for c in self.mro(cls) if method in self.classes[c].methods), None)

    def is_coroutine_method(self, cls: str, method: str) -> bool | None:
        owner = self.owner(cls, method)
        return None if owner is None else self.classes[owner].methods[method]

    def _attribute(self, cls: str, name: str) -> str | None:
        return next(
            (
                self.classes[c].attributes[name]
                for c in self.mro(cls)
                if name in self.classes[c].attributes
            ),
            None,
        )
