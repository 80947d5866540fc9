"""Judge every call a module makes: findings for coroutines, a summary for the project."""

from __future__ import annotations

import ast
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import partial

from deblock.analysis.async_library import module_library
from deblock.analysis.await_changes import AwaitChanges
from deblock.analysis.awaited_parameters import awaited_parameters, mark_handed_to_awaited
from deblock.analysis.bridge_helpers import bridge_helper
from deblock.analysis.bridged_beside import mark_bridged_beside
from deblock.analysis.bridged_calls import BridgedCalls
from deblock.analysis.buffered_calls import mark_buffered_calls
from deblock.analysis.coroutine_calls import CoroutineCalls
from deblock.analysis.coroutine_runs import CoroutineRuns
from deblock.analysis.decorated import converted_functions, mark_decorators, thread_decorators
from deblock.analysis.entry_points import entry_coroutines, runs_as_program
from deblock.analysis.fix_imports import import_bindings
from deblock.analysis.fix_moves import FixMoves
from deblock.analysis.fix_shapes import fix_shape
from deblock.analysis.free_locks import conditions, entered_names, held_names, mark_free_locks
from deblock.analysis.function_summaries import FunctionSummaries
from deblock.analysis.hand_stepped import steps_coroutines
from deblock.analysis.handed_loops import loop_attributes
from deblock.analysis.inserting_reads import mark_inserting_reads, names_inserting
from deblock.analysis.judged_sections import JudgedSections
from deblock.analysis.kept_calls import SLEEP, KeptCalls
from deblock.analysis.lock_getters import lock_getters
from deblock.analysis.lone_tests import lone_test_lines
from deblock.analysis.loop_thread import LoopThread
from deblock.analysis.model import AnalysisOptions, ModuleReport
from deblock.analysis.module_effects import ModuleEffects, state_names
from deblock.analysis.module_uses import changed_imports, reached_globals, used_globals
from deblock.analysis.modules import beside, module_name
from deblock.analysis.nodes import dotted_name
from deblock.analysis.plain_managers import mark_plain_managers, plain_names
from deblock.analysis.positions import LineIndex, lines_within
from deblock.analysis.process_streams import STREAM_WORDS, ModuleStreams
from deblock.analysis.project_bridge import project_bridge
from deblock.analysis.registrar_readings import at_once_writes, read_both_ways
from deblock.analysis.resolver import Resolver
from deblock.analysis.scopes import Kind, on_instance, on_shared
from deblock.analysis.section_partners import keep_unlocked
from deblock.analysis.sections import SectionPlanner
from deblock.analysis.shared_state import HelperEffects, ModuleState
from deblock.analysis.started_tasks import may_start_tasks
from deblock.analysis.summary import ENTERED, CallSite, ClassSummary, FunctionSummary, ModuleSummary
from deblock.analysis.symbols import Obj, Ref
from deblock.analysis.tested_receivers import mark_tested_sites
from deblock.analysis.thread_bound import Bound
from deblock.analysis.twin_swaps import Swap, TwinSwaps
from deblock.analysis.walker import Candidate, FunctionRecord, ModuleFacts, walk_module
from deblock.analysis.worded_findings import make_finding
from deblock.findings import Finding
from deblock.rules import catalogue_with
from deblock.rules.bridges import BRIDGED_ARGUMENT
from deblock.rules.model import Blocking


def check_module(
    source: str,
    path: str,
    options: AnalysisOptions,
    sites_kept: bool = False,
    locks: frozenset[str] = frozenset(),
    free: frozenset[str] = frozenset(),
    defer: bool = False,
    plain: frozenset[str] = frozenset(),
    awaited: frozenset[tuple[str, str]] = frozenset(),
    inserting: frozenset[str] = frozenset(),
    at_once: frozenset[str] = frozenset(),
) -> ModuleReport:
    """Parse ``source``; report blocking calls in coroutines and summarise the module.
    ``sites_kept``: decide for each call site left to the project pass whether an await
    there would change the program (``CallSite.kept``); the project pass asks it of the
    few modules where a finding at a site has a safe fix (``project.site_kept``), and
    tells ``locks``: the names of other modules' ``asyncio.Lock`` objects the module enters
    (``ModuleSummary.locks``, ``project.ordered_locks``) and ``free``: those no module's
    holder waits on (``ModuleSummary.held``), and ``plain``: the names of other modules'
    managers it enters that never suspend (``ModuleSummary.plain_managers``). ``defer``: a
    module without findings leaves its coroutines' runs and its writes of the standard
    streams to be made when the project pass asks (``ModuleSummary.deferred``).
    ``awaited``: the callees and places at which another module's coroutine awaits what a
    coroutine of this one hands it (``Finding.awaited_by``; the project pass tells).
    ``inserting``: the other modules' globals it reaches that hold a container whose item
    read inserts (``project.inserting_globals``). ``at_once``: the exit registrars' names on
    receivers of unknown type to read as calling what they are handed at once (the module
    analysed again by itself, ``registrar_readings``)."""
    tree = _parse(source, path)
    module = module_name(path)
    facts, judge = _walked(tree, source, path, module, options, partial(beside, path), inserting)
    judge.at_once = at_once
    made_as = partial(judge._name_of, scope=facts.scope)
    mark_plain_managers(facts, judge._type_of, plain, judge.resolver)  # first: locks may hold one
    mark_free_locks(tree, facts, judge._type_of, made_as, locks, free)
    judge.suspended = sorted(
        (n.lineno, n.col_offset) for r in facts.functions for n in r.suspensions
    )
    judge.imported = {
        name: bindings[-1].qualname
        for name, bindings in facts.scope.bindings.items()
        if bindings[-1].kind is Kind.IMPORT
    }
    judge.context_attributes = facts.context_attributes
    judge.thread_locals = _names_thread_local(judge.imported, facts.name_attributes)
    names, instances = judge.module_names(facts)
    judge.data = set(changed_imports(facts.changed_names, names)) & judge.imported.keys()
    summary = ModuleSummary(path, facts.scope.qualname, names, instances=instances)

    name_of = judge.name_in
    summary.locks = entered_names(facts, name_of, judge._type_of)
    summary.getters, summary.relays = lock_getters(facts, judge._type_of)
    summary.held = held_names(facts, name_of, made_as)
    summary.conditions = tuple(conditions(facts, made_as).items())
    summary.plain_managers = plain_names(facts, path, judge.resolver)
    summary.awaiters = judge.awaiters = awaited_parameters(facts)
    judge.awaited_there = awaited
    for record in facts.functions:
        summary.functions[record.qualname] = judge.function(record)
    judge.functions = summary.functions
    mark_decorators(source, facts, summary.functions, judge.resolver)
    summary.bridges = judge.bridge_helpers(facts)
    judge.drop_private_io(facts)
    judge.note_helper_effects(facts)
    judge.note_state_writes(facts, summary.functions)
    summary.threaded, summary.common = judge.threaded_io(facts, summary.names)
    summary.program = runs_as_program(tree)
    summary.tests = lone_test_lines(tree, path, source, facts.functions)
    judge.settle_swaps(summary.functions)
    judge.segments(facts, summary.functions)
    judge.settle_bridges()
    streams = ModuleStreams(
        facts.functions, tree, facts.scope, summary.module, judge.imported, judge.lines
    )
    judge.sections(facts, summary.tests, streams)
    judge.keep_unproven_delays()
    summary.classes = judge.classes(facts)
    judge.sort_findings()
    judge.keep_iterated_calls()
    _mark_nested(judge.findings)
    planned = list(judge.findings)
    judge.keep_frame_bound_arguments()
    judge.keep_late_reads(facts)
    judge.keep_racing_lambdas(facts, summary.functions)
    mark_tested_sites(facts.functions, summary.functions, judge.suspended, judge._span)
    mark_handed_to_awaited(facts, summary.functions, judge._span)
    judge.mark_blocks_that_stay(facts)
    judge.keep_calls_an_await_would_change(tree, facts, summary.functions, sites_kept)
    judge.mark_moved_sites(facts, summary.functions)
    summary.deferred = defer and not judge.findings and not sites_kept
    if not summary.deferred:
        judge.mark_awaited_runs(
            facts, summary.functions, entry_coroutines(tree), dict(summary.conditions)
        )
    judge.settle_clients(tree, facts)
    # a call declined since the sections were planned stays on the loop beside them
    judge.findings = keep_unlocked(planned, judge.findings, summary.tests)
    own = (summary.module, state_names(facts))
    summary.moved = judge.moved_globals(own, summary.names)
    if not summary.deferred:
        judge.mark_handed_state(facts, summary.functions)
    summary.instances_written = judge.instances_written(facts)
    summary.attributes_written = _attributes_written(facts)
    summary.entered, summary.managers, summary.sides = judge.managers(facts, summary.module)
    summary.reread = judge.reread_globals(own, summary.names)
    summary.beside = judge.read_beside(own, summary.names)
    summary.pairs = judge.read_pairs(own, summary.names)
    summary.handed = judge.handed_state(facts, own, summary.names)
    used = used_globals(facts.functions, own[1])
    handed = judge.handed_writes(facts, own, summary.names)
    summary.reaches = reached_globals(facts, summary.names, own, used, handed)
    summary.streams = judge.moved_streams()
    if not summary.deferred:
        summary.stream_writers = stream_writers(streams, judge.lines)
        if judge.lines.mentions("logging"):
            summary.logged, summary.handlers = streams.logged(), streams.handlers()
    judge.split_declined_sections()
    bridge = project_bridge(summary.names, options.thread_bridge)
    if bridge is not None:
        judge.findings = [f._replace(bridge=bridge) for f in judge.findings]
    library = options.async_library
    if library == "auto":
        asyncio_names = [
            name
            for name, bindings in facts.scope.bindings.items()
            if bindings[-1].kind is Kind.IMPORT and bindings[-1].qualname == "asyncio"
        ]
        library = module_library(source, summary.module, facts.imported_roots, asyncio_names)
    exit_reads = judge.exit_reads()
    facts.release()
    judge.release()
    findings = judge.findings
    if exit_reads and not at_once:
        again = (sites_kept, locks, free, defer, plain, awaited, inserting, exit_reads)
        other = check_module(source, path, options, *again)
        findings = read_both_ways(findings, other.findings, exit_reads)
        summary.at_once = at_once_writes(summary, other.summary, exit_reads)
    binds = import_bindings(source, findings, options.thread_bridge, tree)
    return ModuleReport(findings, library, summary, steps_coroutines(source, tree), binds)


def summarise_classes(source: str, path: str, module: str) -> ModuleSummary:
    """The names and classes of module ``module`` (an installed library's), summarised as
    the project's are; no call is judged. Raises ``SyntaxError``."""
    is_package = path.endswith("__init__.py")
    tree = _parse(source, path)
    facts, judge = _walked(tree, source, path, (module, is_package), AnalysisOptions())
    names, instances = judge.module_names(facts)
    summary = ModuleSummary(path, module, names, {}, judge.classes(facts), instances=instances)
    summary.awaiters = awaited_parameters(facts)
    summary.thread_decorators = tuple(sorted(thread_decorators(source, facts, judge.resolver)))
    facts.release()
    return summary


def _parse(source: str, path: str) -> ast.Module:
    """The module's tree, with the type comments of its assignments (``self.conn = None  #
    type: sqlite3.Connection`` declares what an annotation would) when they parse."""
    try:
        return ast.parse(source, filename=path, type_comments=True)
    except SyntaxError:  # a type comment where none may stand
        return ast.parse(source, filename=path)


def _walked(
    tree: ast.Module,
    source: str,
    path: str,
    module: tuple[str, bool],
    options: AnalysisOptions,
    beside: Callable[[str], str | None] | None = None,
    inserting: frozenset[str] = frozenset(),
) -> tuple[ModuleFacts, _Judge]:
    facts = walk_module(
        tree,
        *module,
        _names_a_bridge(source),
        may_start_tasks(source),
        "boto3" in source,
        beside,
    )
    if "setblocking" in source or "settimeout" in source:
        from deblock.analysis.nonblocking import mark_nonblocking_sockets

        mark_nonblocking_sockets(facts)
    if "empty()" in source or "qsize()" in source:
        from deblock.analysis.guarded_gets import mark_guarded_gets

        mark_guarded_gets(facts, tree)
    for record in facts.functions:
        if record.is_async and record.node is not None:
            mark_bridged_beside(record)
    functions = {f.qualname: f for f in facts.functions}
    resolver = Resolver(catalogue_with(options.extend_blocking_calls), facts.classes, functions)
    resolver.converted = converted_functions(source, facts, resolver)
    resolver.own_bridge = options.thread_bridge
    mark_buffered_calls(facts, resolver)
    if inserting or names_inserting(source):
        mark_inserting_reads(facts, resolver, inserting)
    return facts, _Judge(resolver, options, path, LineIndex(source), facts.scope.qualname)


def _names_a_bridge(source: str) -> bool:
    """Whether the module can call a thread bridge: its text names one (Python reads names
    in NFKC form, so a text that is not ASCII is searched in that form). Only then can a
    class of it hand one its instance's code (``threaded_methods``: ~1 CPU-s of the bench
    corpus's cold run, where 119 of the 2,022 modules with ``async`` name a bridge)."""
    if not source.isascii():
        source = unicodedata.normalize("NFKC", source)
    return any(name in source for name in BRIDGED_ARGUMENT)


def _names_thread_local(imported: dict[str, str], name_attributes: Iterable[ast.Attribute]) -> bool:
    """Whether the module can hold thread-local data: it imports ``local`` or
    ``_threading_local``, or names ``threading.local``. Only then are its functions' names
    and attributes typed to find such data (~3 % of the bench corpus's cold run when every
    module that imports ``threading`` was read so, most of them for a lock or a thread)."""
    if "local" in imported or "_threading_local" in imported:
        return True
    return "threading" in imported and any(
        use.attr == "local" and dotted_name(use.value) == "threading" for use in name_attributes
    )


class _Judge(
    FunctionSummaries,
    CoroutineCalls,
    TwinSwaps,
    BridgedCalls,
    ModuleEffects,
    JudgedSections,
    LoopThread,
    CoroutineRuns,
    FixMoves,
    KeptCalls,
    AwaitChanges,
):
    """Decides, call by call, what blocks; collects findings and summary facts. Each
    concern is a mixin of its own module, reading the state made here; the judge keeps
    the module's names and classes, and the findings' record (``report``, ``site``)."""

    def __init__(
        self, resolver: Resolver, options: AnalysisOptions, path: str, lines: LineIndex, module: str
    ):
        self.resolver = resolver
        self.catalogue = resolver.catalogue
        self.twins = dict(options.async_twins)
        self.path = path
        self.lines = lines
        self.module = module
        self.findings: list[Finding] = []
        self._swaps: list[Swap] = []
        self._bound_nodes: dict[str, Bound] = {}  # by coroutine (thread_bound)
        self._awaited: dict[str, str] = {}  # methods its coroutines await -> the first place
        self._bridges: list[tuple[Candidate, ast.expr, str]] = []  # of blocking functions
        self._found: dict[ast.AST, int] = {}  # finding nodes -> their index in findings
        # a call's finding whose node its result's iteration took (``for r in c.execute(q)``)
        self._iterated: dict[ast.AST, int] = {}
        self._sleeps: list[Candidate] = []  # the calls given an async sleep
        self._callees: dict[ast.AST, str] = {}  # calls in coroutines -> what they resolve to
        # a breaker's calls -> the sync function of the project they run (``_handed_code``)
        self._runs_handed: dict[ast.AST, str] = {}
        self._sync_calls: dict[ast.AST, str] = {}  # sync functions' calls of project functions
        self._entered: set[int] = set()  # the context managers of the function's with blocks
        self._prefixed: dict[str, list[tuple[str, int, int]]] = {}  # ``_prefixed``'s
        # the module's coroutines awaiting what they are handed (``awaited_parameters``),
        # and the coroutines' calls handed as they are to an awaited call: the awaited call
        # and the place (``_handing``); those whose awaited call is another
        # module's: its callee and the place (``Finding.awaited_by``)
        self.awaiters: dict[str, tuple[str, ...]] = {}
        self._handed_to: dict[int, tuple[Candidate, str]] = {}
        self._awaited_elsewhere: dict[int, tuple[str, str]] = {}
        self.awaited_there: frozenset[tuple[str, str]] = frozenset()  # those it awaits
        # where the functions suspend (``await``, ``yield``, ...): line, column; in order
        self.suspended: list[tuple[int, int]] = []
        # blocking calls of sync functions (rule code, target, call, function): what they touch
        self._sync_io: list[tuple[str, str, ast.AST, str]] = []
        self._state: ModuleState | None = None  # uses of shared state, once sections are planned
        self._helper_effects: HelperEffects | None = None  # ``_helpers``
        self._sync_accessed: list[tuple[str, tuple[str, str]]] | None = None  # ``_sync_accesses``
        self._planners: list[SectionPlanner] = []  # until their declined sections are split
        # module-level names bound by imports, each with what it names
        self.imported: dict[str, str] = {}
        self.data: set[str] = set()  # of those, another module's data (``changed_imports``)
        self.thread_locals = False  # whether the module can hold thread-local data
        self.context_attributes: set[str] = set()  # the walk's ``ModuleFacts``
        self.functions: dict[str, FunctionSummary] = {}  # the module's, once summarised
        self._prefix = f"{module}."
        self._own: tuple[FunctionRecord, dict] | None = None  # ``_own_parameters``'s
        self._defaults: dict[ast.AST, tuple] = {}  # the module's functions' false defaults

    def module_names(self, facts: ModuleFacts) -> tuple[dict[str, str], list[str]]:
        """Module-level names other modules can import: imports, and typed instances (by
        their class); and which names are those instances (a call of one runs ``__call__``)."""
        names, instances = {}, []
        for name, bindings in facts.scope.bindings.items():
            last = bindings[-1]
            if last.kind is Kind.IMPORT:
                names[name] = last.qualname
            elif last.kind in (Kind.VALUE, Kind.ANNOTATION):
                symbol = self.resolver.resolve_binding(last)
                if isinstance(symbol, Obj):
                    names[name] = symbol.qualname
                    instances.append(name)
                elif isinstance(symbol, Ref) and isinstance(last.expr, ast.Name | ast.Attribute):
                    names[name] = symbol.qualname  # an alias: ``ensure_async = _ensure_async``
        return names, instances

    def bridge_helpers(self, facts: ModuleFacts) -> dict[str, str]:
        """The module's own thread bridges (top-level coroutine functions), with the async
        library each needs."""
        found = {}
        for record in facts.functions:
            if record.is_async and record.qualname == f"{self.module}.{record.node.name}":
                library = bridge_helper(record.node, partial(self._name_of, scope=record.scope))
                if library is not None:
                    found[record.qualname] = library
        return found

    def name_in(self, record: FunctionRecord, expr: ast.expr) -> str | None:
        """The project name ``expr`` has in function ``record`` (``_name_of``)."""
        return self._name_of(expr, record.own_scope)

    def _name_of(self, expr: ast.expr, scope) -> str | None:
        return self.resolver.name_of(expr, scope)

    def classes(self, facts: ModuleFacts) -> dict[str, ClassSummary]:
        summaries = {}
        for qualname, info in facts.classes.items():
            bases = [self.resolver.resolve(b, info.scope.parent) for b in info.bases]
            attributes = {}
            for name, bindings in info.attributes.items():
                symbol = self.resolver.resolve_bindings(bindings)
                if isinstance(symbol, Obj):
                    attributes[name] = symbol.qualname
            if "__enter__" in info.methods:  # what ``with`` binds, when not the instance
                entered = self.resolver.entered(Obj(qualname))
                if entered != Obj(qualname):
                    attributes[ENTERED] = entered.qualname if isinstance(entered, Obj) else ""
            summaries[qualname] = ClassSummary(
                [b.qualname for b in bases if isinstance(b, Ref)],
                dict(info.methods),
                attributes,
                dict(info.signatures),
                info.in_thread,
                tuple(sorted(info.loose)),
                tuple(sorted(info.extends)),
                loop_attributes(info.attributes, self.resolver),
            )
        return summaries

    def _same_package(self, qualname: str) -> bool:
        """Whether ``qualname`` lies in this module's top-level package (another module of
        the project: only the project pass knows it)."""
        return qualname.partition(".")[0] == self.module.partition(".")[0]

    def _type_of(self, record: FunctionRecord) -> Callable[[ast.expr], str | None]:
        """What an expression in ``record``'s body names, or the class it holds an
        instance of (``cls()``), when known."""

        def type_of(expr: ast.expr) -> str | None:
            symbol = self.resolver.resolve(expr, record.own_scope)
            return symbol.qualname if isinstance(symbol, (Ref, Obj)) else None

        return type_of

    def _span(self, node: ast.expr) -> tuple[int, int, int, int]:
        return (
            node.lineno,
            self.lines.char_col(node.lineno, node.col_offset) + 1,
            node.end_lineno,
            self.lines.char_col(node.end_lineno, node.end_col_offset) + 1,
        )

    def site(self, callee: str, shown: ast.expr, candidate: Candidate) -> CallSite:
        node = candidate.node  # ``shown``: what it calls, or hands a thread
        site = CallSite(callee, self.lines.text(shown), *self._span(node), candidate.unfixable)
        site.awaited, site.on_instance = candidate.awaited, on_instance(shown, candidate.instance)
        site.on_shared = on_shared(shown, candidate.scope, candidate.instance)
        start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
        i = bisect_left(self.suspended, start)  # whether it suspends inside: an await
        site.awaits = i < len(self.suspended) and self.suspended[i] < end
        return site

    def sort_findings(self) -> None:
        """Put the findings in line order, keeping which node each one is for."""
        order = sorted(range(len(self.findings)), key=lambda i: _place(self.findings[i]))
        moved = {old: new for new, old in enumerate(order)}
        self.findings = [self.findings[i] for i in order]
        self._found = {node: moved[i] for node, i in self._found.items()}
        self._iterated = {node: moved[i] for node, i in self._iterated.items()}

    def report(
        self, entry: Blocking, target: str, shown: str, candidate: Candidate, **facts
    ) -> None:
        from deblock.analysis.argument_codes import with_argument_code

        span = self._span(candidate.node)
        node = candidate.node
        if isinstance(node, ast.Call) and self.resolver.through_partial(
            node.func, candidate.scope, candidate.reaching
        ):
            facts["through_partial"] = True
        resolve = partial(self.resolver.resolve, scope=candidate.scope, reaching=candidate.reaching)
        entry = with_argument_code(entry, node, resolve)
        finding = make_finding(entry, target, shown, self.path, span, candidate.unfixable, **facts)
        if id(node) in self._awaited_elsewhere:
            finding = finding._replace(awaited_by=self._awaited_elsewhere[id(node)])
        self.findings.append(fix_shape(finding, candidate.node, candidate.awaited))
        if candidate.node in self._found:  # the call blocks, then iterating what it returns
            self._iterated[candidate.node] = self._found[candidate.node]
        self._found[candidate.node] = len(self.findings) - 1
        if finding.strategy == SLEEP and isinstance(candidate.node, ast.Call):
            self._sleeps.append(candidate)  # judged once its arguments' calls are


def _place(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.col, finding.code


def stream_writers(streams: ModuleStreams, lines: LineIndex) -> tuple[tuple[str, str], ...]:
    """(``stdout`` or ``stderr``, the function or module) of the module's writes of the
    standard streams (``ModuleSummary.stream_writers``), looked for in a module whose text
    names a way to write one."""
    if not any(map(lines.mentions, STREAM_WORDS)):
        return ()
    return tuple(sorted({(name, where) for where, _, _, name in streams.writes}))


def _mark_nested(findings: list[Finding]) -> None:
    """Mark, in place, the findings whose span holds another finding."""
    order = sorted(range(len(findings)), key=lambda i: _span_order(findings[i]))
    for rank, i in enumerate(order):
        end = (findings[i].end_line, findings[i].end_col)
        for j in order[rank + 1 :]:
            inner = findings[j]
            if (inner.line, inner.col) >= end:
                break
            if (inner.end_line, inner.end_col) <= end:
                findings[i] = findings[i]._replace(nested_blocking=True)
                break


def _span_order(finding: Finding) -> tuple[int, int, int, int]:
    """Outer spans before the spans they hold: by start, the longest first."""
    return (finding.line, finding.col, -finding.end_line, -finding.end_col)


def _attributes_written(facts: ModuleFacts) -> tuple[str, ...]:
    """The attribute names the module's functions write on some object (``ledger.sold +=
    1``, ``self.paid = n``, ``book.log.append(x)``, ``shop.ledger.sold += 1``), outside
    ``__init__`` (a new object no other task holds yet) and module-level code (it runs once,
    on import): a parameter's attributes a coroutine reads may be those
    (``ModuleSummary.pairs``)."""
    written = [node for node, writes in facts.name_attributes.items() if writes]
    written += facts.deep_writes
    if not written:
        return ()
    records = [r for r in facts.functions if r.node is not None]
    within = lines_within([r.node for r in records])
    made = lines_within([r.node for r in records if r.qualname.endswith("__init__")])
    return tuple(sorted({n.attr for n in written if within(n.lineno) and not made(n.lineno)}))
