"""The project index: every module's summary, joined so names resolve across modules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from deblock.analysis.duck_calls import duck_method, takes
from deblock.analysis.hierarchy import SUPER, MethodOrders, member
from deblock.analysis.summary import (
    ENTERED,
    CallSite,
    ClassSummary,
    FunctionSummary,
    ModuleSummary,
)
from deblock.analysis.twins import threaded_code
from deblock.project.summaries import ModuleSummaries, read_defined
from deblock.rules import Catalogue, catalogue_with

if TYPE_CHECKING:
    from deblock.project.processes import Side

_MAX_STEPS = 32


class ProjectIndex(MethodOrders):
    """Functions, classes and module names of the project, by qualified name.

    A module still pending in ``source`` is summarised only when a name inside it is
    looked up, so modules no coroutine reaches are never parsed. The ``catalogue``'s type
    facts type what the sources cannot show (attributes and classes made at runtime).
    """

    def __init__(
        self, source: ModuleSummaries, libraries: bool = False, catalogue: Catalogue | None = None
    ):
        super().__init__()
        self.source = source
        self.libraries = libraries and source.libraries is not None
        self.catalogue = catalogue or catalogue_with()
        self._facts: dict[str, dict[tuple[str, str], str]] = {}  # by top-level package
        functions, classes, self._indexed = source.defined()  # the summaries read so far
        self._functions: dict[str, tuple[ModuleSummary, FunctionSummary]] = dict(functions)
        self._classes: dict[str, ClassSummary] = dict(classes)
        self._normalized: dict[str, str] = {}
        self._called: dict[str, str] = {}
        self._own: dict[str, str] = {}
        self._imported: dict[str, tuple[dict, dict[str, list[tuple[int, str]]]]] = {}
        self._ensured: set[tuple[str, bool]] = set()
        self._by_name: dict = {}  # coroutine methods by name, by side (``coroutines``)
        self._sync_named: dict[tuple, list[str]] = {}  # by name and side (``sync_methods``)
        self._taking: dict[tuple, list[str]] = {}  # those a call's arguments may bind
        self._indexed_libraries = 0
        self._sync()

    def _sync(self) -> None:
        """Index the summaries ``source`` gained since (another index may reach them)."""
        summaries = self.source.summaries
        if len(summaries) != self._indexed:
            for summary in summaries[self._indexed :]:
                self._add(summary)
            self._indexed = len(summaries)
        libraries = self.source.library_modules
        if self.libraries and len(libraries) != self._indexed_libraries:
            for summary in list(libraries.values())[self._indexed_libraries :]:
                self._add(summary)
            self._indexed_libraries = len(libraries)

    def with_libraries(self) -> ProjectIndex:
        """An index over the same modules that also reads installed packages' classes
        (whose internal names the catalogue does not know)."""
        return ProjectIndex(self.source, libraries=True, catalogue=self.catalogue)

    def replace(self, summary: ModuleSummary) -> None:
        """Read ``summary``'s functions and classes in place of those its module's summary
        in ``source`` gave (the module analysed again, knowing more)."""
        self._add(summary)

    def _add(self, summary: ModuleSummary) -> None:
        read_defined(summary, self._functions, self._classes)

    def _ensure(self, qualname: str, libraries: bool = True) -> None:
        """Summarise the pending module (or, for an index with libraries, the installed
        package's module) that ``qualname`` lies in, if any (once per name: the lookups of
        a name read only its own module's summary)."""
        key = (qualname, libraries)
        if key in self._ensured:
            return
        self._ensured.add(key)
        self.source.reach(qualname, libraries and self.libraries)
        self._sync()

    def function(self, qualname: str) -> tuple[ModuleSummary, FunctionSummary] | None:
        """The summary of project function ``qualname`` and of the module defining it."""
        self._ensure(qualname, libraries=False)
        found = self._functions.get(qualname)
        if found is not None and found[1].decorator is not None:
            found = self._functions[qualname] = self._decorated(qualname, found)
        return found

    def _decorated(
        self, qualname: str, found: tuple[ModuleSummary, FunctionSummary]
    ) -> tuple[ModuleSummary, FunctionSummary]:
        """Function ``qualname``'s summary as its decorator, another module's, makes it: a
        coroutine function when the decorator runs what it wraps in a worker thread
        (``FunctionSummary.thread_decorator``). Decorators that decorate each other (two
        modules importing each other) end where the first is met again: undecorated."""
        summary, function = found
        plain = replace(function, decorator=None)
        self._functions[qualname] = (summary, plain)
        target = self.called(function.decorator)
        decorator = self.function(target)
        if decorator is None:
            threads = self._library_thread_decorator(target)
        else:
            threads = decorator[1].thread_decorator
        return summary, replace(plain, is_async=True) if threads else plain

    def _library_thread_decorator(self, qualname: str) -> bool:
        """Whether ``qualname`` is an installed library's decorator that runs what it wraps
        in a worker thread (``ModuleSummary.thread_decorators``), through re-exports."""
        for _ in range(_MAX_STEPS):
            self.source.reach(qualname)
            module, _, name = qualname.rpartition(".")
            found = self.source.library_modules.get(module)
            if found is None or qualname in found.thread_decorators:
                return found is not None
            qualname = found.names.get(name, qualname)
            if qualname.rpartition(".")[0] == module:
                return False
        return False

    def coroutine(self, callee: str) -> str | None:
        """The project coroutine a call site's ``callee`` runs (``called``), if it is one."""
        target = self.called(callee)
        found = self.function(target)
        return target if found is not None and found[1].is_async else None

    def coroutines(
        self, callee: str, site: CallSite | None = None, path: str | None = None
    ) -> list[str]:
        """The project coroutines a call site's ``callee`` may run: the one it names, or,
        for a duck-typed call (``duck_calls``) or a method called on an instance's attribute
        its class gives no type (``self.ledger.peek()``: ``untyped``), each coroutine
        method of that name of the project's classes (of the modules that may run beside
        the caller's, at ``path``: ``ModuleSummaries.meeting``), those whose parameters
        cannot take what the call ``site`` passes left out (``duck_calls.takes``; none
        left: what runs is not the project's)."""
        method = duck_method(callee)
        if method is None:
            found = self.coroutine(callee)
            head, _, name = callee.rpartition(".")
            if found or not self.untyped(head):
                return [found] if found else []
            method = name
        side = self.source.side(path) if path else None
        if side not in self._by_name:  # every module that defines a coroutine is summarised
            self._by_name[side] = self._methods_by_name(True, side)
        candidates = self._by_name[side].get(method, [])
        if site is None or site.positional < 0:
            return candidates
        key = (method, site.positional, site.keywords, side)  # thousands of sites
        if key not in self._taking:
            self._taking[key] = [c for c in candidates if self._takes(c, method, site)]
        return self._taking[key]

    def sync_methods(self, method: str, path: str | None = None) -> list[str]:
        """The sync methods named ``method`` of the project's classes (of the modules that
        may run beside the caller's, at ``path``, as ``coroutines``): the pending modules
        whose text defines a function of that name are summarised first (a module that
        defines no coroutine is summarised only when reached)."""
        key = (method, self.source.side(path) if path else None)
        if key not in self._sync_named:
            self.source.naming([f"def {method}("])
            found = self._methods_by_name(False, key[1], method)
            self._sync_named[key] = found.get(method, [])
        return self._sync_named[key]

    def _methods_by_name(
        self, coroutines: bool, side: Side | None, name: str | None = None
    ) -> dict[str, list[str]]:
        """The coroutine methods (``coroutines``) or sync methods of the classes of the
        modules summarised so far that may run beside a module of ``side``
        (``ModuleSummaries.meeting``), by name (only those named ``name``, when given)."""
        by_name = defaultdict(list)
        summaries = self.source.meeting(side, self.source.summaries)
        classes = (c for summary in summaries for c in summary.classes.items())
        for cls, found in classes:
            for method, is_async in found.methods.items():
                if is_async is coroutines and name in (None, method):
                    by_name[method].append(f"{cls}.{method}")
        return by_name

    def _takes(self, candidate: str, method: str, site: CallSite) -> bool:
        """Whether coroutine method ``candidate`` (named ``method``) may be what duck-typed
        call ``site`` runs: its ``def`` takes the call's arguments, or a decorator may
        change what it takes."""
        cls = self.cls(candidate[: -len(method) - 1])
        if cls is None or method in cls.loose:
            return True
        return takes(cls.signatures.get(method), site.positional, site.keywords)

    def untyped(self, qualname: str) -> bool:
        """Whether ``qualname`` names an attribute of a project class's instances that the
        class gives no type nor defines a method of that name (``Keeper.ledger`` for
        ``self.ledger = ledger`` of an untyped parameter): it may hold any object. (Its
        class is known once ``normalize`` has passed it: no module is summarised for this.)"""
        cls, _, attribute = self.normalize(qualname).rpartition(".")
        if cls not in self._classes or self.owner(cls, attribute) is not None:
            return False
        return self.attribute(cls, attribute) is None

    def awaited(self, qualname: str) -> list[str]:
        """The project coroutines that coroutine ``qualname`` awaits (not hands a thread)."""
        return [coroutine for _, coroutine in self.awaited_as(qualname)]

    def awaited_as(self, qualname: str) -> list[tuple[CallSite, str]]:
        """Each project coroutine that coroutine ``qualname`` awaits, with its call site
        (shown ``self.load`` in its module): each one a duck-typed call may run."""
        summary, function = self.function(qualname)
        return self.awaited_at(function.sites, summary.path)

    def awaited_at(self, sites: Iterable[CallSite], path: str) -> list[tuple[CallSite, str]]:
        """``awaited_as``' of call ``sites`` (a run's, ``project.deferred``) of a coroutine
        of the module at ``path``."""
        return [
            (s, c)
            for s in sites
            if s.awaited and not s.bridged
            for c in self.coroutines(s.callee, s, path)
        ]

    def cls(self, qualname: str) -> ClassSummary | None:
        """The summary of class ``qualname``."""
        self._ensure(qualname)
        return self._classes.get(qualname)

    def module(self, qualname: str) -> ModuleSummary | None:
        self._ensure(qualname)
        found = self.source.modules.get(qualname)
        if found is None and self.libraries:
            return self.source.library_modules.get(qualname)
        return found

    def global_name(self, module: str, name: str) -> tuple[str, str]:
        """The project global that ``name`` of ``module`` is, as (module, name), through
        re-exports: ``pkg``'s ``LEDGER`` of ``from pkg.store import LEDGER`` is
        ``pkg.store``'s; an object taken for a module (``pkg.LEDGER``'s ``count``) gives
        the global holding it. A module named through a namespace package above it
        (``pk.server`` of ``pk/server/__init__.py`` without ``pk/__init__.py``) is known by
        its own name (``ModuleSummaries.namespaced``), not taken for ``pk``'s ``server``."""
        for _ in range(_MAX_STEPS):
            module, summary = self._own_module(module)
            if summary is None and "." in module:
                module, _, name = module.rpartition(".")
                continue
            if summary is None or name in summary.instances or name not in summary.names:
                break
            owner, _, attribute = summary.names[name].rpartition(".")
            owner, found = self._own_module(owner) if owner else (owner, None)
            if found is None:
                break
            module, name = owner, attribute
        return module, name

    def _own_module(self, name: str) -> tuple[str, ModuleSummary | None]:
        """Module ``name`` by the name the project's index knows it by, and its summary
        (None: no module has that name, also through a namespace package)."""
        summary = self.module(name)
        own = None if summary is not None else self.source.namespaced(name)
        return (name, summary) if own is None else (own, self.module(own))

    def normalize(self, qualname: str, depth: int = 0) -> str:
        """Rewrite ``qualname`` through re-exports, attribute types and return types.

        ``pkg.api.CLIENT.chat.create`` becomes ``groq.Groq.chat.create`` when module
        ``pkg.api`` binds ``CLIENT = Groq()``; ``pkg.make().call`` becomes
        ``pkg.breaker.Breaker.call`` when ``make`` is annotated ``-> Breaker``.
        """
        if depth > _MAX_STEPS:
            return qualname
        known = self._normalized.get(qualname)
        if known is None:
            known = self._normalized[qualname] = self._normalize(qualname, depth)
        return known

    def called(self, qualname: str, depth: int = 0) -> str:
        """What a call of ``qualname`` runs: what ``normalize`` makes of it, or, when it
        names a module-level instance (``_ = Translator(...)``, maybe imported elsewhere),
        its class's ``__call__`` (asked once a name: the bench corpus's judge asks ~60,000
        times for ~19,000)."""
        if depth == 0:
            known = self._called.get(qualname)
            if known is None:
                known = self._called[qualname] = self._call_of(qualname, 0)
            return known
        return self._call_of(qualname, depth)

    def _call_of(self, qualname: str, depth: int) -> str:
        module, _, name = qualname.rpartition(".")
        summary = self.module(module) if module else None
        if summary is None or name not in summary.names or depth > _MAX_STEPS:
            return self.normalize(qualname)
        if name in summary.instances:
            return self.normalize(f"{summary.names[name]}.__call__")
        return self.called(summary.names[name], depth + 1)

    def _normalize(self, qualname: str, depth: int) -> str:
        parts = qualname.split(".")
        head, rest = self._module_head(parts)
        after = None  # the class whose ``super()`` the next segment is looked up on
        for segment in rest:
            called = segment.endswith("()")
            if segment == ENTERED and (entered := self._entered(head, depth)) is not None:
                head = entered
                continue
            if segment == SUPER and self.cls(head) is not None:
                after = head
                continue
            if after is not None:
                head, after = self._after(after, segment.removesuffix("()"), depth), None
            else:
                head = self._member(head, segment.removesuffix("()"), depth)
            if called:
                head = self._returned(head, depth)
        return self._returned(head, depth) if head.endswith("()") else head

    def _entered(self, head: str, depth: int) -> str | None:
        """What ``with`` binds for an instance of class ``head``: what the ``__enter__`` of
        its hierarchy returns, as the summary of the class defining it says (nothing said:
        the instance itself); None when no class of it defines one."""
        if head.endswith("()"):
            head = self._returned(head, depth)
        owner = self.cls(head) and self.owner(head, "__enter__")
        if not owner:
            return None
        entered = self._classes[owner].attributes.get(ENTERED)
        if entered is None:
            return head
        return self.normalize(entered, depth + 1) if entered else f"{head}.{ENTERED}"

    def known_name(self, qualname: str) -> str:
        """``qualname`` with the module it starts with named as the index knows it
        (``_module_head``: ``pk.server.util.LOG`` is ``server.util.LOG``), and, that module
        the project's, the name after it by the global it is (``global_name``: ``pool.ITEMS``
        of ``pool``'s ``from pool.store import ITEMS`` is ``pool.store.ITEMS``)."""
        known = self._own.get(qualname)
        if known is None:
            head, rest = self._module_head(qualname.split("."))
            if rest and self.source.is_module(head):
                head, rest[0] = self.global_name(head, rest[0])
            known = self._own[qualname] = ".".join([head, *rest])
        return known

    def local_names(self, summary: ModuleSummary, qualified: str) -> list[str]:
        """How the functions of module ``summary`` name state ``qualified``
        (``qualified_state``): its global whole when the state is its own, else through
        each name it imports the state under, or a module holding it (``helpers.COUNT``,
        ``ledgers.LEDGER.count``, ``LEDGER.count``), in the order it imports them; none when
        it imports none. Modules are named as the index knows them (``known_name``:
        ``pk.helpers`` of the namespace package ``pk`` is ``helpers``), on both sides."""
        for named in (qualified, self.known_name(qualified)):
            if named.startswith(f"{summary.module}."):
                return [named[len(summary.module) + 1 :].partition(".")[0]]
        qualified = self.known_name(qualified)
        imports = self._imports(summary)
        ends = [at for at, char in enumerate(qualified) if char == "."] + [len(qualified)]
        found = sorted(
            (order, alias + qualified[end:])
            for end in ends
            for order, alias in imports.get(qualified[:end], ())
        )
        return [name for _, name in found]

    def _imports(self, summary: ModuleSummary) -> dict[str, list[tuple[int, str]]]:
        """The names module ``summary`` imports (not its instances) by their targets as the
        index knows them, each (its place among its names, the name); made once a summary
        (a module with many imports asks for every state its helpers write)."""
        cached = self._imported.get(summary.module)
        if cached is None or cached[0] is not summary.names:
            by_target = defaultdict(list)
            for order, (alias, target) in enumerate(summary.names.items()):
                if alias not in summary.instances:
                    by_target[self.known_name(target)].append((order, alias))
            cached = self._imported[summary.module] = (summary.names, by_target)
        return cached[1]

    def _module_head(self, parts: list[str]) -> tuple[str, list[str]]:
        """The deepest known module that leading ``parts`` name, by the name the index
        knows it by (``pk.server.util`` through the namespace package ``pk``:
        ``server.util``, ``ModuleSummaries.namespaced``), and the parts after it; no
        module named: the first part, and the others."""
        for end in range(len(parts), 1, -1):
            name = ".".join(parts[:end])
            if self.source.is_module(name, self.libraries):
                return name, parts[end:]
        for end in range(len(parts), 1, -1):
            own = self.source.namespaced(".".join(parts[:end]))
            if own is not None:
                return own, parts[end:]
        return parts[0], parts[1:]

    def _after(self, cls: str, name: str, depth: int) -> str:
        """``name`` as ``super()`` in a method of project class ``cls`` finds it: the
        method of the first class after ``cls`` in its method resolution order that
        defines it, or, one of a library or unknown coming first, looked up there."""
        found = self.first_after(cls, lambda c: name in self._methods(c))
        if found is None:
            return f"{cls}.{SUPER}.{name}"
        return (
            f"{found}.{name}" if self.cls(found) else self.normalize(f"{found}.{name}", depth + 1)
        )

    def _member(self, head: str, name: str, depth: int) -> str:
        if head.endswith("()"):
            head = self._returned(head, depth)
        module = self.module(head)
        if module is not None and name in module.names:
            return self.normalize(module.names[name], depth + 1)
        if self.cls(head) is not None:
            owner = self.owner(head, name)
            if owner is not None:
                return f"{owner}.{name}"
            attribute = self.attribute(head, name)
            if attribute is not None:
                return self.normalize(attribute, depth + 1)
        return f"{head}.{name}"

    def _returned(self, head: str, depth: int) -> str:
        """The class a call to ``head`` (``x()`` or ``x``) returns, when known."""
        callee = head.removesuffix("()")
        if self.cls(callee) is not None:
            return callee
        found = self.function(callee)
        if found is not None and found[1].returns:
            return self.normalize(found[1].returns, depth + 1)
        returned = self._fact("call", callee)
        return f"{callee}()" if returned is None else self.normalize(returned, depth + 1)

    def _known(self) -> dict[str, ClassSummary]:
        self._sync()
        return self._classes

    def _bases(self, cls: str) -> list[str] | None:
        summary = self.cls(cls)
        if summary is None:
            return None
        bases = [self.normalize(b) for b in summary.bases]
        proxied = self._fact("proxies", cls)
        return bases if proxied is None else [*bases, self.normalize(proxied)]

    def owner(self, cls: str, method: str) -> str | None:
        """The class in ``cls``'s hierarchy that defines ``method``."""
        found = member(self.mro(cls), self._methods, method)
        return None if found is None else found[0]

    def constructor(self, qualname: str) -> str | None:
        """The ``__init__`` (of its hierarchy) that a call of project class ``qualname`` runs."""
        if self.cls(qualname) is None:
            return None
        owner = self.owner(qualname, "__init__")
        return None if owner is None else f"{owner}.__init__"

    def is_coroutine_method(self, cls: str, method: str) -> bool | None:
        found = member(self.mro(cls), self._methods, method)
        return None if found is None else found[1]

    def signature(self, cls: str, method: str) -> str | None:
        """The parameters of ``method`` as ``cls``'s hierarchy defines it."""
        owner = self.owner(cls, method)
        return None if owner is None else self._classes[owner].signatures.get(method)

    def extends(self, cls: str, method: str) -> bool:
        """Whether ``method`` as ``cls``'s hierarchy defines it runs its base's method of its
        name (``ClassSummary.extends``)."""
        owner = self.owner(cls, method)
        return owner is not None and method in self._classes[owner].extends

    def in_thread(self, cls: str, coroutine: str) -> str | None:
        """The instance's sync code ``coroutine`` runs in a worker thread, for an instance
        of ``cls`` (``deblock.analysis.threaded_twins``)."""
        owner = self.owner(cls, coroutine)
        if owner is None:
            return None
        facts = self._classes[owner].in_thread.get(coroutine, ())
        return threaded_code(facts, partial(self.owner, cls), owner)

    def is_library(self, cls: str) -> bool:
        """Whether class ``cls`` was read from an installed package."""
        return self.source.is_library(cls)

    def _methods(self, cls: str) -> dict[str, bool]:
        return self._classes[cls].methods

    def attribute(self, cls: str, name: str) -> str | None:
        """The type ``cls``'s hierarchy declares for attribute ``name`` (the nearest)."""
        found = member(self.mro(cls), lambda c: self._classes[c].attributes, name)
        if found is not None:
            return found[1]
        return next(
            (t for c in self.mro(cls) if (t := self._fact("attribute", f"{c}.{name}"))), None
        )

    def _fact(self, kind: str, qualname: str) -> str | None:
        """The catalogue's type fact of ``kind`` (see ``Catalogue.facts_in``) about
        ``qualname`` as this index names it: an index that reads the library knows the
        catalogue's ``django.db.models.Model`` as ``django.db.models.base.Model``."""
        root = qualname.partition(".")[0]
        facts = self._facts.get(root)
        if facts is None:
            facts = self._facts[root] = {}
            for fact_kind, target, value in self.catalogue.facts_in(root):
                owner, _, name = target.rpartition(".")
                named = self.normalize(target if fact_kind == "proxies" else owner)
                facts[fact_kind, named if fact_kind == "proxies" else f"{named}.{name}"] = value
        return facts.get((kind, qualname))


def read_again(
    source: ModuleSummaries, again: dict[str, ModuleSummary] | None
) -> tuple[ProjectIndex, list[ModuleSummary]]:
    """An index of ``source`` that reads ``again``'s summaries (by path: modules analysed
    again knowing which names they enter are other modules' asyncio locks or managers that
    never suspend, ``ordered_locks``) in place of their first ones, and the summaries so
    read: ``source``'s own list when there are none (live: the modules the index reaches
    join it)."""
    index = ProjectIndex(source)
    if not again:
        return index, source.summaries
    for summary in again.values():
        index.replace(summary)
    return index, [again.get(summary.path, summary) for summary in source.summaries]
