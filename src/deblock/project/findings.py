"""Project-wide findings: judge the call sites a single module could not."""

from __future__ import annotations

from deblock.analysis import AnalysisOptions
from deblock.analysis.awaited_parameters import awaited_through
from deblock.analysis.fix_shapes import site_shape
from deblock.analysis.lazy_uses import ELSEWHERE, WALKS
from deblock.analysis.project_bridge import project_bridge
from deblock.analysis.summary import CallSite, ModuleSummary
from deblock.analysis.twins import (
    awaited_twin,
    no_twins,
    reaches,
    starts_tasks_on_the_loop,
    swap_hazard,
    twin_entry,
    unpaired_override,
)
from deblock.analysis.worded_findings import make_finding
from deblock.findings import Finding, decline
from deblock.library.learning import Learned, async_counterpart
from deblock.project.chains import BlockingChains
from deblock.project.index import ProjectIndex
from deblock.project.loop_bound import loop_chain, loop_reason
from deblock.project.made_receivers import made_for_the_call
from deblock.project.site_kept import SiteKept
from deblock.project.summaries import ModuleSummaries
from deblock.rules import catalogue_with
from deblock.rules.model import Blocking
from deblock.rules.resources import (
    NOT_THREAD_SAFE,
    READS,
    RESOURCE_OF_CODE,
    THREAD_AFFINE,
    resource_of,
)
from deblock.rules.twins import TWIN_CALLS

# Why a call the project pass finds on a thread-affine object gets no fix: it has no
# sections, so the call would be bridged on its own.
_ALONE = "a call found across modules would be bridged on its own"
# Why a call of a project function that returns a walk gets no fix (listed in the thread).
_PRUNED = (
    "it returns a directory walk, which the caller's loop may prune: a walk listed in a"
    " thread would not see that"
)
# Why a call of a project function that makes or uses a thread-affine object gets no fix.
_HELD = (
    "`{name}` makes or uses one that the program goes on using after it: the fix would run"
    " it in a worker thread, the rest elsewhere"
)
# Marks an entry judged for its caller alone (a call its own coroutine twin reaches): not
# cached as harmless for the other callers of the same method.
_CALLER_BOUND = "caller_bound"
# Why a call on a shared resource that the project pass finds gets no safe fix.
_OUTSIDE = (
    "touches {resource}: found across modules, it would be bridged on its own, outside the"
    " sections that keep the module's calls on it atomic and their lock"
)

# Why a call on a shared object that two threads must not use at once (a global's, an
# instance's attribute), found by the project pass, gets no safe fix (the module's own calls
# on such an object move in sections, under their lock).
_SHARED_OBJECT = (
    "`{receiver}` may be shared by other calls (a global's, an attribute's, a parameter's or"
    " a getter's), and two threads must not use it at once: found across modules, it would"
    " be bridged on its own, outside the sections that keep the calls on it one at a time"
    " and their lock"
)


def project_findings(
    source: ModuleSummaries,
    options: AnalysisOptions | None = None,
    on_loop: list[Finding] | None = None,
    handed: list[Finding] | None = None,
) -> list[Finding]:
    """Findings that need more than one module: transitive blocking, twins, bridges.

    Pending modules of ``source`` are summarised as call sites reach into them; so are
    installed packages' modules when ``source`` has libraries (their classes' coroutine
    twins, async classes, and the project's subclasses of them). ``on_loop``, if given,
    receives the calls of project classes whose ``__init__`` touches a resource (not
    reported), the calls on a resource found here (their safe fixes declined), and the
    project calls once more for each resource they touch beyond the one their finding names:
    left on the event loop beside the fixes' threads, which their module's lock does not
    serialise with them (``shared_io``). ``handed``, if given, the module pass's findings
    on calls handed to another module's coroutine, is left holding those it awaits as
    handed (``awaited_through``; the module pass's rule for its own coroutines): they are
    no findings.
    """
    options = options or AnalysisOptions()
    catalogue = catalogue_with(options.extend_blocking_calls)
    source.prefetch()
    index = ProjectIndex(source, catalogue=catalogue)
    awaited = _awaited(source.summaries)
    judge = _SiteJudge(index, catalogue, dict(options.async_twins), awaited, SiteKept(options))
    if handed:
        # awaited untested only, as in the module pass: its receiver's class is known
        handed[:] = [f for f in handed if awaited_through(f, judge.awaiters, lambda _: False)]
    findings = []
    for summary in list(source.summaries):
        bridge = project_bridge(summary.names, options.thread_bridge)
        for caller, function in summary.functions.items():
            whole = {(s.line, s.col) for s in function.sites if s.iterated and not s.unfixable}
            found = [
                judge.judge(site, summary.path, caller, (site.line, site.col) in whole)
                for site in function.sites
            ]
            if on_loop is not None:
                made = [
                    judge.made(s, summary.path)
                    for s, f in zip(function.sites, found, strict=True)
                    if not f
                ]
                calls = [f for f in (*made, *found) if f is not None and f.chain]
                on_loop += [finding for finding in made if finding is not None]
                on_loop += [_on_resource(f) for f in found if f and f.code in RESOURCE_OF_CODE]
                on_loop += [also for f in calls for also in judge.other_resources(f)]
            found = [f._replace(bridge=bridge) if bridge else f for f in found if f is not None]
            for span in function.segments:  # the runner keeps their twin calls apart
                for i, finding in enumerate(found):
                    if finding.code in TWIN_CALLS and span[0] <= finding.line <= span[1]:
                        found[i] = finding._replace(segment=span)
            findings += found
    return findings


class _SiteJudge:
    def __init__(
        self,
        index: ProjectIndex,
        catalogue,
        twins: dict,
        awaited: dict[str, str],
        kept: SiteKept,
    ):
        self.index = index
        self.kept = kept  # why an await at a site would change the program
        self.awaited = awaited  # methods the project's coroutines await -> the first place
        self.learned = index.with_libraries()
        self.catalogue = catalogue
        self.twins = _Twins(self.learned, twins)
        # the chains get the twins, not the judge: no reference cycle keeps the run's
        # summaries alive once it is done (the collector is paused during a run)
        self.chains = BlockingChains(index, catalogue, self.twins.of_library_call)
        self._unmade: set[str] = set()  # callees that make no project class that blocks
        self._loop: dict[tuple[str, bool], tuple[str, ...] | None] = {}  # loop_chain's memo
        self._iterated: dict[str, Blocking] | None = None
        # calls that do not block, by what that depends on (the caller weighs only a twin)
        self._harmless: set[tuple] = set()

    def judge(self, site: CallSite, path: str, caller: str, whole: bool = False) -> Finding | None:
        """The finding for a call site of function ``caller``, if it blocks; ``whole``:
        the caller takes what the call returns whole (a loop, a comprehension, ``list``)."""
        call = (
            site.callee,
            site.iterated,
            site.bridged,
            site.awaited_instance,
            site.handed,
            site.falsy,
            site.positional,
            site.keywords,
            site.buffers,
            site.awaited_by,
        )
        if call in self._harmless:  # 40,000 of the bench corpus's 50,000 sites
            return None
        callee = site.callee
        target = self.index.normalize(callee) if site.iterated else self.index.called(callee)
        entry, extra = self._entry(site, target, caller)
        caller_bound = extra.pop(_CALLER_BOUND, False)
        if entry is None:
            if not caller_bound:
                self._harmless.add(call)
            return None
        from deblock.analysis.affinity import affine_kind, affinity_reason

        unfixable = site.unfixable or extra.pop("unfixable", None)
        if site.iterated:
            target = entry.target
        finding = make_finding(entry, target, site.shown, path, site.span, unfixable, **extra)
        finding = site_shape(finding, site.shown, site.awaits)
        finding = self._entering(finding, site, path)
        affine = affine_kind(entry.target, self.catalogue.call_returns)
        if affine is not None and (finding.strategy or finding.unsafe_strategy):
            return decline(finding, affinity_reason(affine, _ALONE), unsafe=False)
        if finding.lazy_result and not (site.iterated or site.entered):  # a lazy result
            why = _PRUNED if self._returns_walk(entry.target) else None if whole else ELSEWHERE
            if why is not None:
                return decline(finding, why)
        looped = finding.chain and loop_chain(self.index, entry.target, site.iterated, self._loop)
        if looped and finding.unsafe_strategy:  # a thread has no running loop
            return decline(finding, loop_reason(site.shown, looped))
        held = finding.chain and self._affine_held(target)
        if held and (finding.strategy or finding.unsafe_strategy):
            why = _HELD.format(name=site.shown)
            return decline(finding, affinity_reason(held, why), unsafe=False)
        resource = resource_of(entry.code, target)
        if resource is not None and finding.strategy is not None:
            return decline(finding, _OUTSIDE.format(resource=resource), unsafe=True)
        unsafe = finding.strategy and target.rpartition(".")[0] in NOT_THREAD_SAFE
        if unsafe and (site.on_shared or not made_for_the_call(self.index, site.callee)):
            receiver = site.shown.rpartition(".")[0]
            return decline(finding, _SHARED_OBJECT.format(receiver=receiver), unsafe=True)
        if unsafe and (server := resource_of(entry.code, target, own=True)) is not None:
            # a client made for the call still talks to the server the module pass weighs
            # for its own clients: two of its calls bridged apart let others' come between
            return decline(finding, _OUTSIDE.format(resource=server), unsafe=True)
        kept = finding.strategy and self.kept.of(path, site)
        if kept:  # unwrapping a bridge (DBK802) is declined outright, not offered as unsafe
            return decline(finding, kept, unsafe=not site.bridged)
        if site.tested and finding.unsafe_fix_only and not finding.declined:
            return decline(finding, site.tested, unsafe=True)  # its reason: what happens
        return finding

    def made(self, site: CallSite, path: str) -> Finding | None:
        """The call of a project class at ``site``, when its ``__init__`` blocks on a
        resource (a file, a database) on some path (``judge`` reports it when it always
        does)."""
        if site.callee in self._unmade or site.iterated or site.bridged or site.handed:
            return None
        if site.awaited_instance:  # ``await Cls()``: an awaitable instance, no constructor
            return None
        target = self.index.called(site.callee)
        init = self.index.constructor(target)
        entry, extra = self._steps(target, init, target) if init else (None, {})
        if entry is None or extra["resource"] is None:
            self._unmade.add(site.callee)
            return None
        finding = make_finding(entry, target, site.shown, path, site.span, None, **extra)
        return self._entering(finding, site, path)

    def other_resources(self, finding: Finding) -> list[Finding]:
        """A project call's ``finding`` once for each resource its chain touches but the one
        it names (the file system before a database), as left on the event loop: a helper
        that lists a folder and then reads and inserts rows through its module's own
        connection touches the database on the loop too, which another module's section
        moving its statements on the database into a thread would run beside."""
        touched = self.chains.touches(finding.target)
        return [
            finding._replace(resource=resource, writes=writes)
            for resource, writes in touched.items()
            if resource != finding.resource
        ]

    def _entering(self, finding: Finding, site: CallSite, path: str) -> Finding:
        """``finding`` at ``site``, with no fix when ``site`` makes the context manager of a
        ``with`` block that must stay on the event loop: its fix moves the block into a
        thread."""
        from deblock.analysis.open_forms import staying

        stays = site.entered and finding.fixable and self.kept.block_stays(path, site)
        return staying(finding, stays) if stays else finding

    def _returns_walk(self, target: str) -> bool:
        """Whether project function ``target`` returns a directory walk as it is."""
        found = self.index.function(target)
        return found is not None and found[1].lazy_return in WALKS

    def _affine_held(self, target: str) -> str | None:
        """The thread-affine class of what project function ``target`` returns, or of an
        attribute of the class it makes or is a method of: made or used in a worker thread,
        it would be used from another thread after."""
        found = self.index.function(target)
        kinds = [found[1].returns] if found else []
        for cls in (target, target.rpartition(".")[0]):
            if self.index.cls(cls) is not None:
                held = (self.index.cls(owner).attributes for owner in self.index.mro(cls))
                kinds += [kind for attributes in held for kind in attributes.values()]
        named = (self.index.normalize(kind) for kind in kinds if kind)
        return next((kind for kind in named if kind in THREAD_AFFINE), None)

    def awaiters(self, callee: str) -> tuple[str, ...]:
        """The parameters (by place and name) project or library coroutine ``callee``
        awaits as it is handed them."""
        target = self.learned.normalize(callee)
        summary = self.learned.module(target.rpartition(".")[0])
        return summary.awaiters.get(target, ()) if summary is not None else ()

    def _may_be_coroutine(self, site: CallSite) -> bool:
        """Whether the method ``site`` calls may be a coroutine: its receiver's class (as
        written, not the base defining the method) is not known, or its hierarchy defines
        it as one. A subclass defining it as one is not enough: an instance of the class
        as written runs its sync method (jupyter_server's tests hand ``ensure_async`` the
        ``get`` of a ``FileContentsManager`` fixture, which is either class)."""
        receiver, _, method = site.callee.rpartition(".")
        cls = self.learned.normalize(receiver)
        return (
            self.learned.cls(cls) is None
            or self.learned.is_coroutine_method(cls, method) is not False
        )

    def _entry(self, site: CallSite, target: str, caller: str) -> tuple[Blocking | None, dict]:
        if site.iterated:
            return self._iteration(site)
        if site.bridged:
            return (Blocking(target, "DBK802") if self._is_coroutine(target) else None), {}
        if site.awaited_instance or awaited_through(site, self.awaiters, self._may_be_coroutine):
            return None, {}
        handed = self._handing(site)
        entry = self.catalogue.blocking(target)
        if entry is not None:
            judged_already = target == site.callee and site.handed is None
            return (None if judged_already or _exempt(entry, site) else entry), handed
        if self.learned.is_library(target) and not _method_of_a_class(target):
            return self._chain(target, site)  # a library's function or class: no twin to learn
        learned_target = self.learned.normalize(site.callee)
        cls, _, method = learned_target.rpartition(".")
        receiver = self.learned.normalize(site.callee.rpartition(".")[0])
        twin = self.twins.entry(learned_target)
        if twin is not None and self._runs_inside(cls, method, twin.async_twin, caller):
            entry, extra = self._chain(target, site)  # judged by the body, for this caller
            return entry, {**extra, _CALLER_BOUND: True}
        if twin is not None and not self._project_pair_differs(cls, method, twin.async_twin):
            twin = twin._replace(target=target)
            hazard = self._swap_hazard(cls, method, twin, caller, receiver, site.keywords)
            loop_bound = starts_tasks_on_the_loop(self.learned.signature(cls, method))
            return twin, {**handed, "hazard": hazard, "loop_bound": loop_bound}
        learned = async_counterpart(self.learned, receiver, method)
        if learned is not None:
            return _counterpart_entry(target, learned)
        return self._chain(target, site)

    def _chain(
        self, target: str, site: CallSite, iterated: bool = False
    ) -> tuple[Blocking | None, dict]:
        callee = site.callee.removesuffix("()") if iterated else site.callee
        receiver = self.index.normalize(callee.rpartition(".")[0])
        written = (site.positional, site.keywords)
        return self._steps(target, target, receiver, iterated, site.falsy, written, site.buffers)

    def _steps(
        self,
        target: str,
        function: str,
        receiver: str | None,
        iterated: bool = False,
        falsy: tuple[str, ...] = (),
        written: tuple[int, tuple[str, ...]] | None = None,
        buffers: tuple[str, ...] = (),
    ) -> tuple[Blocking | None, dict]:
        """The entry of a call of ``target`` that runs sync project ``function``, with its
        chain of blocking calls, if it blocks (given the parameters it passes ``falsy``,
        those it ``written`` and those it hands a ``buffers``: ``BlockingChains.of``)."""
        steps = self.chains.of(function, receiver, iterated, falsy, written, buffers)
        silenced = steps is None and self.chains.silencing  # only through silenced calls?
        if silenced:
            steps = self.chains.of(function, receiver, iterated, falsy, written, buffers, True)
        if steps is None:
            return None, {}
        entry = Blocking(target, "DBK801")
        if iterated:  # the generator's body runs as the ``for`` takes its items
            message = "iterating over `{target}` runs a generator that blocks: {chain}"
            entry = entry._replace(message=message, lazy_result=True)
        elif (found := self.index.function(function)) and found[1].lazy_return:
            entry = entry._replace(lazy_result=True)  # what it returns blocks as it is iterated
        touched = self.chains.touched(function)
        resource, writes = touched if touched else (None, False)
        return entry, {
            "chain": " → ".join(steps),
            "steps": steps,
            "resource": resource,
            "writes": writes,
            "silenced_within": silenced,
        }

    def _iteration(self, site: CallSite) -> tuple[Blocking | None, dict]:
        """A ``for`` over what ``site.callee`` names: a project generator's result (its body
        runs as it is iterated), or an object whose class's iteration blocks."""
        if site.callee.endswith("()"):
            function = self.index.normalize(site.callee.removesuffix("()"))
            found = self.index.function(function)
            if found is not None and found[1].is_generator:
                return self._chain(function, site, iterated=True)
        iterated = self.learned.normalize(site.callee)
        iterations = self._iterations()
        classes = self.learned.mro(iterated) or [iterated]
        entry = next((iterations[c] for c in classes if c in iterations), None)
        if entry is None:
            return None, {}
        return entry._replace(target=f"{iterated}.__iter__"), {}  # fixed as site_shape says

    def _iterations(self) -> dict[str, Blocking]:
        """The catalogue's blocking iterations, by class as the library index names it
        (``django.db.models.QuerySet`` is ``django.db.models.query.QuerySet`` there)."""
        if self._iterated is None:
            self._iterated = {
                self.learned.normalize(entry.target.removesuffix(".__iter__")): entry
                for entry in self.catalogue.entries
                if entry.target.endswith(".__iter__")
            }
        return self._iterated

    def _project_pair_differs(self, cls: str, method: str, twin: str) -> bool:
        """Whether ``cls``'s ``method`` and coroutine ``twin`` are the project's and no
        twins (``no_twins``), or ``method`` is the project's override of a base's whose
        coroutine knows only the base's (``unpaired_override``): the call is judged by the
        method's body instead."""
        owners = self._owners(cls, method, twin)
        if self.learned.is_library(owners[0] or cls):
            return False
        signatures = (self.learned.signature(cls, method), self.learned.signature(cls, twin))
        extends = self.learned.extends(cls, method)
        return no_twins(*signatures) or unpaired_override(owners, extends)

    def _runs_inside(self, cls: str, method: str, twin: str, caller: str) -> bool:
        """Whether the project's coroutine ``twin`` of ``cls``'s ``method`` itself reaches
        the call in ``caller``: it runs ``method`` on the event loop, no evidence that
        ``method`` waits, so the call is judged by the method's body."""
        twin_owner = self.learned.owner(cls, twin)
        if twin_owner is None or self.learned.is_library(twin_owner):
            return False
        return reaches(f"{twin_owner}.{twin}", caller, self._callees)

    def _owners(self, cls: str, method: str, twin: str) -> tuple[str | None, ...]:
        """The classes defining ``method`` and ``twin`` for ``cls``, and the one defining
        ``method`` for the twin's class (``swap_hazard``'s ``owners``)."""
        twin_owner = self.learned.owner(cls, twin)
        return self.learned.owner(cls, method), twin_owner, self.learned.owner(twin_owner, method)

    def _swap_hazard(
        self,
        cls: str,
        method: str,
        twin: Blocking,
        caller: str,
        receiver: str,
        keywords: tuple[str, ...],
    ) -> str | None:
        """Why calling ``cls``'s coroutine twin in ``caller`` would change the program
        (``receiver``: the class of the object called, below ``cls`` or ``cls`` itself;
        ``keywords``: those the call passes)."""
        name = twin.async_twin
        signatures = (self.learned.signature(cls, method), self.learned.signature(cls, name))
        owners = self._owners(cls, method, name)
        twin_owner = owners[1]
        inside = reaches(f"{twin_owner}.{name}", caller, self._callees)
        known = self.learned.owner(receiver, name) is not None
        in_thread = self.learned.in_thread(receiver if known else cls, name)
        awaited_at = None
        if twin_owner is not None and not self.learned.is_library(twin_owner):
            awaited_at = awaited_twin(self.awaited, name, self._owner, twin_owner)
        return swap_hazard(
            method, name, signatures, inside, owners, in_thread, awaited_at, keywords
        )

    def _owner(self, cls: str, method: str) -> str | None:
        """The class defining ``method`` for ``cls`` as a module names it."""
        return self.learned.owner(self.learned.normalize(cls), method)

    def _callees(self, qualname: str) -> list[str]:
        found = self.index.function(qualname)
        if found is None:
            return []
        return [self.index.normalize(callee) for callee in found[1].callees()]

    def _handing(self, site: CallSite) -> dict:
        """What a breaker's ``call`` at ``site`` is handed (``make_finding``): a coroutine
        function, or the project's sync code it runs (the function, or what its lambda
        calls), which ``call_async`` would run in a worker thread, or a lambda that would
        race code on the event loop there (``CallSite.lambda_races``)."""
        if site.handed and self._is_coroutine(site.handed):
            return {"handed_coroutine": True}
        code = site.handed or site.lambda_calls
        if code is None:
            return {"handed_races": site.lambda_races}
        if self._is_coroutine(code):
            return {}
        target = self.index.normalize(code)
        cls, _, method = target.rpartition(".")
        own = self.index.function(target) is not None
        own = own or self.index.is_coroutine_method(cls, method) is False
        return {"handed_code": code if own else None}

    def _is_coroutine(self, target: str) -> bool:
        target = self.index.normalize(target)
        found = self.index.function(target)
        if found is not None:  # an async generator's call gives nothing to await
            return found[1].is_async and not found[1].is_generator
        cls, _, method = target.rpartition(".")
        return self.index.is_coroutine_method(cls, method) is True


def _counterpart_entry(target: str, learned: Learned) -> tuple[Blocking, dict]:
    """DBK602 for a sync method whose coroutine is on the package's async class: the
    call alone cannot be rewritten (the client must be switched)."""
    twin = f"{learned.twin_class}.{learned.twin}"
    message = f"`{{target}}` is synchronous; its package's async class offers `{twin}`"
    reason = f"the coroutine is on another class (`{learned.twin_class}`): switch the client"
    return Blocking(target, "DBK602", message=message, async_twin=twin), {"unfixable": reason}


class _Twins:
    """The coroutine twins of sync methods, as the library index (``learned``) names them."""

    def __init__(self, learned: ProjectIndex, configured: dict):
        self.learned = learned
        self.configured = configured
        self._library_calls: dict[str, str | None] = {}  # of_library_call's, by callee

    def entry(self, learned_target: str) -> Blocking | None:
        """The twin entry of sync method ``learned_target`` (as the library index names it)."""
        cls = learned_target.rpartition(".")[0]
        return twin_entry(
            learned_target,
            lambda name: self.learned.is_coroutine_method(cls, name),
            self.configured,
            lambda name: self.learned.signature(cls, name),
        )

    def of_library_call(self, callee: str) -> str | None:
        """The installed package's method a sync function's call ``callee`` makes, when its
        class offers a coroutine twin (``QuerySet.count``/``acount``): a blocking call
        (asked once a callee: the chains ask 21,637 times for 5,434 on the bench corpus)."""
        if callee not in self._library_calls:
            self._library_calls[callee] = self._library_call(callee)
        return self._library_calls[callee]

    def _library_call(self, callee: str) -> str | None:
        if self.learned.is_library(callee) and not _method_of_a_class(callee):
            return None  # a library's function or class: no twin (its modules stay unread)
        learned_target = self.learned.normalize(callee)
        cls, _, method = learned_target.rpartition(".")
        owner = self.learned.owner(cls, method)
        if owner is None or not self.learned.is_library(owner):
            return None
        return learned_target if self.entry(learned_target) is not None else None


def _method_of_a_class(target: str) -> bool:
    """Whether ``target`` may be a method reached through a class (``pkg.Client.get``,
    ``pkg.Client.chat.create``): a class name before a lowercase last name. Only those
    can have a twin, so a library's other calls never make its modules be read."""
    *path, name = target.split(".")
    return not name[:1].isupper() and any(part[:1].isupper() for part in path)


def _on_resource(finding: Finding) -> Finding:
    """``finding`` with the resource it touches, and whether it writes it (an ``open``
    whose mode is not known writes)."""
    resource = resource_of(finding.code, finding.target)
    return finding._replace(resource=resource, writes=finding.target not in READS)


def _awaited(summaries: list[ModuleSummary]) -> dict[str, str]:
    """The project's methods its coroutines await through a typed receiver (``path:line``
    of the first such call, by the method as written)."""
    awaited: dict[str, str] = {}
    for summary in summaries:
        for function in summary.functions.values():
            for site in function.sites:
                if site.awaited_instance:
                    awaited.setdefault(site.callee, f"{summary.path}:{site.line}")
    return awaited


def _exempt(entry: Blocking, site: CallSite) -> bool:
    """Whether ``site``'s call of catalogued ``entry`` may not block: by what it passes, or,
    where more than that decides, whatever it passes (the module alone judged its values)."""
    if not entry.conditional:
        return False
    if not entry.by_arguments_only or site.positional < 0:
        return True
    return entry.exempt_by_arguments(site.keywords, site.positional)
