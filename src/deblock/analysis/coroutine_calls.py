"""Calls in coroutines judged one by one: a blocking call reported, a project call
left to the project pass as a call site, an iteration that blocks."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import replace

from deblock.analysis.duck_calls import DUCK, duck_callee
from deblock.analysis.exempt_calls import exempt, starts_with
from deblock.analysis.fix_shapes import unwritable
from deblock.analysis.handed_references import handed_references, named_methods, run_whole
from deblock.analysis.handed_streams import handed_buffers
from deblock.analysis.lazy_uses import CONSUMERS, STOPPERS
from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import parents
from deblock.analysis.passed_arguments import falsy_arguments, keyword_names, positional
from deblock.analysis.resolver import bridge_index
from deblock.analysis.scopes import Kind
from deblock.analysis.settled_waits import suspended_before
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.symbols import Obj, Ref, Symbol, first_option
from deblock.analysis.thread_bound import stops_in_thread
from deblock.analysis.twin_swaps import Swap
from deblock.analysis.walker import Candidate, FunctionRecord
from deblock.rules import BY_CODE, blocks_outside_coroutines
from deblock.rules.bridges import PARTIALS, THREAD_BRIDGES
from deblock.rules.model import Blocking
from deblock.rules.resources import HANDED_CALLERS, METHOD_CALLERS

# A name holding a generator made earlier: the fix lists a call's result in the thread.
_MADE_BEFORE = "the generator was made before this line: list it in a worker thread by hand"
# Builtins that iterate their first argument to its end, and those that may stop early (a
# fix that lists it whole would do more than they do: they get none).
_CONSUMERS = frozenset(f"builtins.{name}" for name in CONSUMERS)
_EARLY_STOPPERS = frozenset(f"builtins.{name}" for name in (*STOPPERS, "next"))
# Run whole in a thread, they make there every call a lazy result they iterate makes (a
# ``next`` with no default but no fix: ``thread_bound.stops_in_thread``).
_ITERATING = _CONSUMERS | _EARLY_STOPPERS
_ENDLESS = (
    "it returns a stream that waits for more without end: listed whole in a thread it would "
    "never return; iterate it in a worker thread by hand"
)
_THREAD = "to-thread"
_NOT_THREADED = (
    "it is handed by reference, and its fix is not a worker thread: run the call that takes "
    "it in a thread by hand"
)
_LISTED_PROJECT = (
    "the `for` over the lazy result of `{caller}` calls it between its bodies: listing it "
    "first in a thread is built for the catalogue's functions only; run the loop in a "
    "worker thread by hand"
)
_STOPS_EARLY = (
    "it may stop before the end: listing it whole in a thread would run more of it; "
    "run the call that takes it in a thread by hand"
)


class CoroutineCalls:
    """The judge's calls, ``with`` entries and iterations in coroutines."""

    def _in_coroutine(
        self, candidate: Candidate, summary: FunctionSummary, record: FunctionRecord
    ) -> None:
        node = candidate.node
        if candidate.iteration:
            self._iteration(candidate, summary)
            return
        callee = self.resolver.called(node.func, candidate.scope, candidate.reaching)
        # Evidence beats the receiver's declared type: what the call returns is awaited
        # (at once through a typed receiver, or later through the name that holds it), or
        # entered by ``async with`` (through a typed receiver: ``engine.begin()`` is an
        # ``AsyncEngine``'s, whatever the annotation says).
        typed = isinstance(callee, Obj) and callee.qualname not in THREAD_BRIDGES
        handing = self._handing(candidate) if typed else None
        evidence = callee is not None and (
            candidate.awaited_later
            or (
                typed
                and (
                    candidate.awaited
                    or isinstance(candidate.entered, ast.AsyncWith)
                    or self._awaits_handed(handing)
                )
            )
        )
        if handing is not None and not evidence and self._elsewhere(handing[0]):
            self._awaited_elsewhere[id(node)] = handing  # the project pass weighs it
        consumed, early = iterated_argument(node, callee)
        if consumed is not None:
            unfixable = candidate.unfixable or (_STOPS_EARLY if early else None)
            iterated = replace(candidate, node=consumed, unfixable=unfixable)
            if self._judged_as_called(iterated):
                self._iterated_site(iterated, None, summary)
            else:  # what a name holds, or a call that only makes it, iterated as by a ``for``
                self._iteration(iterated, summary)
        if callee is not None and callee.qualname in HANDED_CALLERS:
            self._handed_blocking(candidate, callee.qualname, summary, record)
        if self._creates_generator(callee) or self._makes_catalogued(callee):
            return  # calling a generator method runs none of it; nor does making a cursor
        entry, callee = (None, callee) if evidence else first_option(callee, self._blocking_entry)
        if callee is not None:
            self._callees[node] = self.resolver.defining(callee)
        if evidence:
            self._awaited.setdefault(callee.qualname, f"{self.path}:{node.lineno}")
        if entry is not None:
            if not (
                exempt(entry, candidate, self._prefixed)
                or (entry.unless_suspended and suspended_before(record, node))
                or self._made_in_memory(candidate)
            ):
                self._blocking(entry, callee, candidate, summary, record.qualname)
            return
        index = bridge_index(callee, node.func)
        if index is not None:
            self._bridge(candidate, index, callee, summary)
        elif callee is not None and candidate.awaited and self.resolver.below(callee):
            self._project_site(Ref(f"{DUCK}{callee.path[1:]}"), candidate, summary, True)
        elif callee is not None and maybe_project(callee.qualname):
            self._project_site(callee, candidate, summary, evidence)
        elif callee is None and candidate.awaited and (duck := duck_callee(node.func)):
            self._project_site(Ref(duck), candidate, summary, True)  # the project's, maybe

    def _handed_blocking(
        self, candidate: Candidate, callee: str, summary: FunctionSummary, record: FunctionRecord
    ) -> None:
        """Report each blocking function of the catalogue ``candidate``'s call hands by
        reference to be called (``map(Path.read_text, paths)``), at the call a fix runs whole
        in a thread (``handed_references``)."""

        def consumes(call: ast.Call) -> bool:  # a builtin iterating its first argument
            taker = self.resolver.called(call.func, candidate.scope, candidate.reaching)
            return taker is not None and taker.qualname in _ITERATING

        caller = self.lines.text(candidate.node.func)
        for shown, target in self._handed_targets(candidate.node, callee, candidate):
            entry, target = first_option(target, self._blocking_entry)
            if entry is None and (target is None or not maybe_project(target.qualname)):
                continue
            taker = parents(record.node).get(candidate.node)
            if HANDED_CALLERS[callee].lazy and self._bridged(taker, candidate):
                return  # iterated in the thread
            node, unfixable, listed = run_whole(
                candidate.node, callee, taker, consumes, caller, record.node
            )
            if listed and entry is None:  # a project function's listing is not built
                unfixable = _LISTED_PROJECT.format(caller=caller)
            elif listed:  # its fix lists the lazy result in the thread, as a walk's
                entry = entry._replace(lazy_result=True)
            unfixable = unfixable or stops_in_thread(node)
            if entry is not None and BY_CODE[entry.code].strategy != _THREAD:
                unfixable = unfixable or _NOT_THREADED
            whole = replace(candidate, node=node, unfixable=candidate.unfixable or unfixable)
            if entry is not None:
                self.report(entry, target.qualname, self.lines.text(shown), whole, handed_to=caller)
            else:  # the project's: the project pass judges what it runs, as a call's
                site = self.site(target.qualname, shown, whole)
                site.positional = -1  # called by the library, with arguments not written here
                summary.sites.append(site)

    def _handed_targets(
        self, call: ast.Call, callee: str, candidate: Candidate
    ) -> Iterator[tuple[ast.expr, Symbol | None]]:
        """What ``call`` (of ``callee``, a ``HANDED_CALLERS``' function) hands to be called,
        and what that resolves to: a name or attribute (``Path.read_text``), or a method
        named by a string (``methodcaller("read_text")``) of the elements it calls it with,
        as their declared type says (``paths: list[Path]``); one a lambda or a
        ``functools.partial`` handed there calls (``handed_references``)."""
        where = candidate.scope, candidate.reaching

        def one_of(names: frozenset[str]) -> Callable[[ast.Call], bool]:
            def calls(made: ast.Call) -> bool:
                caller = self.resolver.called(made.func, *where)
                return caller is not None and caller.qualname in names

            return calls

        for reference in handed_references(call, callee, one_of(PARTIALS)):
            yield reference, self.resolver.resolve(reference, *where)
        for made, method, over in named_methods(call, callee, one_of(METHOD_CALLERS)):
            element = self.resolver.element(over, *where)
            yield made, element and element.member(method)

    def _bridged(self, call: ast.AST | None, candidate: Candidate) -> bool:
        """Whether ``call`` (near ``candidate``) is of a thread bridge."""
        if call.__class__ is not ast.Call:
            return False
        bridge = self.resolver.called(call.func, candidate.scope, candidate.reaching)
        return bridge_index(bridge, call.func) is not None

    def hands_blocking(self, made: ast.Call, candidate: Candidate) -> bool:
        """Whether ``made``, the call a thread bridge makes in the thread
        (``BridgedCalls._made_in_thread``), hands, among its arguments, a blocking function of
        the catalogue by reference (``sorted(files, key=os.path.getmtime)``: a key that
        blocks, called in the thread)."""
        handed = [*made.args, *(k.value for k in made.keywords)]
        called = {id(n.func) for a in handed for n in ast.walk(a) if n.__class__ is ast.Call}
        references = (
            n
            for a in handed
            for n in ast.walk(a)
            if n.__class__ in (ast.Name, ast.Attribute) and id(n) not in called
        )
        resolve = self.resolver.resolve
        return any(
            first_option(resolve(n, candidate.scope, candidate.reaching), self._blocking_entry)[0]
            for n in references
        ) or self._hands_callable(made, handed, candidate)

    def _hands_callable(self, made: ast.Call, handed: list[ast.expr], candidate: Candidate) -> bool:
        """Whether ``made`` (handed ``handed``), or a call among what it is handed, is of a
        library function that calls a blocking method it is handed named by a string
        (``sorted(ps, key=methodcaller("stat"))``) or a function of the project
        (``key=helper``, ``map(self.load, ps)``), which this module cannot tell does no I/O
        (``_handed_targets``)."""
        calls = [made, *(n for a in handed for n in ast.walk(a) if n.__class__ is ast.Call)]
        for call in calls:
            callee = self.resolver.called(call.func, candidate.scope, candidate.reaching)
            targets = self._handed_targets(call, callee.qualname, candidate) if callee else ()
            for _, target in targets:
                entry, target = first_option(target, self._blocking_entry)
                if entry is not None or (target is not None and maybe_project(target.qualname)):
                    return True
        return False

    def _handing(self, candidate: Candidate) -> tuple[str, str] | None:
        """The callee of the awaited call the call is handed to as it is, and the place.
        Evidence where a coroutine of the module awaits what it is handed there, untested
        (``awaited_parameters``): ``await local_awaits(conn.execute(q))`` awaits what
        ``conn.execute`` returns, as ``await conn.execute(q)`` does. A coroutine of another
        module is not known here: the project pass weighs it (``Finding.awaited_by``)."""
        outer, place = self._handed_to.get(id(candidate.node), (None, None))
        if outer is None:
            return None
        callee = self.resolver.called(outer.node.func, outer.scope, outer.reaching)
        return None if callee is None else (callee.qualname, place)

    def _awaits_handed(self, handing: tuple[str, str] | None) -> bool:
        """Whether the coroutine of ``handing`` (``_handing``) awaits what it is handed there,
        untested: one of the module's (``awaiters``) or, as the project pass tells, another
        module's (``awaited_there``)."""
        return handing is not None and (
            handing[1] in self.awaiters.get(handing[0], ()) or handing in self.awaited_there
        )

    def _made_in_memory(self, candidate: Candidate) -> bool:
        """Whether the method the call makes is on what a call made in memory returns (its
        entry's ``unless_prefixed`` holds: ``urlopen`` of a ``data:`` URI, whose response
        reads no socket): that call itself, or every binding of the name that reaches it,
        each made in the same scope (``urlopen(uri).read()``, ``r = urlopen(uri)``, ``with
        urlopen(uri) as r``)."""
        func = candidate.node.func if candidate.node.__class__ is ast.Call else None
        receiver = func.value if func.__class__ is ast.Attribute else None
        if receiver.__class__ is ast.Call:
            values = [receiver]
        elif receiver.__class__ is ast.Name and candidate.reaching is not None:
            bindings = candidate.reaching.get(receiver.id, ())
            values = [
                b.expr
                for b in bindings
                if b.kind in (Kind.VALUE, Kind.ENTERED) and b.scope is candidate.scope
            ]
            if not values or len(values) < len(bindings):
                return False
        else:
            return False
        for value in values:
            callee = value.__class__ is ast.Call and self.resolver.called(
                value.func, candidate.scope, candidate.reaching
            )
            entry = callee and self.catalogue.blocking(callee.qualname)
            prefixes = entry.unless_prefixed if entry else ()
            if not (prefixes and starts_with(value, self._prefixed, prefixes)):
                return False
        return True

    def _elsewhere(self, qualname: str) -> bool:
        """Whether ``qualname`` may be a function of another module of the project."""
        return maybe_project(qualname) and not qualname.startswith(f"{self.module}.")

    def _project_site(
        self, callee: Symbol, candidate: Candidate, summary: FunctionSummary, evidence: bool
    ) -> None:
        """Leave the call of project ``callee`` to the project pass (what it runs blocks?);
        ``evidence``: what it returns is awaited."""
        node = candidate.node
        site = self.site(callee.qualname, node.func, candidate)
        handed = self._handed(callee, candidate)
        site.handed = handed and handed.qualname
        site.lambda_calls = None if handed else self._lambda_callee(callee, candidate)
        if site.handed or site.lambda_calls:
            self._runs_handed[node] = site.handed or site.lambda_calls
        site.awaited_instance = evidence
        site.falsy = falsy_arguments(node)
        site.positional = positional(node)
        site.keywords = keyword_names(node)
        site.buffers = handed_buffers(node, self.resolver, candidate)
        site.entered = id(node) in self._entered
        summary.sites.append(site)

    def _iteration(self, candidate: Candidate, summary: FunctionSummary) -> None:
        """A ``for`` over an object whose iteration blocks; or, for the project pass, over
        what a project function returns (a sync generator runs its body as it is iterated)."""
        node = candidate.node
        iterated = self.resolver.resolve(node, candidate.scope, candidate.reaching)
        if isinstance(iterated, Obj):
            target = f"{iterated.qualname}.__iter__"
            entry = self.catalogue.blocking(target)
            if entry is not None:
                self.report(entry, target, self.lines.text(node), candidate)
                return
        self._iterated_site(candidate, iterated, summary)

    def _entering(
        self, candidate: Candidate, summary: FunctionSummary, record: FunctionRecord
    ) -> None:
        """A ``with`` block entering an object a name or an attribute holds, whose
        ``__enter__`` the catalogue says blocks (a redis lock's takes it): reported in a
        coroutine as the call making it in the ``with`` would be (left to the project pass
        when another module's name or function gives it), a step of a sync function's
        blocking."""
        if candidate.nonblocking:
            return
        node = candidate.node
        entered = self.resolver.resolve(node, candidate.scope, candidate.reaching)
        target = entered and f"{entered.qualname}.__enter__"
        entry = self.catalogue.blocking(target) if isinstance(entered, Obj) else None
        shown = f"{self.lines.text(node)}.__enter__"
        if entry is None and record.is_async and target and maybe_project(entered.qualname):
            site = self.site(target, node, candidate)  # what another module's name holds
            site.shown, site.entered = shown, True
            summary.sites.append(site)
        if entry is None:
            return
        if record.is_async:
            self.report(entry, target, shown, candidate)
        elif blocks_outside_coroutines(entry):
            self._sync_io.append((entry.code, target, node, record.qualname))
            summary.blocking.append((target, node.lineno, not candidate.conditional))
            self._note_silenced(entry, target, candidate, summary)

    def _makes_catalogued(self, callee: Symbol | None) -> bool:
        """Whether a call of ``callee`` only makes another object of an API the catalogue
        covers (pymongo's ``find``: a cursor), whose own calls and iteration it judges."""
        return callee is not None and self.catalogue.chains(callee.qualname)

    def _judged_as_called(self, candidate: Candidate) -> bool:
        """Whether iterated ``candidate.node`` is a call whose own site stands for the
        iteration (what it returns, iterated, for the project pass); not a call that only
        makes what does its I/O as it is iterated (``_makes_catalogued``), judged as a
        ``for`` over it is."""
        node = candidate.node
        if not isinstance(node, ast.Call):
            return False
        callee = self.resolver.called(node.func, candidate.scope, candidate.reaching)
        return not self._makes_catalogued(callee)

    def _iterated_site(self, candidate: Candidate, iterated, summary: FunctionSummary) -> None:
        """A call site for the project pass: what a project function returns, iterated."""
        produced = self._produced(candidate, iterated)
        if produced is not None and maybe_project(produced):
            site = self.site(produced, candidate.node, candidate)
            site.iterated = True
            if produced.endswith("()") and not isinstance(candidate.node, ast.Call):
                site.unfixable = site.unfixable or _MADE_BEFORE
            summary.sites.append(site)

    def _produced(self, candidate: Candidate, iterated: Symbol | None = None) -> str | None:
        """What ``candidate.node`` iterates, as the project pass names it: a call's result
        (``pkg.rows()``), a name another module binds (``pkg.ROWS``), or a call's result a
        name holds (``rows = fetch()``: ``pkg.fetch()``); ``iterated``, when resolved
        already."""
        node = candidate.node
        if isinstance(node, ast.Call):
            callee = self.resolver.called(node.func, candidate.scope, candidate.reaching)
            return callee and f"{callee.qualname}()"
        if iterated is None:
            iterated = self.resolver.resolve(node, candidate.scope, candidate.reaching)
        if iterated.__class__ is Obj and not (iterated.cls.endswith("()") and not iterated.path):
            return None  # an instance of a known class: its iteration was judged here
        return iterated.qualname if isinstance(iterated, Ref | Obj) else None

    def _blocking(
        self, entry: Blocking, callee: Symbol, candidate: Candidate, summary, caller: str
    ) -> None:
        """Report a blocking call, with what its fix needs to know."""
        if entry.endless:
            candidate = replace(candidate, unfixable=candidate.unfixable or _ENDLESS)
        shown = self.lines.text(candidate.node.func)
        handed = self._handed(callee, candidate)
        coroutine = self.resolver.is_coroutine(handed) if handed is not None else False
        if coroutine is None and self._same_package(handed.qualname):
            site = self.site(callee.qualname, candidate.node.func, candidate)  # the project pass's
            site.handed = handed.qualname
            strategy = BY_CODE[entry.code].strategy
            why = unwritable(strategy, entry.code, candidate.node, candidate.awaited)
            site.unfixable = site.unfixable or why
            summary.sites.append(site)
            return
        name = callee.qualname.rpartition(".")[2]
        owner = self.resolver.owner(callee.cls, name) if isinstance(callee, Obj) else None
        code = self._handed_code(callee, candidate, handed, coroutine)
        if code is not None:
            self._runs_handed[candidate.node] = code
        if owner is None or entry.async_twin is None:  # a library's twin (the catalogue)
            handing = {"handed_coroutine": bool(coroutine), "handed_code": code}
            self.report(entry, callee.qualname, shown, candidate, **handing)
            return
        twin_owner = self.resolver.owner(callee.cls, entry.async_twin)
        self._swaps.append(
            Swap(
                entry,
                callee,
                shown,
                candidate,
                bool(coroutine),
                code,
                summary,
                caller,
                callee.cls,
                owner,
                twin_owner,
            )
        )


def iterated_argument(call: ast.Call, callee: Symbol | None) -> tuple[ast.expr | None, bool]:
    """What ``call`` iterates as a ``for`` would, if anything: ``list(rows())``,
    ``list(rows)``, ``", ".join(rows())``, and through a generator expression it hands
    over (``sum(1 for _ in rows())``: its first ``for`` runs in the caller's scope); and
    whether it may stop before the end (``any``, ``all``, ``next``)."""
    if not call.args:
        return None, False
    joined = isinstance(call.func, ast.Attribute) and call.func.attr == "join"
    early = callee is not None and callee.qualname in _EARLY_STOPPERS
    if joined and isinstance(call.func.value, ast.Constant) and type(call.func.value.value) is str:
        consumed = call.args[0]
    elif callee is not None and (early or callee.qualname in _CONSUMERS):
        consumed = call.args[0]
    else:
        return None, False
    if isinstance(consumed, ast.GeneratorExp):
        consumed = consumed.generators[0].iter
    if not isinstance(consumed, (ast.Call, ast.Name, ast.Attribute)):
        return None, False
    return consumed, early
