"""Judge every call a module makes: findings for coroutines, a summary for the project."""

from __future__ import annotations

import ast
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import partial

from deblock.analysis.async_library import module_library
from deblock.analysis.await_hazards import AwaitHazards
from deblock.analysis.awaited_parameters import awaited_parameters, mark_handed_to_awaited
from deblock.analysis.bridge_helpers import bridge_helper
from deblock.analysis.bridged_beside import mark_bridged_beside
from deblock.analysis.bridged_calls import BridgedCalls
from deblock.analysis.buffered_calls import mark_buffered_calls
from deblock.analysis.cancellation import region_of, scope_regions
from deblock.analysis.coroutine_calls import CoroutineCalls
from deblock.analysis.coroutine_runs import CoroutineRuns
from deblock.analysis.decorated import converted_functions, mark_decorators, thread_decorators
from deblock.analysis.entry_points import entry_coroutines, runs_as_program
from deblock.analysis.fix_shapes import (
    SUBPROCESS,
    awaits_in,
    fix_shape,
    moves_whole_alone,
    spawns,
    takes_whole,
    thread_only,
)
from deblock.analysis.free_locks import conditions, entered_names, held_names, mark_free_locks
from deblock.analysis.function_summaries import FunctionSummaries
from deblock.analysis.hand_stepped import steps_coroutines
from deblock.analysis.handed_loops import loop_attributes
from deblock.analysis.judged_sections import JudgedSections
from deblock.analysis.lazy_uses import materialise_hazard
from deblock.analysis.lock_getters import lock_getters
from deblock.analysis.lone_tests import lone_test_lines
from deblock.analysis.loop_thread import LoopThread
from deblock.analysis.model import AnalysisOptions, ModuleReport
from deblock.analysis.module_effects import ModuleEffects, state_names
from deblock.analysis.module_uses import changed_imports, reached_globals, used_globals
from deblock.analysis.modules import beside, module_name
from deblock.analysis.nodes import dotted_name, last_name, own_nodes, parents
from deblock.analysis.open_blocks import OPEN_TARGETS, async_handles
from deblock.analysis.plain_managers import mark_plain_managers, plain_names
from deblock.analysis.positions import LineIndex, lines_within
from deblock.analysis.project_bridge import project_bridge
from deblock.analysis.resolver import Resolver
from deblock.analysis.scopes import Kind, on_instance, on_shared
from deblock.analysis.section_partners import keep_unlocked
from deblock.analysis.sections import (
    SECTION_STRATEGY,
    STREAM_WORDS,
    ModuleStreams,
    SectionPlanner,
    StateSplits,
    atomic_reason_at,
    statement_runs,
)
from deblock.analysis.shared_state import HelperEffects, ModuleState
from deblock.analysis.started_tasks import may_start_tasks
from deblock.analysis.stateful_managers import exit_code
from deblock.analysis.summary import ENTERED, CallSite, ClassSummary, FunctionSummary, ModuleSummary
from deblock.analysis.symbols import Obj, Ref
from deblock.analysis.tested_receivers import mark_tested_sites
from deblock.analysis.thread_bound import Bound, first_bound, frame_bound
from deblock.analysis.timed_calls import timed_calls, timed_coroutines
from deblock.analysis.twin_swaps import Swap, TwinSwaps
from deblock.analysis.twins import HANDS_A_FUNCTION
from deblock.analysis.walker import Candidate, FunctionRecord, ModuleFacts, walk_module
from deblock.analysis.worded_findings import CALL_ASYNC, LAMBDA_IN_THREAD, make_finding
from deblock.findings import Finding, decline
from deblock.rules import catalogue_with
from deblock.rules.bridges import BRIDGED_ARGUMENT
from deblock.rules.model import Blocking
from deblock.rules.resources import FILE_SYSTEM, PRIVATE_FILE_CODES, resource_of
from deblock.rules.twins import LOOP_SIDE_STRATEGIES

SLEEP = "sleep"
# An ``open(...)`` the async-open fix cannot rewrite.
_NO_BLOCK = "it opens no `with` block of the coroutine: the file's fix rewrites only those"


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
    coroutine of this one hands it (``Finding.awaited_by``; the project pass tells)."""
    tree = _parse(source, path)
    facts, judge = _walked(tree, source, path, module_name(path), options, partial(beside, path))
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
    streams = ModuleStreams(facts.functions, tree, summary.module, judge.imported, judge.lines)
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
    summary.reaches = reached_globals(facts, summary.names, own, used)
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
    facts.release()
    judge.release()
    return ModuleReport(judge.findings, library, summary, steps_coroutines(source, tree))


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
    BridgedCalls,
    TwinSwaps,
    CoroutineCalls,
    FunctionSummaries,
    ModuleEffects,
    JudgedSections,
    LoopThread,
    CoroutineRuns,
):
    """Decides, call by call, what blocks; collects findings and summary facts."""

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

    def mark_blocks_that_stay(self, facts: ModuleFacts) -> None:
        """Tell the findings that open a ``with`` block that must stay on the event loop
        (it holds a call whose fix keeps it there, or what belongs to the loop's thread, or
        state the loop uses too, or it cannot leave the coroutine: ``move_blocker``): the
        block must not move into a thread. An ``async-open`` finding learns whether its
        block may open async files instead (``open_blocks``); one that opens no block has
        no fix."""
        at = {(f.line, f.col, f.end_line, f.end_col): i for i, f in enumerate(self.findings)}
        for function, block in ((f, b) for f in facts.functions for b in f.blocks):
            spans = (self._span(item.context_expr) for item in block.items)
            opened = [i for span in spans if (i := at.get(span)) is not None]
            if opened:
                from deblock.analysis.open_forms import staying

                alone = [i for i in opened if not _section_moves(self.findings[i], block)]
                reason = self._block_stays(function, block) if alone else None
                for i in alone if reason is not None else ():
                    self.findings[i] = staying(self.findings[i], reason)
                self._mark_open_block(function.node, block, opened)
        for i, finding in enumerate(self.findings):
            if self._opens_no_block(finding):
                self.findings[i] = decline(finding, finding.declined or _NO_BLOCK)

    def _opens_no_block(self, finding: Finding) -> bool:
        """Whether ``finding`` has an ``async-open`` fix but opens no ``with`` block (the
        fix rewrites only those), and no other finding's fix takes it along (a bridge whose
        fix was declined takes none, nor one whose arguments stay: ``nested_blocking``)."""
        from deblock.analysis.open_forms import STRATEGY as OPEN_STRATEGY

        return (
            finding.open_form is None
            and OPEN_STRATEGY in (finding.strategy, finding.unsafe_strategy)
            and not any(
                (o.line, o.col) <= (finding.line, finding.col)
                and (finding.end_line, finding.end_col) <= (o.end_line, o.end_col)
                for o in self.findings
                if o is not finding and o.nested_blocking and (o.strategy or o.unsafe_strategy)
            )
        )

    def _mark_open_block(self, function: ast.AST, block: ast.With, opened: list[int]) -> None:
        """Tell a block's ``async-open`` findings whether it may open async files (every
        item opens a file, ``open``, and every use of the handles can be awaited), and
        which lines the block holds."""
        from deblock.analysis.open_forms import ASYNC, THREAD
        from deblock.analysis.open_forms import STRATEGY as OPEN_STRATEGY

        mine = [
            i
            for i in opened
            if OPEN_STRATEGY in (self.findings[i].strategy, self.findings[i].unsafe_strategy)
        ]
        if not mine:
            return
        files = len(mine) == len(block.items) and all(
            self.findings[i].target in OPEN_TARGETS for i in mine
        )
        form = ASYNC if files and async_handles(function, block) else THREAD
        lines = (block.lineno, block.end_lineno)
        for i in mine:
            self.findings[i] = self.findings[i]._replace(open_form=form, block=lines)

    def _entered_block_stays(self, function: FunctionRecord, site: CallSite) -> str | None:
        """Why the ``with`` block whose context manager call ``site`` makes must stay on
        the event loop, as for the module's own findings (``_block_stays``)."""
        block = next(
            (
                b
                for b in function.blocks
                if any(self._span(i.context_expr) == site.span for i in b.items)
            ),
            None,
        )
        return None if block is None else self._block_stays(function, block)

    def _block_stays(self, function: FunctionRecord, block: ast.With) -> str | None:
        from deblock.analysis.moved_blocks import move_blocker
        from deblock.analysis.unbound import unbound_read

        start, end = self._span(block.body[0])[:2], self._span(block.body[-1])[2:]
        kept = next(
            (
                f
                for f in self.findings
                if LOOP_SIDE_STRATEGIES & {f.strategy, f.unsafe_strategy}
                and start <= (f.line, f.col)
                and (f.end_line, f.end_col) <= end
            ),
            None,
        )
        if kept is not None:
            shown = ".".join(kept.target.split(".")[-2:])
            return f"the block holds `{shown}`, whose fix keeps it on the event loop"
        nodes = set(own_nodes(block))
        bound = first_bound(nodes, self._bound(function).moves)
        if bound is not None:
            return f"in a thread, {bound}"
        unbound = unbound_read(function.node, [block], "the block binds")
        if unbound is not None:
            return unbound
        conflict = None if self._state is None else self._state.conflict(function.node, nodes)
        return conflict or move_blocker(function.node, block)

    def _type_of(self, record: FunctionRecord) -> Callable[[ast.expr], str | None]:
        """What an expression in ``record``'s body names, or the class it holds an
        instance of (``cls()``), when known."""

        def type_of(expr: ast.expr) -> str | None:
            symbol = self.resolver.resolve(expr, record.own_scope)
            return symbol.qualname if isinstance(symbol, (Ref, Obj)) else None

        return type_of

    def mark_moved_sites(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]) -> None:
        """Tell each call site that a fix (safe or unsafe) moves into a worker thread the
        line and column of that fix's finding (``CallSite.moved``): its section's, the
        ``with`` block it opens, or its call, whose receiver and arguments move with it
        (``takes_whole``: a lazy result listed in the thread too). The project pass
        withdraws the fix when the callee needs the event loop (``project.loop_bound``)."""
        movers = [f for f in self.findings if f.fixable]
        if not movers:
            return
        at = {(f.line, f.col, f.end_line, f.end_col): f for f in movers if not f.block_stays}
        whole = [f for f in movers if takes_whole(f)]
        for record in facts.functions:
            sites = functions[record.qualname].sites if record.is_async else ()
            if not sites:
                continue
            spans = [
                (f.section[0], f.section[1], f)
                for f in movers
                if f.section and record.line <= f.line <= functions[record.qualname].end_line
            ]
            for block in record.blocks:
                opener = next(
                    (f for i in block.items if (f := at.get(self._span(i.context_expr)))), None
                )
                if opener is not None:
                    spans.append((block.lineno, block.end_lineno, opener))  # its items too
            for site in sites:
                mover = next((f for first, last, f in spans if first <= site.line <= last), None)
                mover = mover or next((f for f in whole if holds(f, site)), None)
                if mover is not None:
                    site.moved = (mover.line, mover.col)

    def _mark_timed_sites(
        self, deadlines: list[tuple[ast.Call, str]], functions: dict[str, FunctionSummary]
    ) -> None:
        """Tell the call sites whose coroutine runs under the caller's deadline which one
        (``CallSite.timed``): the project pass keeps that coroutine's calls sync."""
        if not deadlines:
            return
        sites = {site.span: site for function in functions.values() for site in function.sites}
        for call, shown in deadlines:
            site = sites.get(self._span(call))
            if site is not None:
                site.timed = shown

    def _file_call_on(self, first: int, last: int) -> str | None:
        """A call found on lines ``first`` to ``last`` that touches the file system (a
        coroutine's finding, or a sync function's blocking call), shown."""
        found = [(f.line, f.target) for f in self.findings if f.resource == FILE_SYSTEM]
        found += [
            (call.lineno, target)
            for code, target, call, _ in self._sync_io
            if resource_of(code, target) == FILE_SYSTEM
        ]
        return next((target for line, target in found if first <= line <= last), None)

    def _file_function(self, qualname: str) -> bool:
        """Whether ``qualname`` is a blocking function of the catalogue that touches the
        file system (a temporary file of its own too)."""
        entry = self.catalogue.blocking(qualname)
        if entry is None:
            return False
        return entry.code in PRIVATE_FILE_CODES or resource_of(entry.code, qualname) == FILE_SYSTEM

    def keep_calls_an_await_would_change(
        self,
        tree: ast.Module,
        facts: ModuleFacts,
        functions: dict[str, FunctionSummary],
        sites_kept: bool,
    ) -> None:
        """Decline, offered as unsafe, the safe fix of a call in cleanup code or a cancel
        scope (``cancellation``: the await it adds could be cancelled), one made while a
        thread lock is held (``held_locks``), or one whose comment says it blocks on
        purpose (``deliberate``), with every call of its section; and unwrapping a bridge
        where the code expects what it runs to raise (``expected_raises``: the bridge
        itself may be what raises). The call sites left to the project pass (``functions``)
        are told the same (``kept``), when ``sites_kept``."""
        reasons: dict[int | tuple[int, int], tuple[str, bool]] = {}  # by finding or section
        deadlines = timed_calls(facts.functions, self._callees, _scope_at(facts))
        self._mark_timed_sites(deadlines, functions)
        if not (self.findings or sites_kept):
            return  # no fix to decline, no site to tell (most modules: no docstring read)
        from deblock.analysis.deliberate import deliberate_comment, deliberate_reason, docstrings
        from deblock.analysis.patches import mocks_from_outside
        from deblock.analysis.raced_cleanup import FileWork
        from deblock.analysis.signal_readers import SignalReaders

        timed = timed_coroutines(facts.functions, self._callees, deadlines)
        documented = docstrings(r.node for r in facts.functions if r.node is not None)
        patching = self.lines.mentions("patch")  # a module that never names one puts none
        outside = mocks_from_outside(tree) if patching else {}
        readers = SignalReaders(tree, facts, self.resolver)  # what a cleanup's signal changes, read
        for record in (r for r in facts.functions if r.is_async):
            safe = [
                (candidate.node, i)
                for candidate in record.calls
                if (i := self._found.get(candidate.node)) is not None
                and self.findings[i].strategy is not None
            ]
            summary = functions.get(record.qualname) if sites_kept else None
            sites = summary.sites if summary is not None else []
            if not (safe or sites):
                continue
            type_of = self._type_of(record)
            hazards = AwaitHazards(
                record,
                facts,
                type_of,
                patching,
                partial(self._module_state, facts),
                FileWork(
                    self._file_call_on,
                    self._same_package,
                    type_of,
                    partial(exit_code, type_of=type_of, helpers=self._helpers(facts)),
                    self._file_function,
                    partial(readers.read_elsewhere, record),
                    self.resolver.functions.get,
                    read_by=readers.read_elsewhere,
                ),
                outside.get(id(record.node), []),
                self.resolver,
            )
            changes = self._process_changes(record) if sites else {}
            handing = [c.node.lineno for c in record.calls if c.node in self._runs_handed]
            writes = sites and (record.state_writes or handing)
            splits = StateSplits(record, self._helpers(facts), handing) if writes else None
            runs = statement_runs(record) if changes or writes else []
            around = [d for d in documented if d[0] <= record.line <= d[1]]  # its own, outer
            for node, i in safe:
                finding = self.findings[i]
                why = (
                    timed.get(record.qualname)
                    or hazards.why(node.lineno, finding.section)
                    or hazards.mocked(node.lineno, finding.strategy)
                    or hazards.raced(node.lineno, finding)
                )
                raises = finding.strategy == "unwrap-bridge" and hazards.raises(node.lineno)
                if raises:
                    reasons[i] = (raises, False)
                elif why is not None:
                    reasons[finding.section or i] = (why, True)
            for site in sites:
                split = None if site.bridged else splits  # unwrapping a bridge adds no await
                comment = deliberate_comment(self.lines.line, site.line)
                site.kept = (
                    (site.bridged and hazards.raises(site.line))
                    or timed.get(record.qualname)
                    or hazards.why(site.line, None)
                    or (comment and deliberate_reason(comment, site.line))
                    or _deliberate_docstring(around, site.line, site.shown)
                    # the module's own findings are declined for it as sections are planned
                    or (runs and atomic_reason_at(runs, site.line, changes, split))
                    or None
                )
                if site.entered:
                    site.stays = self._entered_block_stays(record, site)
        nodes = {i: node for node, i in self._found.items()}
        for i, finding in enumerate(self.findings):
            if finding.strategy is None or reasons.get(i, ("", True))[1] is False:
                continue  # a raise expected there: no fix at all
            comment = deliberate_comment(self.lines.line, finding.line)
            if comment is not None:
                reasons[finding.section or i] = (deliberate_reason(comment, finding.line), True)
            elif isinstance(node := nodes.get(i), ast.Call) and (
                why := _deliberate_docstring(documented, node.lineno, ast.unparse(node.func))
            ):
                reasons[finding.section or i] = (why, True)
        for i, finding in enumerate(self.findings):
            reason = reasons.get(i) or reasons.get(finding.section)
            if reason is not None and finding.strategy is not None:
                self.findings[i] = decline(finding, reason[0], unsafe=reason[1])
        self._decline_unlistable(facts, nodes)
        self._withdraw_subprocesses(facts, nodes)

    def _withdraw_subprocesses(self, facts: ModuleFacts, nodes: dict[int, ast.AST]) -> None:
        """No ``create-subprocess`` fix for a call it cannot rewrite (``fix_shapes.spawns``)."""
        for i, finding in enumerate(self.findings):
            node = nodes.get(i)
            if finding.unsafe_strategy != SUBPROCESS or not isinstance(node, ast.Call):
                continue
            statement = False
            if finding.target == "subprocess.run":  # its result must be unused
                function = max(
                    (r.node for r in facts.functions if r.node and _spans(r.node, node)),
                    key=lambda f: f.lineno,
                )  # the coroutine it is in
                statement = any(
                    s.__class__ is ast.Expr and s.value is node for s in ast.walk(function)
                )
            if not spawns(finding, node, statement):
                self.findings[i] = thread_only(finding)

    def settle_clients(self, tree: ast.Module, facts: ModuleFacts) -> None:
        """No ``async-client`` fix for a client it cannot switch (``client_switch``): the
        thread's stays."""
        if not self._found:
            return
        from deblock.analysis.client_switch import STRATEGY as CLIENT_SWITCH
        from deblock.analysis.client_switch import unswitchable

        found = [
            (i, finding, node)
            for node, i in self._found.items()
            if CLIENT_SWITCH in ((finding := self.findings[i]).strategy, finding.unsafe_strategy)
            and finding.unfixable is None
            and isinstance(node, ast.Call)
        ]
        if not found:
            return
        found.sort(key=lambda entry: (entry[2].lineno, entry[2].col_offset))
        why = unswitchable(tree, found, partial(parents, tree), partial(_creates, self.imported))
        for i in why:
            self.findings[i] = thread_only(self.findings[i])

    def _decline_unlistable(self, facts: ModuleFacts, nodes: dict[int, ast.AST]) -> None:
        """No fix for a lazy result a fix would list in the thread where the coroutine
        does not take it whole (``lazy_uses``)."""
        for i, finding in enumerate(self.findings):
            node = nodes.get(i)
            if not finding.lazy_result or node is None:
                continue
            if not (finding.strategy or finding.unsafe_strategy):
                continue
            around = [r.node for r in facts.functions if r.node and _spans(r.node, node)]
            function = max(around, key=lambda f: f.lineno)  # the coroutine it is in
            reason = materialise_hazard(node, function, finding.target)
            if reason is not None:
                self.findings[i] = decline(finding, reason)

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

    def keep_unproven_delays(self) -> None:
        """Decline, offered as unsafe, the async sleep of a ``time.sleep`` whose delay may be
        negative or NaN (``sleep_delays``); one a section moves stays ``time.sleep``."""
        for candidate in self._sleeps:
            i = self._found[candidate.node]
            if self.findings[i].strategy == SLEEP and self.findings[i].safe_fix:
                from deblock.analysis.sleep_delays import unproven_delay

                node, scope, reaching = candidate.node, candidate.scope, candidate.reaching
                why = unproven_delay(node, scope, reaching, self._callees.get, self.lines.text)
                if why is not None:
                    self.findings[i] = decline(self.findings[i], why, unsafe=True)

    def keep_frame_bound_arguments(self) -> None:
        """A call whose arguments need the coroutine's own frame or thread (``frame_bound``:
        ``traceback.format_exc()``), or suspend (an ``await``, an ``async`` comprehension:
        no thread can run them), or hold a call whose rule's only fix is unsafe
        (``input()``), does not move into its worker thread with them: its arguments stay
        (no ``nested_blocking``), each finding among them fixed on its own."""
        unsafe = [f for f in self.findings if f.unsafe_fix_only and not f.declined]
        for node, i in self._found.items():
            finding = self.findings[i]
            if finding.nested_blocking and (
                awaits_in(node)
                or frame_bound([node])
                or any(f is not finding and holds(finding, f) for f in unsafe)
            ):
                self.findings[i] = finding._replace(nested_blocking=False)

    def keep_late_reads(self, facts: ModuleFacts) -> None:
        """A call whose fix takes its arguments into the thread with it (``lambda:
        json.load(open(self.path))``: nested, lazy, a bridge taken whole) reads the state
        they name there, after the await: where code left on the event loop writes it (even
        rebinding ``self.path``), the thread may read another value than the loop did: the
        call and the findings among its arguments are declined (a section's: with its lock)."""
        whole = {i for i, f in enumerate(self.findings) if moves_whole_alone(f)}
        for record in facts.functions if whole else ():
            for candidate in record.calls if record.is_async else ():
                i = self._found.get(candidate.node)
                if i not in whole:
                    continue
                inside = set(own_nodes(candidate.node))
                why = self._module_state(facts).conflict(record.node, inside)
                held = (j for node, j in self._found.items() if node in inside)
                for j in held if why is not None else ():  # its arguments' findings too
                    if self.findings[j].strategy is not None:
                        self.findings[j] = decline(self.findings[j], why, unsafe=True)

    def keep_racing_lambdas(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]):
        """A breaker's ``call_async`` would run the lambda its ``call`` is handed in a worker
        thread, after an await: where its body uses state that code left on the event loop
        uses too, one of them writing it (``lambda: self.total + 1`` before ``self.total =
        n``), or reads and writes it itself (the other calls' threads would at once, with no
        lock), the thread would see or leave a state no interleaving did. The module's
        finding is declined; a project breaker's site tells the project pass
        (``CallSite.lambda_races``)."""
        for record in facts.functions:
            summary = functions[record.qualname] if record.is_async else None
            sites = {s.span: s for s in summary.sites} if summary else {}
            for candidate in record.calls if summary else ():
                handed = _handed_lambda(candidate.node)
                i = self._found.get(candidate.node)
                site = sites.get(self._span(candidate.node)) if handed else None
                finding = self.findings[i] if i is not None and handed else None
                if finding is None or not _runs_handed(finding):
                    finding = None
                    if site is None or site.handed or site.lambda_calls:
                        continue
                state, inside = self._module_state(facts), set(own_nodes(handed.body))
                why = state.conflict(record.node, inside) or state.torn_by_threads(
                    record.node, inside
                )
                if why is not None and finding is not None:
                    self.findings[i] = decline(finding, f"{LAMBDA_IN_THREAD}{why}", unsafe=True)
                elif why is not None:
                    site.lambda_races = why

    def sort_findings(self) -> None:
        """Put the findings in line order, keeping which node each one is for."""
        order = sorted(range(len(self.findings)), key=lambda i: _place(self.findings[i]))
        moved = {old: new for new, old in enumerate(order)}
        self.findings = [self.findings[i] for i in order]
        self._found = {node: moved[i] for node, i in self._found.items()}
        self._iterated = {node: moved[i] for node, i in self._iterated.items()}

    def keep_iterated_calls(self) -> None:
        """A call whose result is iterated where it is made, an iteration that blocks too
        (``for row in conn.execute(q)``), gets no fix of its own: the node holds the
        iteration's finding, which every rule weighs, and the call moves only with it, in
        its loop's section. Alone in a thread it would escape the rules, and an object that
        works only in the thread that made it would be iterated on the event loop."""
        for index in self._iterated.values():
            finding = self.findings[index]
            if finding.strategy or finding.unsafe_strategy:
                from deblock.analysis.affinity import affine_kind, affinity_reason

                kind = affine_kind(finding.target, self.catalogue.call_returns)
                why = "what it returns is iterated where it is made, outside the thread"
                alone = f"{why}: it moves only with the loop that iterates it"
                self.findings[index] = decline(
                    finding, affinity_reason(kind, why) if kind else alone
                )

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


def _section_moves(finding: Finding, block: ast.With) -> bool:
    """Whether ``finding``'s fix is a section that moves ``block`` whole: whether the block
    could move alone does not matter then (the section was planned for what it holds)."""
    section = finding.section
    return (
        section is not None
        and SECTION_STRATEGY in (finding.strategy, finding.unsafe_strategy)
        and section[0] <= block.lineno
        and block.end_lineno <= section[1]
    )


def _scope_at(facts: ModuleFacts) -> Callable[[FunctionRecord, int], str | None]:
    """Which timeout or cancel scope of a coroutine holds a line of it, if one does."""
    regions: dict[str, list[tuple[int, int, str]]] = {}

    def scope_at(record: FunctionRecord, line: int) -> str | None:
        if record.qualname not in regions:
            regions[record.qualname] = scope_regions(facts.inside(record.node)[0])
        return region_of(regions[record.qualname], line)

    return scope_at


def _creates(imports: dict[str, str], expr: ast.expr) -> str | None:
    """The class ``expr`` calls, named through the module's imports (``groq.Groq``)."""
    if not isinstance(expr, ast.Call):
        return None
    parts, func = [], expr.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    return ".".join([imports.get(func.id, func.id), *reversed(parts)])


def _place(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.col, finding.code


def stream_writers(streams: ModuleStreams, lines: LineIndex) -> tuple[tuple[str, str], ...]:
    """(``stdout`` or ``stderr``, the function or module) of the module's writes of the
    standard streams (``ModuleSummary.stream_writers``), looked for in a module whose text
    names a way to write one."""
    if not any(map(lines.mentions, STREAM_WORDS)):
        return ()
    return tuple(sorted({(name, where) for where, _, _, name in streams.writes}))


def _handed_lambda(call: ast.AST) -> ast.Lambda | None:
    """The lambda a breaker's ``call`` (a method of that name) is handed first, if any."""
    if call.__class__ is not ast.Call or last_name(call.func) not in HANDS_A_FUNCTION:
        return None
    handed = call.args[0] if call.args else None
    return handed if handed.__class__ is ast.Lambda else None


def _runs_handed(finding: Finding) -> bool:
    """Whether the safe fix of ``finding`` is a breaker's ``call_async`` running what
    ``call`` is handed in a worker thread (not a coroutine function, awaited on the loop)."""
    return finding.strategy == CALL_ASYNC and not finding.handed_coroutine


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


def holds(finding: Finding, site: CallSite) -> bool:
    """Whether the span of ``finding`` holds that of ``site``."""
    start, end = (finding.line, finding.col), (finding.end_line, finding.end_col)
    return start <= (site.line, site.col) and (site.end_line, site.end_col) <= end


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


def _spans(function: ast.AST, node: ast.AST) -> bool:
    """Whether ``function``'s lines hold ``node``'s."""
    return function.lineno <= node.lineno and node.end_lineno <= function.end_lineno


def _deliberate_docstring(documented: list, line: int, written: str) -> str | None:
    """Why the call of ``written`` at ``line`` keeps its blocking: a docstring around it
    (of ``documented``: ``docstrings``) names it and says it is deliberate."""
    from deblock.analysis.deliberate import deliberate_docstring, deliberate_reason

    found = documented and deliberate_docstring(documented, line, written)
    return deliberate_reason(found[1], found[0], "docstring") if found else None
