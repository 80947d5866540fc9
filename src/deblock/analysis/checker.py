"""Judge every call a module makes: findings for coroutines, a summary for the project."""

from __future__ import annotations

import ast
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cached_property, partial
from typing import TYPE_CHECKING, NamedTuple

from deblock.analysis.async_library import module_library
from deblock.analysis.awaited_parameters import awaited_parameters, mark_handed_to_awaited
from deblock.analysis.bridge_helpers import bridge_helper
from deblock.analysis.bridged_beside import mark_bridged_beside
from deblock.analysis.buffered_calls import mark_buffered_calls
from deblock.analysis.cancellation import (
    cancelling_scopes,
    cleanup_regions,
    interrupt_regions,
    region_of,
    scope_regions,
)
from deblock.analysis.decorated import converted_functions, mark_decorators, thread_decorators
from deblock.analysis.duck_calls import DUCK, duck_callee
from deblock.analysis.entry_points import entry_coroutines, runs_as_program
from deblock.analysis.false_defaults import false_defaults, first_per_callee, left_false
from deblock.analysis.fix_shapes import (
    SUBPROCESS,
    awaits_in,
    fix_shape,
    moves_whole_alone,
    spawns,
    takes_whole,
    thread_only,
    unwritable,
)
from deblock.analysis.free_locks import (
    conditions,
    entered_names,
    free_lock_reason,
    held_names,
    mark_free_locks,
    ordered_names,
    turn_names,
)
from deblock.analysis.hand_stepped import steps_coroutines
from deblock.analysis.handed_loops import handed_attributes, loop_attributes, loop_unless
from deblock.analysis.handed_streams import handed_buffers, stream_parameter
from deblock.analysis.lazy_uses import CONSUMERS, STOPPERS, materialise_hazard
from deblock.analysis.lock_aliases import stands_for
from deblock.analysis.lock_getters import lock_getters
from deblock.analysis.lone_tests import Lines, lone_test_lines
from deblock.analysis.loop_guards import loop_guard_line
from deblock.analysis.model import AnalysisOptions, ModuleReport
from deblock.analysis.module_uses import (
    changed_imports,
    handed_state,
    reached_globals,
    state_key,
    used_globals,
)
from deblock.analysis.modules import beside, maybe_project, module_name
from deblock.analysis.nodes import (
    argument_places,
    call_arguments,
    dotted_name,
    last_name,
    own_nodes,
    parents,
    reached,
)
from deblock.analysis.open_blocks import OPEN_TARGETS, async_handles
from deblock.analysis.parameter_calls import calls_on_parameters, plain_arguments
from deblock.analysis.plain_managers import mark_plain_managers, plain_names
from deblock.analysis.positions import LineIndex, lines_within
from deblock.analysis.project_bridge import project_bridge
from deblock.analysis.resolver import Resolver, bridge_index
from deblock.analysis.returned_state import returns_shared
from deblock.analysis.scopes import Kind, Scope, on_instance, on_shared, self_attribute
from deblock.analysis.section_partners import PARAMETER, keep_unlocked
from deblock.analysis.sections import (
    SECTION_STRATEGY,
    STREAM_WORDS,
    ModuleStreams,
    SectionPlanner,
    StateSplits,
    atomic_reason_at,
    plan_module_sections,
    resource_access,
    segment_spans,
    shared_sync_io,
    statement_runs,
    sync_access,
)
from deblock.analysis.settled_waits import suspended_before
from deblock.analysis.shared_state import (
    READ,
    WRITE,
    HelperEffects,
    ModuleState,
    StateAccess,
    parameter_names,
    positional_parameters,
)
from deblock.analysis.started_tasks import may_start_tasks, starts_tasks, task_regions
from deblock.analysis.stateful_managers import (
    borrowed_managers,
    entered_managers,
    exit_code,
    manager_regions,
    manager_sides,
    own_managers,
)
from deblock.analysis.summary import (
    ENTERED,
    CallSite,
    ClassSummary,
    FunctionSummary,
    ModuleSummary,
)
from deblock.analysis.symbols import Obj, Ref, Symbol
from deblock.analysis.test_paths import is_test_module
from deblock.analysis.tested_receivers import mark_tested_sites
from deblock.analysis.thread_bound import (
    FRAME_CALLS,
    Bound,
    first_bound,
    first_bound_node,
    frame_bound,
    frame_bound_at,
    thread_bound,
)
from deblock.analysis.timed_calls import timed_calls, timed_coroutines
from deblock.analysis.twins import (
    HANDS_A_FUNCTION,
    awaited_twin,
    no_twins,
    reaches,
    starts_tasks_on_the_loop,
    swap_hazard,
    threaded_code,
    twin_entry,
    unpaired_override,
)
from deblock.analysis.walker import Candidate, FunctionRecord, ModuleFacts, walk_module
from deblock.findings import Finding, decline
from deblock.rules import BY_CODE, CONFIGURED_CODE, blocks_outside_coroutines, catalogue_with
from deblock.rules.bridges import (
    ALREADY_ASYNC,
    BRIDGED_ARGUMENT,
    PURE,
    THREAD_BRIDGES,
)
from deblock.rules.model import Blocking
from deblock.rules.resources import (
    ARGUMENT_CHANGERS,
    FILE_SYSTEM,
    FIX_HELPER,
    LOCK_MODULE,
    LOCK_NAME,
    PRIVATE_FILE_CODES,
    PROCESS_STATE_CALLS,
    call_bound,
    needs_loop,
    resource_of,
)
from deblock.rules.twins import LOOP_SIDE_STRATEGIES, TWIN_CALLS

if TYPE_CHECKING:  # imported where a module's findings need them (most modules have none)
    from deblock.analysis.raced_cleanup import FileWork

# The fix of a twin finding whose swap would change the program.
_THREAD_BRIDGE = "to-thread"
_CALL_ASYNC = "call-async"
_LAMBDA_IN_THREAD = "the breaker's `call_async` would run its lambda in a worker thread: "
# The fix that moves a bridged call's arguments into its thread with it.
_WHOLE_BRIDGE = "bridge-whole"
_SLEEP = "sleep"
_PARTIAL_FIX = (
    "it calls a `functools.partial`: its own fix would lose the arguments the partial binds, "
    "a thread takes them whole"
)
# A thread bridge that leaves blocking work on the event loop, and what it leaves.
_PARTIAL_BRIDGE = "DBK806"
_LAZY_DETAIL = (
    "it only builds a lazy iterator: the I/O happens as it is iterated, "
    "once the thread has returned"
)
_ARGUMENTS_DETAIL = "its arguments block on the event loop before the thread starts"
# A name holding a generator made earlier: the fix lists a call's result in the thread.
_MADE_BEFORE = "the generator was made before this line: list it in a worker thread by hand"
# An ``open(...)`` the async-open fix cannot rewrite.
_NO_BLOCK = "it opens no `with` block of the coroutine: the file's fix rewrites only those"
# Builtins that iterate their first argument to its end, and those that may stop early (a
# fix that lists it whole would do more than they do: they get none).
_CONSUMERS = frozenset(f"builtins.{name}" for name in CONSUMERS)
_EARLY_STOPPERS = frozenset(f"builtins.{name}" for name in (*STOPPERS, "next"))
_ENDLESS = (
    "it returns a stream that waits for more without end: listed whole in a thread it would "
    "never return; iterate it in a worker thread by hand"
)
_STOPS_EARLY = (
    "it may stop before the end: listing it whole in a thread would run more of it; "
    "run the call that takes it in a thread by hand"
)
# A read of an attribute that loads its object (``loaded_reads``): no codemod rewrites one.
_LOADS = "reading it loads the object first: load it in a thread, `await asyncio.to_thread(...)`"


class _Swap(NamedTuple):
    """A twin finding of a project class, judged once every function is summarised."""

    entry: Blocking
    callee: Symbol
    shown: str
    candidate: Candidate
    handed_coroutine: bool
    handed_code: str | None  # the module's sync function a breaker's ``call`` is handed
    summary: FunctionSummary  # the coroutine making the call's
    caller: str  # its name
    receiver: str  # the class of the object called
    owner: str  # the class defining the sync method
    twin_owner: str  # the class defining the twin


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
    own = (summary.module, _state_names(facts))
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


class _Judge:
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
        self._swaps: list[_Swap] = []
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

    # -- summary ------------------------------------------------------------

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

    def function(self, record: FunctionRecord) -> FunctionSummary:
        returned = self.resolver.function_result(record)
        summary = FunctionSummary(
            self.resolver.gives_awaitable(record), record.line, returned and returned.qualname
        )
        summary.is_generator = record.is_generator
        summary.end_line = record.node.end_lineno if record.node else record.line
        self._entered = {id(item.context_expr) for block in record.blocks for item in block.items}
        self._prefixed = self._prefixes(record) if record.prefixes else {}
        self._handed_to.update(
            (id(value), (outer, place))
            for outer in (record.calls if record.is_async else ())
            if outer.awaited and outer.node.__class__ is ast.Call
            for place, value in argument_places(outer.node)
        )
        self._needing_loop: list[ast.AST] = []
        for candidate in record.calls:
            if candidate.entered is not None and candidate.node.__class__ is not ast.Call:
                self._entering(candidate, summary, record)
            elif record.is_async:
                self._in_coroutine(candidate, summary, record)
            elif candidate.iteration:
                self._iterated_in_sync_function(candidate, summary)
            else:
                self._in_sync_function(candidate, summary, record)
        if record.reads:
            self._loading_reads(record)
        if not record.is_async:
            if summary.loop and not self._thread_data(record):
                own = self._own_parameters(record)
                summary.loop_unless = loop_unless(record.node, self._needing_loop, own)
            summary.loop = summary.loop or self._thread_data(record)
            summary.lazy_return = self._lazy_return(record)
            summary.returns_shared = returns_shared(record)
            _drop_past_a_loop_guard(summary, record.node)
            if record.guards:  # none found: the default, as the summary's JSON reads back
                summary.only_if = _only_if(record, summary, self._own_parameters(record)) or ()
            if summary.only_if or summary.forwards:
                summary.falsy_defaults = self._false_defaults(record)
        summary.calls = first_per_callee(summary)
        return summary

    def _loading_reads(self, record: FunctionRecord) -> None:
        """Report the coroutine's reads of an attribute that loads its object, a request
        (``loaded_reads``), without a fix: only boto3's modules are walked with reads."""
        from deblock.analysis.loaded_reads import loading_reads

        for candidate, target in loading_reads(record, self.resolver, self.catalogue):
            entry = self.catalogue.blocking(target)
            if entry is not None:
                read = replace(candidate, unfixable=candidate.unfixable or _LOADS)
                self.report(entry, target, self.lines.text(candidate.node), read)

    def segments(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]) -> None:
        """Give each coroutine's summary its runs of statements between awaits that hold two
        or more of its call sites and twin findings: the project's findings at the sites
        may share a run with each other, or with these findings."""
        for record in facts.functions:
            summary = functions[record.qualname]
            if not (record.is_async and summary.sites):
                continue
            lines = [site.line for site in summary.sites]
            for candidate in record.calls:
                index = self._found.get(candidate.node)
                if index is not None and self.findings[index].code in TWIN_CALLS:
                    lines.append(self.findings[index].line)
            if len(lines) > 1 and (spans := segment_spans(record, lines)):
                summary.segments = spans  # set only when any, as the cache reads it back

    def note_helper_effects(self, facts: ModuleFacts) -> None:
        """Count a coroutine's calls of the module's sync functions that touch shared state
        (``HelperEffects``) among its writes (``FunctionRecord.state_writes``)."""
        sync = {r.qualname for r in facts.functions if not r.is_async}
        for record in (r for r in facts.functions if r.is_async):
            for call in record.calls:
                callee = self._callees.get(call.node)
                if callee in sync and self._helpers(facts).written(callee):
                    record.state_writes.append(call.node.lineno)

    def note_state_writes(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]):
        """Tell each sync function's summary the module state a call of it writes
        (``HelperEffects``): its globals by qualified name, and what it writes of its imports
        as the module names it (``helpers.LOG``, ``LEDGER.count``, ``LOG`` of ``from store
        import LOG``), and the parameters it changes in place; and of that state and of its
        imported modules' attributes (``store.ITEMS``), what it reads. Another module's
        coroutine that calls it writes and reads them too, and the arguments it hands them
        (``project.helper_writes``)."""
        sync = [r for r in facts.functions if not r.is_async and r.node is not None]
        helpers = self._helpers(facts)
        for record in sync:
            args = record.node.args
            if args.posonlyargs or args.args or args.kwonlyargs:
                functions[record.qualname].changes = helpers.changed_places(record.qualname)
            if record.instance:
                instance = helpers.instance_changes(record.qualname)
                functions[record.qualname].instance_changes = instance
        writing = helpers.globals and any(r.state_writes or r.sets_items for r in sync)
        reaching = any(not (r.attribute_bases | r.names).isdisjoint(helpers.modules) for r in sync)
        if not writing and not reaching:
            return  # no module state written, itself or through another, nor another's read
        module = facts.scope.qualname
        for record in sync:
            summary = functions[record.qualname]
            touched = {(name, mode) for _, name, mode in helpers.of(record.qualname)}
            for field, wanted in (("writes", WRITE), ("reads", READ)):
                names = {
                    name for name, mode in touched if mode == wanted and helpers.state(name, mode)
                }
                qualified = (
                    n if "." in n or n in self.imported else f"{module}.{n}" for n in names
                )
                setattr(summary, field, tuple(sorted(qualified)))

    def release(self) -> None:
        """Break the cycle the helpers' effects make with the state accesses they keep
        (``HelperEffects.access``), as ``ModuleFacts.release`` breaks the walk's."""
        if self._helper_effects is not None:
            self._helper_effects.release()

    def _helpers(self, facts: ModuleFacts) -> HelperEffects:
        """What the module's sync functions touch when called (made once). Another module's
        data the module imports and changes in place (``from store import LOG``;
        ``LOG.append(x)``: ``data``) is state, as a global of its own; an imported module
        (``import os``) or function (``from os import remove``) is not."""
        if self._helper_effects is None:
            io: dict[str, list[tuple[str, str]]] = {}
            for owner, access in self._sync_accesses(facts):
                io.setdefault(owner, []).append(access)
            self._helper_effects = HelperEffects(
                facts.functions,
                self._state_modules(facts),
                _state_names(facts) | self.data,
                self._callees,
                io,
                self._runs_handed,
                facts.classes,
                self._project_imports(),
            )
        return self._helper_effects

    def _state_modules(self, facts: ModuleFacts) -> set[str]:
        """The modules whose attributes the module's functions reach as state
        (``StateAccess``'s ``modules``)."""
        return self.imported.keys() - self.data | facts.dotted_imports

    def _sync_accesses(self, facts: ModuleFacts) -> list[tuple[str, tuple[str, str]]]:
        """The function and the access (``sync_access``) of each blocking call of the
        module's sync functions that touches a resource (made once)."""
        if self._sync_accessed is None:
            records = {r.qualname: r for r in facts.functions}
            modules = self._state_modules(facts)
            self._sync_accessed = [
                (owner, access)
                for code, target, call, owner in self._sync_io
                if (
                    access := sync_access(
                        code, target, call, partial(StateAccess, records[owner], modules)
                    )
                )
            ]
        return self._sync_accessed

    def sections(self, facts: ModuleFacts, lone: Lines, streams: ModuleStreams) -> None:
        """Attach to each coroutine's findings the sections a fix moves together (``lone``:
        the lines of the module's lone tests, ``lone_tests``; ``streams``: the module's
        writes of the standard streams)."""
        planners = []
        for record in facts.functions:
            found = {c.node: self._found[c.node] for c in record.calls if c.node in self._found}
            if record.is_async and found:
                planners.append(
                    SectionPlanner(
                        record,
                        found,
                        self.findings,
                        self._callees,
                        self.catalogue.call_returns,
                        self._helpers(facts),
                        self._bound(record),
                        self.lines,
                    )
                )
        if planners:
            state = self._module_state(facts)
            io = [access for _, access in self._sync_accesses(facts)]
            mine = {planner.record.node for planner in planners}
            others = [
                SectionPlanner.bare(record, state)
                for record in facts.functions
                if record.is_async and record.node not in mine
            ]
            plan_module_sections(planners, io, state, streams, lone, others)
        self._planners = planners

    def moved_globals(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, int, int, bool], ...]:
        """(module, name, first line, last line, whether it writes it) of the project
        modules' globals that a section of safe fixes moves into a thread (its lines): the
        module's own, another's it imports, and (class, ``self.x``) of its instance's
        (``state_key``; ``own``: the module's name and globals holding state; ``names``: its,
        ``module_names``); other modules' uses are the project pass's to weigh."""
        moved = set()
        for planner, inside in self._moved_sections():
            access = planner.state
            lines = [n.lineno for n in inside if hasattr(n, "lineno")]
            touched: dict[tuple[str, str], bool] = {}
            for resource, mode in (t for node in inside for t in access.touches(node)):
                if (key := self._key(planner, resource, own, names)) and key[0] != PARAMETER:
                    touched[key] = touched.get(key, False) or mode == WRITE
            moved |= {(*key, min(lines), max(lines), w) for key, w in touched.items()}
        return tuple(sorted(moved))

    def moved_streams(self) -> tuple[tuple[str, int, int], ...]:
        """(``stdout`` or ``stderr``, first line, last line) of the sections whose safe fixes
        write the stream in a thread, no other code of the module writing it
        (``SectionPlanner.moved_streams``): another module's writes would come between."""
        return tuple(sorted({span for p in self._planners for span in p.moved_streams}))

    def _moved_sections(self) -> Iterator[tuple[SectionPlanner, set[ast.AST]]]:
        """The nodes of each section that safe fixes move into a thread, with its planner."""
        for planner in self._planners:
            for _, inside in planner.sections:
                found = (self._found.get(node) for node in inside)
                if any(i is not None and self.findings[i].safe_fix for i in found):
                    yield planner, inside

    def mark_handed_state(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]) -> None:
        """Tell each coroutine's summary the state of its parameters its sections move
        (``FunctionSummary.moves``), and what of the state it hands a coroutine it awaits
        (its instance, to its own methods) the module writes (``loop_writes``), and, with
        runs, of its instance and the module's globals, which those runs read: the project
        pass weighs the two for another module's coroutine (``project.handed_sections``),
        and two reads of such state around an await of one that never suspends
        (``atomic_callers``), handed to it or not."""
        from deblock.analysis.handed_state import moved_parameters, written_handed

        for planner, inside in self._moved_sections():
            moved = moved_parameters(planner.state, inside)
            if moved:
                summary = functions[planner.record.qualname]
                summary.moves = (*summary.moves, *moved)
                summary.parameters = tuple(positional_parameters(planner.record))
        own = f"{self.module}."
        for record in facts.functions:
            summary = functions.get(record.qualname) if record.is_async else None
            awaited = [s for s in (summary.sites if summary else ()) if s.awaited]
            runs = bool(summary and summary.runs)
            if not runs:  # no runs: only another module's is weighed
                awaited = [s for s in awaited if not s.callee.startswith(own)]
            handed = {
                key for site in awaited if maybe_project(site.callee) for _, key in site.arguments
            }
            handed |= {"self" for site in awaited if site.on_instance}
            written = self._module_state(facts).written if handed or runs else ()
            if runs:  # other tasks' writes between its reads, handed or not
                handed |= {"self"} if record.instance else set()
                handed |= {name for owner, name in written if owner is None}
            if handed:
                kin = self.resolver.kin(record.instance[1]) if record.instance else frozenset()
                summary.loop_writes = written_handed(handed, written, kin)

    def managers(self, facts: ModuleFacts, module: str) -> tuple[tuple, tuple, tuple]:
        """``ModuleSummary.entered``, ``managers`` and ``sides`` of module ``module``."""
        own = f"{module}."
        defined = {record.qualname for record in facts.functions}
        borrowed = borrowed_managers(facts.classes, defined, self.resolver)
        entered = [
            (record.qualname, *block)
            for record in facts.functions
            if record.is_async
            for block in entered_managers(
                facts.inside(record.node)[0],
                self._type_of(record),
                lambda name: (
                    name.startswith(own) and name not in borrowed or not maybe_project(name)
                ),
            )
        ]
        helpers = self._helpers(facts)
        managers = own_managers(helpers, facts.classes, self.resolver)
        return tuple(entered), tuple(managers), tuple(manager_sides(helpers, facts.classes))

    def instances_written(self, facts: ModuleFacts) -> tuple[str, ...]:
        """The module's classes whose instances' attributes its code writes, when one has
        coroutine methods (``ModuleSummary.instances_written``)."""
        if not any(record.is_async and record.instance for record in facts.functions):
            return ()
        written = self._module_state(facts).written
        return tuple(sorted({owner for owner, _ in written} - {None, PARAMETER}))

    def reread_globals(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, int, int], ...]:
        """(module, name, first line, last line) of the project modules' globals that a run
        of a coroutine reads twice around a safe fix and the module never writes, a name
        imported from one among them, (``PARAMETER``, ``ledger.count``) of a parameter's
        attributes, and (class, ``self.x``) of its instance's attributes
        (``SectionPlanner.reread``, ``state_key``; ``own`` and ``names`` as ``moved_globals``
        takes them): an await there lets another module that writes them change them
        between, or a function of another module the module hands them to
        (``handed_state``)."""
        return tuple(sorted(self._beyond(lambda p: p.reread, own, names)))

    def read_beside(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, int, int, str], ...]:
        """(module, name, first line, last line, the other resource) of the project
        modules' globals, a name imported from one among them, and (class, ``self.x``) of
        its instance's attributes, that a run of a coroutine reads, which the module never
        writes, around a safe fix, with another resource other tasks may change
        (``SectionPlanner.beside``; ``own`` and ``names`` as ``moved_globals`` takes them):
        an await there lets another module that writes the state change it between the
        run's accesses of the two."""
        return tuple(sorted(self._beyond(lambda p: p.beside, own, names)))

    def read_pairs(
        self, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, str, str, int, int], ...]:
        """(module, name, module, name, first line, last line) of two states beyond the
        module (as ``read_beside`` takes them, or (``PARAMETER``, ``ledger.sold``) of a
        parameter's attribute: it may be any object's) that a run of a coroutine reads,
        which the module never writes, around a safe fix (``SectionPlanner.pairs``): an await
        there lets other modules that write both change one between the run's reads of the
        two."""
        found = set()
        for planner in self._planners:
            for one, another, first, last in planner.pairs:
                keys = [self._key(planner, r, own, names) for r in (one, another)]
                if all(keys) and keys[0] != keys[1]:
                    if self._safe_within(planner, first, last):
                        found.add((*keys[0], *keys[1], first, last))
        return tuple(sorted(found))

    def _beyond(self, noted, own: tuple[str, set[str]], names: dict[str, str]) -> set[tuple]:
        """The entries ``noted`` gives of each planner ((resource, first line, last line,
        more...)), as (owner, name, first line, last line, more...) of the state beyond the
        module the resource is (``_key``), when a safe fix lies within the lines."""
        found = set()
        for planner in self._planners:
            for resource, first, last, *more in noted(planner):
                key = self._key(planner, resource, own, names)
                if key and self._safe_within(planner, first, last):
                    found.add((*key, first, last, *more))
        return found

    @staticmethod
    def _key(planner, resource: str, own: tuple[str, set[str]], names: dict[str, str]):
        """What state beyond the module ``resource``, read in ``planner``'s coroutine, is
        (``state_key``), or (``PARAMETER``, ``ledger.count``) of a parameter's attribute."""
        head, dot, _ = resource.partition(".")
        if dot and head in planner.state.params and head != planner.state.self_name:
            return PARAMETER, resource
        record = planner.record
        instance = (planner.state.self_name, record.instance[1]) if record.instance else None
        return state_key(resource, instance, own, names)

    def _safe_within(self, planner, first: int, last: int) -> bool:
        """Whether a safe fix of ``planner``'s coroutine lies within lines ``first`` to
        ``last``."""
        inside = (self.findings[i] for i in planner.found.values())
        return any(f.safe_fix and first <= f.line <= last for f in inside)

    def handed_state(
        self, facts: ModuleFacts, own: tuple[str, set[str]], names: dict[str, str]
    ) -> tuple[tuple[str, str, str, str], ...]:
        """(owner, name, callee, place) of the state beyond a call (``module_uses.handed_state``)
        that the module's functions hand a project function they do not await, a sync one
        maybe: the project pass knows whether it changes that argument
        (``ModuleSummary.handed``)."""
        found = set()
        for record in facts.functions:
            calls = [
                (c.node, callee)
                for c in record.calls
                if c.node.__class__ is ast.Call
                and not c.awaited
                and (c.node.args or c.node.keywords)
                and (callee := self._callees.get(c.node) or self._sync_calls.get(c.node))
                and maybe_project(callee)
            ]
            if not calls or record.node is None:
                continue
            access = self._helpers(facts).access(record)
            cls = record.instance[1] if record.instance else None
            for call, callee in calls:
                for owner, name, place in handed_state(call, access, cls, own, names):
                    found.add((owner, name, callee, place))
        return tuple(sorted(found))

    def split_declined_sections(self) -> None:
        """Offer as unsafe what is left of each declined section between the unsafe fixes
        of its calls (``SectionPlanner.split_declined``), the module's fixes settled."""
        for planner in self._planners:
            planner.split_declined(self.findings, self._found)
        self._planners = []

    def _module_state(self, facts: ModuleFacts) -> ModuleState:
        """The module's uses of shared state (made once: sections may have made them)."""
        if self._state is None:
            self._state = ModuleState(facts.functions, self._helpers(facts), self.resolver)
        return self._state

    def drop_private_io(self, facts: ModuleFacts) -> None:
        """Forget the sync functions' calls on temporary files they made (``shared_sync_io``)."""
        self._sync_io = shared_sync_io(self._sync_io, facts.functions)

    def threaded_io(
        self, facts: ModuleFacts, names: dict[str, str]
    ) -> tuple[dict[str, bool], list[str]]:
        """The resources the thread helpers a fix made touch, each with whether one of them
        writes it. Their statements ran on the event loop before the fix, atomically with
        the loop's other code; a helper written by hand never did (a thread it runs in is
        already as concurrent with the loop as a new one would be). And those of them all
        of whose helpers hold the lock of the module's package (``names``: the module's,
        binding ``from pkg._deblock_lock import lock as _sections_lock``)."""
        coroutines = {record.qualname for record in facts.functions if record.is_async}
        lock = f"{self.module.partition('.')[0]}.{LOCK_MODULE}.{LOCK_NAME}"
        guards = {name for name, qualname in names.items() if qualname == lock}
        nodes = {record.qualname: record.node for record in facts.functions} if guards else {}
        threaded: dict[str, bool] = {}
        unguarded: set[str] = set()
        for code, target, call, owner in self._sync_io:
            access = resource_access(code, target, call)
            parent, _, name = owner.rpartition(".")
            if access and parent in coroutines and FIX_HELPER.fullmatch(name):
                resource, mode = access
                threaded[resource] = threaded.get(resource, False) or mode == WRITE
                if not _guarded(nodes.get(owner), guards):
                    unguarded.add(resource)
        return threaded, sorted(set(threaded) - unguarded) if guards else []

    def _in_sync_function(
        self, candidate: Candidate, summary: FunctionSummary, record: FunctionRecord
    ) -> None:
        callee = self.resolver.called(candidate.node.func, candidate.scope, candidate.reaching)
        if candidate.node.__class__ is ast.Call and (
            called_on := calls_on_parameters(
                candidate.node,
                callee,
                record,
                self._own_parameters(record),
                partial(self.resolver.called, scope=candidate.scope, reaching=candidate.reaching),
            )
        ):
            summary.calls_on = [*summary.calls_on, *called_on]
        if callee is None:
            return
        runs = self.resolver.defining(callee)  # a base's method by the base's name
        if runs in ARGUMENT_CHANGERS or runs in self.resolver.functions:
            self._callees[candidate.node] = runs  # what it writes (``StateAccess``)
        consumed, _ = _consumed(candidate.node, callee)
        if consumed is not None:
            self._iterated_in_sync_function(replace(candidate, node=consumed), summary)
        entry = self.catalogue.blocking(callee.qualname)
        if entry is None and callee.__class__ is Obj and callee.others:
            blocking = [(e, o) for o in callee.others if (e := self.catalogue.blocking(o.qualname))]
            entry, callee = blocking[0] if blocking else (None, callee)
        step = (callee.qualname, candidate.node.lineno, not candidate.conditional)
        if entry is None:
            why = call_bound(callee.qualname)
            if why and not (needs_loop(callee.qualname) and self._same_package(callee.qualname)):
                summary.loop = summary.loop or (why, step[1])  # not the async library's own
                self._needing_loop.append(candidate.node)
            elif maybe_project(callee.qualname):
                summary.calls.append(step)
                self._sync_calls[candidate.node] = callee.qualname
                falsy = _falsy_arguments(candidate.node) + self._left_false(callee, candidate.node)
                if falsy:
                    summary.passes = [*summary.passes, (callee.qualname, step[1], falsy)]
                own = partial(self._own_parameters, record)
                forwarded = _forwarded(candidate.node, record, own)
                if forwarded:
                    summary.forwards = [*summary.forwards, (callee.qualname, step[1], forwarded)]
                if handed_on := _handed_on(candidate.node, record, own):
                    summary.hands_on = [*summary.hands_on, (callee.qualname, handed_on)]
                if buffers := handed_buffers(candidate.node, self.resolver, candidate):
                    summary.buffers = [*summary.buffers, (callee.qualname, step[1], buffers)]
                if handed := handed_attributes(candidate.node, record.self_name):
                    summary.handed_self = [*summary.handed_self, (*step[:2], handed)]
        elif blocks_outside_coroutines(entry) and not (
            _exempt(entry, candidate, self._prefixed) or self._made_in_memory(candidate)
        ):
            self._sync_io.append((entry.code, callee.qualname, candidate.node, record.qualname))
            attribute = self_attribute(candidate.node.func, record.self_name)
            if attribute is not None:
                summary.through_self.append((len(summary.blocking), attribute))
            if named := stream_parameter(candidate, self._own_parameters, record, callee.qualname):
                summary.on_parameters = [*summary.on_parameters, (len(summary.blocking), named)]
            summary.blocking.append(step)
            self._note_silenced(entry, step[0], candidate, summary)

    def _prefixes(self, record: FunctionRecord) -> dict[str, list[tuple[str, int, int]]]:
        """The parameters of ``record`` its body never rebinds that its guards make start
        with a prefix: (prefix, first line, last line) by name (``FunctionRecord.prefixes``)."""
        own = self._own_parameters(record)
        prefixed: dict[str, list[tuple[str, int, int]]] = {}
        for name, prefix, first, last in record.prefixes:
            if name in own:
                prefixed.setdefault(name, []).append((prefix, first, last))
        return prefixed

    def _own_parameters(self, record: FunctionRecord) -> dict[str, tuple[str, ...]]:
        """``own_parameters(record)``, kept while the calls of ``record`` are judged."""
        if self._own is None or self._own[0] is not record:
            self._own = (record, own_parameters(record))
        return self._own[1]

    def _left_false(self, callee: Symbol, call: ast.Call) -> tuple[str, ...]:
        """The parameters a call of a function (or class) of this module leaves to a false
        default (``false_defaults``); those of other modules' are known to the project pass
        for a coroutine's calls only."""
        if not callee.qualname.startswith(self._prefix):
            return ()
        functions = self.resolver.functions
        record = functions.get(callee.qualname) or functions.get(f"{callee.qualname}.__init__")
        if record is None or record.node is None or record.is_async:
            return ()
        return left_false(self._false_defaults(record), _positional(call), _keyword_names(call))

    def _false_defaults(self, record: FunctionRecord) -> tuple[tuple[str, ...], ...]:
        """``false_defaults`` of sync function ``record`` (computed once)."""
        defaults = self._defaults.get(record.node)
        if defaults is None:
            defaults = self._defaults[record.node] = false_defaults(record.node, _places(record))
        return defaults

    def _lazy_return(self, record: FunctionRecord) -> str | None:
        """The blocking call of the standard library or the catalogue whose lazy result
        sync function ``record`` returns as it is (``return Path(root).glob("*")``)."""
        for returned in record.returned:
            value = returned.expr
            if value.__class__ is ast.Call:
                callee = self.resolver.called(value.func, returned.scope, returned.reaching)
                entry = callee and self.catalogue.blocking(callee.qualname)
                if entry is not None and _lazy_on(entry, ()):
                    return callee.qualname
        return None

    def _iterated_in_sync_function(self, candidate: Candidate, summary: FunctionSummary) -> None:
        """What a project function returns, iterated in a sync function: a step of its
        chains written ``pkg.rows.read()`` (a generator's body runs then)."""
        if not isinstance(candidate.node, ast.Call | ast.Name):
            return  # an attribute holds no generator a call of this module made
        produced = self._produced(candidate)
        if produced is not None and produced.endswith("()") and maybe_project(produced):
            summary.calls.append((produced, candidate.node.lineno, not candidate.conditional))

    # -- coroutines ---------------------------------------------------------

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
        consumed, early = _consumed(node, callee)
        if consumed is not None:
            unfixable = candidate.unfixable or (_STOPS_EARLY if early else None)
            iterated = replace(candidate, node=consumed, unfixable=unfixable)
            if self._judged_as_called(iterated):
                self._iterated_site(iterated, None, summary)
            else:  # what a name holds, or a call that only makes it, iterated as by a ``for``
                self._iteration(iterated, summary)
        if self._creates_generator(callee) or self._makes_catalogued(callee):
            return  # calling a generator method runs none of it; nor does making a cursor
        entry, callee = (None, callee) if evidence else self._blocking_option(callee)
        if callee is not None:
            self._callees[node] = self.resolver.defining(callee)
        if evidence:
            self._awaited.setdefault(callee.qualname, f"{self.path}:{node.lineno}")
        if entry is not None:
            if not (
                _exempt(entry, candidate, self._prefixed)
                or (entry.unless_suspended and suspended_before(record, node))
                or self._made_in_memory(candidate)
            ):
                self._blocking(entry, callee, candidate, summary, record.qualname)
            return
        index = bridge_index(callee, node.func)
        if index is not None:
            self._bridge(candidate, index, summary)
        elif callee is not None and candidate.awaited and self.resolver.below(callee):
            self._project_site(Ref(f"{DUCK}{callee.path[1:]}"), candidate, summary, True)
        elif callee is not None and maybe_project(callee.qualname):
            self._project_site(callee, candidate, summary, evidence)
        elif callee is None and candidate.awaited and (duck := duck_callee(node.func)):
            self._project_site(Ref(duck), candidate, summary, True)  # the project's, maybe

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
            if not (prefixes and _starts_with(value, self._prefixed, prefixes)):
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
        site.falsy = _falsy_arguments(node)
        site.positional = _positional(node)
        site.keywords = _keyword_names(node)
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

    def _note_silenced(
        self, entry: Blocking, target: str, candidate: Candidate, summary: FunctionSummary
    ) -> None:
        """Note the blocking step (``target``, line) of a sync function in ``silenced`` if a
        ``# noqa`` on its call's first or last line silences it: bare, naming its rule's code,
        the flake8-async code of the call (picked from its arguments, as for a finding), or
        DBK801, the code its callers report it with. That is where the comment acts."""
        if not self.lines.noqa:
            return
        from deblock.analysis.argument_codes import with_argument_code
        from deblock.noqa import span_silenced

        node = candidate.node
        resolve = partial(self.resolver.resolve, scope=candidate.scope, reaching=candidate.reaching)
        entry = with_argument_code(entry, node, resolve)
        codes = (entry.code, entry.async_equivalent or BY_CODE[entry.code].async_equivalent)
        if span_silenced(self.lines.noqa, node.lineno, node.end_lineno, *codes, "DBK801"):
            summary.silenced = (*summary.silenced, (target, node.lineno))

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
            _Swap(
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

    def settle_swaps(self, functions: dict[str, FunctionSummary]) -> None:
        """Report the twin findings of project classes; a swap that would change the
        program (the call passes a keyword the twin does not take, ...) is withheld. A pair
        that differs is no twins (``no_twins``), nor is an override and its base's coroutine
        (``unpaired_override``), nor a pair whose coroutine itself reaches the call (it runs
        the method on the event loop: no evidence that the method waits): the call is left
        to the project pass, as a call of a method without one."""

        def callees(qualname: str) -> list[str]:
            function = functions.get(qualname)
            return [] if function is None else function.callees()

        for swap in self._swaps:
            name, twin = swap.callee.qualname.rpartition(".")[2], swap.entry.async_twin
            signatures = (
                self.resolver.classes[swap.owner].signatures.get(name),
                self.resolver.classes[swap.twin_owner].signatures.get(twin),
            )
            base_own = self.resolver.owner(swap.twin_owner, name)
            owners = (swap.owner, swap.twin_owner, base_own)
            extends = name in self.resolver.classes[swap.owner].extends
            inside = reaches(f"{swap.twin_owner}.{twin}", swap.caller, callees)
            if no_twins(*signatures) or unpaired_override(owners, extends) or inside:
                self._project_site(swap.callee, swap.candidate, swap.summary, False)
                continue
            in_thread = threaded_code(
                self.resolver.classes[swap.twin_owner].in_thread.get(twin, ()),
                partial(self.resolver.owner, swap.receiver),
                swap.twin_owner,
            )
            awaited_at = awaited_twin(self._awaited, twin, self.resolver.owner, swap.twin_owner)
            self.report(
                swap.entry,
                swap.callee.qualname,
                swap.shown,
                swap.candidate,
                handed_coroutine=swap.handed_coroutine,
                handed_code=swap.handed_code,
                hazard=swap_hazard(
                    name,
                    twin,
                    signatures,
                    False,
                    owners,
                    in_thread,
                    awaited_at,
                    _keyword_names(swap.candidate.node),
                ),
                loop_bound=starts_tasks_on_the_loop(signatures[0]),
            )

    def _same_package(self, qualname: str) -> bool:
        """Whether ``qualname`` lies in this module's top-level package (another module of
        the project: only the project pass knows it)."""
        return qualname.partition(".")[0] == self.module.partition(".")[0]

    def _handed(self, callee: Symbol, candidate: Candidate) -> Symbol | None:
        """What a breaker's ``call`` is handed to run (its first positional argument)."""
        args = candidate.node.args
        if callee.qualname.rpartition(".")[2] not in HANDS_A_FUNCTION or not args:
            return None
        return self.resolver.resolve(args[0], candidate.scope, candidate.reaching)

    def _handed_code(
        self, callee: Symbol, candidate: Candidate, handed: Symbol | None, coroutine
    ) -> str | None:
        """The project's own sync code a breaker's ``call`` at ``candidate`` runs: what it
        is ``handed``, not a ``coroutine`` function, or what its lambda calls. Swapped for
        ``call_async``, it would run in a worker thread."""
        if handed is not None:
            return handed.qualname if coroutine is False else None
        return self._lambda_callee(callee, candidate)

    def _lambda_callee(self, callee: Symbol, candidate: Candidate) -> str | None:
        """The project's own code a lambda handed to a breaker's ``call`` calls (``lambda:
        tally(x)``): the module's sync functions, or any of its package's."""
        args = candidate.node.args
        if callee.qualname.rpartition(".")[2] not in HANDS_A_FUNCTION or not args:
            return None
        if not isinstance(args[0], ast.Lambda):
            return None
        for node in own_nodes(args[0].body):
            if node.__class__ is ast.Call:
                called = self.resolver.called(node.func, candidate.scope, candidate.reaching)
                if called is not None and (
                    self.resolver.is_coroutine(called) is False
                    or (maybe_project(called.qualname) and self._same_package(called.qualname))
                ):
                    return called.qualname
        return None

    def _creates_generator(self, callee: Ref | Obj | None) -> bool:
        """Whether ``callee`` is a sync generator method of this module's classes."""
        if not isinstance(callee, Obj) or callee.path.count(".") != 1:
            return False
        record = self.resolver.method_record(callee.cls, callee.path[1:])
        return record is not None and record.is_generator and not record.is_async

    def _blocking_option(self, callee: Ref | Obj | None) -> tuple[Blocking | None, Ref | Obj]:
        """The first of the callee's options (the types its receiver may have) that
        blocks, with its entry; else no entry and the callee."""
        for option in callee.options() if isinstance(callee, Obj) else ():
            entry = self._blocking_entry(option)
            if entry is not None:
                return entry, option
        return (self._blocking_entry(callee) if isinstance(callee, Ref) else None), callee

    def _blocking_entry(self, callee: Ref | Obj) -> Blocking | None:
        entry = self.catalogue.blocking(callee.qualname)
        if entry is not None or not isinstance(callee, Obj) or callee.path.count(".") != 1:
            return entry
        return twin_entry(
            callee.qualname,
            lambda name: self.resolver.method(callee.cls, name),
            self.twins,
            lambda name: self.resolver.signature(callee.cls, name),
        )

    def _bridge(self, candidate: Candidate, index: int, summary: FunctionSummary) -> None:
        """Judge what a thread bridge is handed: a coroutine, async or pure function."""
        args = candidate.node.args
        if len(args) <= index or isinstance(args[index], ast.Starred):
            return
        handed = self.resolver.resolve(args[index], candidate.scope, candidate.reaching)
        if handed is None:
            return
        code = self._bridge_code(handed)
        shown = self.lines.text(args[index])
        entry = self.catalogue.blocking(handed.qualname)
        if code is not None:
            self.report(Blocking(handed.qualname, code), handed.qualname, shown, candidate)
        elif entry is not None and _lazy_on(entry, candidate.python):
            lazy = Blocking(handed.qualname, _PARTIAL_BRIDGE, lazy_result=True)
            self.report(lazy, handed.qualname, shown, candidate, detail=_LAZY_DETAIL)
        elif entry is not None:
            self._bridges.append((candidate, args[index], handed.qualname))
        elif maybe_project(handed.qualname):
            site = self.site(handed.qualname, args[index], candidate)
            site.bridged = True  # the project pass unwraps it if it hands a coroutine
            why = unwritable("unwrap-bridge", "DBK802", candidate.node, candidate.awaited)
            site.unfixable = site.unfixable or why
            summary.sites.append(site)

    def settle_bridges(self) -> None:
        """Report the bridges of blocking functions whose arguments block on the loop (the
        findings inside them), before the thread starts; not for a call whose rule's only
        fix is unsafe (``input()``): a thread is no safe place for it either."""
        movable = [f for f in self.findings if not (f.unsafe_fix_only and not f.declined)]
        for candidate, function, handed in self._bridges:
            start = self._span(function)[2:]
            end = self._span(candidate.node)[2:]
            if any(start <= (f.line, f.col) and (f.end_line, f.end_col) <= end for f in movable):
                shown = self.lines.text(function)
                entry = Blocking(handed, _PARTIAL_BRIDGE)
                self.report(entry, handed, shown, candidate, detail=_ARGUMENTS_DETAIL)

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

    def _bound(self, record: FunctionRecord) -> Bound:
        """The nodes of coroutine ``record`` that must stay on the event loop's thread."""
        bound = self._bound_nodes.get(record.qualname)
        if bound is None:
            bound = thread_bound(
                record.own_code,
                self._callees,
                self._type_of(record),
                self.thread_locals,
                self._loop_of(record),
                self.context_attributes,
            )
            self._bound_nodes[record.qualname] = bound
        return bound

    def _thread_data(self, record: FunctionRecord) -> tuple:
        """(why, line): the first thing sync function ``record``'s own statements do, but
        the calls judged as they are summarised, that must run on the event loop's thread,
        if any: use thread-local data, change ``os.environ``, set a ``ContextVar`` its
        module holds in an attribute, read the exception its caller handles or let out a
        ``StopIteration`` (``frame_bound_at``). Only functions that can do any of it are
        read: of a module that can hold thread-local data or holds such a ``ContextVar``,
        that set an item in a module that imports ``os``, that call ``next`` or an
        exception reader."""
        found = []
        environ = record.sets_items and "os" in self.imported
        if self.thread_locals or environ or self.context_attributes:
            moves = self._bound(record).moves
            first = first_bound_node((n for n in moves if not self._judged(n)), moves)
            if first is not None:
                found.append((first.lineno, moves[first]))
        if any(_reads_frame_or_steps(c.node) for c in record.calls):
            frame = frame_bound_at(record.node.body, own_frame=False)
            if frame is not None:
                found.append((frame[1].lineno, frame[0]))
        if not found:
            return ()
        line, why = min(found)
        return why, line

    def _judged(self, node: ast.AST) -> bool:
        """Whether ``node`` is a call that a sync function's summary judges as it is made
        (``call_bound``, the async library's own code aside)."""
        return isinstance(node, ast.Call) and call_bound(self._callees.get(node) or "") is not None

    def _loop_of(self, record: FunctionRecord) -> Callable[[str], str | None]:
        """Why a sync function nested in ``record`` must run on the event loop's thread."""

        def loop_of(name: str) -> str | None:
            nested = self.functions.get(f"{record.qualname}.{name}")
            return nested.loop[0] if nested is not None and nested.loop else None

        return loop_of

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
                mover = mover or next((f for f in whole if _holds(f, site)), None)
                if mover is not None:
                    site.moved = (mover.line, mover.col)

    def mark_awaited_runs(
        self,
        facts: ModuleFacts,
        functions: dict[str, FunctionSummary],
        entries: set[str],
        shared: dict[str, str],
    ) -> None:
        """Tell each coroutine's summary whether (and from which line to which) it suspends
        other than by awaiting its call sites, and the runs of statements only those awaits
        cross, with what they touch (``atomic_runs``): the project pass keeps callers' runs
        atomic. A coroutine no other task runs beside has none: a test pytest runs, or the
        program's first task (``entries``, by name), in a module that starts no task.
        ``shared``: the module's conditions made on another lock (``free_locks.conditions``)."""
        from deblock.analysis.atomic_runs import (
            ARGUMENT,
            argument_state,
            awaited_runs,
            called_runs,
            callee_state,
            edge_state,
            handed_nodes,
            own_suspensions,
            receiver_state,
            receivers,
            skipping,
            state_touches,
            unordered_suspensions,
        )
        from deblock.analysis.zero_sleeps import zero_sleeps

        alone = self._alone(facts, entries) if not facts.tasks else set()
        planners = {planner.record.qualname: planner for planner in self._planners}
        globals_ = reached = None
        name_of = self.name_in
        for record in facts.functions:
            summary = functions.get(record.qualname) if record.is_async else None
            if summary is None:
                continue
            sites = self._call_sites(record, summary)
            summary.suspended = own_suspensions(record, sites)
            zeros = zero_sleeps(record, self._callees.get) if record.suspensions else []
            summary.zero_sleeps = tuple(sorted({node.lineno for node in zeros}))
            if record.ordered_locks or record.free_locks or zeros:
                summary.unordered = unordered_suspensions(record, sites, zeros)
            if record.ordered_locks or record.free_locks:
                summary.ordered = ordered_names(record, facts, name_of, shared)
                state = self._module_state(facts)
                planner = planners.get(record.qualname) or SectionPlanner.bare(record, state)
                summary.turns = turn_names(planner, record, facts, name_of, shared)
                summary.reentries = planner.reentries(sites)
            # its awaits of duck-typed calls suspend, but where the project pass finds the
            # method a project's coroutine that never does: its edges and lazy uses lie there
            known = {c: i for c, i in sites.items() if not summary.sites[i].callee.startswith(DUCK)}
            suspended = (
                own_suspensions(record, known) if len(known) < len(sites) else summary.suspended
            )
            if record.qualname in alone:
                continue
            found = (self._found.get(c.node) for c in record.calls)
            mine = [self.findings[i] for i in found if i is not None]
            if globals_ is None:
                globals_ = self._helpers(facts).globals | self._awaited_objects(facts, functions)
                reached = globals_ | self._project_imports()
            # awaited, it runs whole: the state it touches counts in its callers' runs,
            # should a fix of its own or of a coroutine it awaits make it suspend, or a fix of
            # the caller's come between what it touches and the caller's own accesses. Its
            # callers may be in other modules (``helpers.coroutine_0()``, writing its
            # ``COUNT`` or ``LEDGER.count`` of ``from ledgers import LEDGER``, after the
            # caller read it: ``bench/fix_fuzz.py --objects --modules 2`` seed 109175).
            whole = not summary.suspends and (bool(reached) or record.instance is not None)
            access = self._helpers(facts).access(record)
            received = []  # the calls on an object of its state: the callee's self is it
            for call, i in sites.items():  # what of its state it hands the coroutines
                project = maybe_project(summary.sites[i].callee)
                receiver = receiver_state(call, access, globals_) if project else ()
                received += [call] if receiver else []
                summary.sites[i].arguments = argument_state(call, access, globals_) + receiver
            # what it reads of its state, a coroutine it awaits on its instance (or of its
            # module), or one it hands that state, may write, or read
            shares = any(
                self._shares_state(summary.sites[i]) or summary.sites[i].arguments
                for i in sites.values()
            )
            looked_up = receivers(received) | _imported_callees(record, reached - globals_)
            called = self._call_sites(record, summary, awaited=False)
            if called:
                writes = bool(record.state_writes or record.sets_items)
                resources = [f.line for f in mine if f.resource]
                arguments = {
                    call: argument_state(call, access, globals_)
                    for call in called
                    if isinstance(call, ast.Call)
                }
                reaching = {c.node: c for c in record.calls}
                for call, handed in arguments.items():
                    site = summary.sites[called[call]]
                    site.arguments = handed
                    site.plain = plain_arguments(call, handed, self.resolver, reaching[call])
                others = reached - globals_
                summary.called = called_runs(
                    record, called, access, writes, resources, arguments, others, looked_up
                )
            runs = len(sites) > 1 or (
                sites
                and (record.state_writes or mine or shares or called or _repeated(record, sites))
            )
            # what it does to its parameters' state its callers' arguments may be
            handed = tuple(positional_parameters(record))
            # it may suspend: what it touches of that state before its first suspension and
            # after its last runs with its callers' statements around the await
            edged = (summary.suspends or bool(sites)) and (
                bool(reached) or record.instance is not None or bool(handed)
            )
            state = None
            if whole or edged or handed or (runs and (record.state_writes or shares)):
                touches, skipped = state_touches(record, access, reached - globals_), looked_up
                state = skipping(touches, skipped)
            if edged:
                summary.edges = edge_state(state, suspended, reached)
            planner = planners.get(record.qualname)
            lazy = planner is not None and (suspended or runs)
            uses = planner.lazy_uses() if lazy else []
            if suspended:
                # a lazy result does its I/O where it is iterated, maybe past a suspension
                summary.lazy = tuple((line, key, mode == WRITE) for line, key, mode in uses)
            if runs:
                touched = [_touch(f) for f in mine]
                # its reads of the arguments handing its state are the calls' part
                handing = state is not None and handed_nodes(sites, access, globals_)
                ran = skipping(touches, skipped | handing) if handing else state
                summary.runs = awaited_runs(record, sites, touched, ran, reached, uses, called)
                named = {key for run in summary.runs for _, _, key, mode, *_ in run if mode}
                summary.run_parameters = tuple(sorted(named & parameter_names(record)))
            if whole or (handed and not summary.suspends):
                own = callee_state(state, reached)
                argued = tuple(t for t in own if t[0].startswith(ARGUMENT))
                summary.state = own if whole else argued
            keys = [key for _, key, _ in summary.edges] + [key for key, _ in summary.state]
            keys += [key for i in sites.values() for _, key in summary.sites[i].arguments]
            if any(key.startswith(ARGUMENT) for key in keys):
                summary.parameters = handed

    def _project_imports(self) -> set[str]:
        """The names the module imports from what may be the project (``import helpers``,
        ``from ledgers import LEDGER``): the state their attributes reach (``helpers.COUNT``,
        ``LEDGER.count``) is other modules' globals, which a coroutine of theirs it awaits
        may touch (``atomic_runs``' runs, ``callee_state``, ``edge_state``)."""
        return {name for name, qualname in self.imported.items() if maybe_project(qualname)}

    def _awaited_objects(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]):
        """The other modules' objects the module's coroutines await methods of
        (``atomic_runs.awaited_objects``): state of theirs as the module's globals are."""
        from deblock.analysis.atomic_runs import awaited_objects

        helpers = self._helpers(facts)
        found: set[str] = set()
        for record in facts.functions:
            if record.is_async and record.qualname in functions:
                found |= awaited_objects(record, helpers.access(record), self.imported)
        return found

    def _shares_state(self, site: CallSite) -> bool:
        """Whether the coroutine ``site`` awaits may touch its caller's state: a method of
        the caller's instance, or a coroutine of its module."""
        return site.on_instance or site.callee.startswith(f"{self.module}.")

    def _alone(self, facts: ModuleFacts, entries: set[str]) -> set[str]:
        """The coroutines no other task runs beside, in a module that starts no task: tests
        (pytest runs one at a time) and the program's first task (``entries``)."""
        test = is_test_module(self.path)
        alone = set()
        for record in facts.functions:
            outer, _, name = record.qualname.rpartition(".")
            if (test and name.startswith("test")) or (
                name in entries and outer == facts.scope.qualname
            ):
                alone.add(record.qualname)
        return alone

    def _call_sites(
        self, record: FunctionRecord, summary: FunctionSummary, awaited: bool = True
    ) -> dict:
        """The calls coroutine ``record`` awaits (with ``awaited`` false: makes with no
        await, another module's sync function maybe, whose effects the project pass knows)
        that are its call sites (not bridged), each with the site's index in ``summary``."""
        spans = {
            s.span: i for i, s in enumerate(summary.sites) if s.awaited == awaited and not s.bridged
        }
        return {
            c.node: i
            for c in record.calls
            if c.awaited == awaited and spans and (i := spans.get(self._span(c.node))) is not None
        }

    def _process_changes(self, record: FunctionRecord) -> dict[ast.AST, str]:
        """What coroutine ``record`` does that changes what the whole process sees
        (``Bound.process``); none unless it calls such a function, or sets or deletes an
        item in a module that names ``environ``."""
        if not (
            (record.sets_items and self._names_environ)
            or any(self._callees.get(c.node) in PROCESS_STATE_CALLS for c in record.calls)
        ):
            return {}
        return self._bound(record).process

    @cached_property
    def _names_environ(self) -> bool:
        return self.lines.mentions("environ")

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
            hazards = _AwaitHazards(
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

    def _bridge_code(self, handed: Ref | Obj) -> str | None:
        qualname = handed.qualname
        if qualname in ALREADY_ASYNC:
            return "DBK804"
        if qualname in PURE:
            return "DBK805"
        return "DBK802" if self.resolver.is_coroutine(handed) else None

    # -- output -------------------------------------------------------------

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
            if self.findings[i].strategy == _SLEEP and self.findings[i].safe_fix:
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
                or any(f is not finding and _holds(finding, f) for f in unsafe)
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
                    self.findings[i] = decline(finding, f"{_LAMBDA_IN_THREAD}{why}", unsafe=True)
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
        if finding.strategy == _SLEEP and isinstance(candidate.node, ast.Call):
            self._sleeps.append(candidate)  # judged once its arguments' calls are


class _AwaitHazards:
    """Why an await a fix adds at a line of coroutine ``record`` would change the program:
    cancellation meeting it, a task it started taking a step before it is used
    (``started_tasks``), other tasks running before a patch lands (``patches``), a thread
    lock held there, a raise the code expects; each kind of region found once, when first
    asked for."""

    def __init__(
        self,
        record: FunctionRecord,
        facts: ModuleFacts,
        type_of: Callable[[ast.expr], str | None],
        patching: bool,
        state: Callable[[], ModuleState],
        files: FileWork,
        mocked_outside: list[tuple[frozenset[str], str]],
        hierarchy: Resolver,
    ):
        from deblock.analysis.shared_iterations import SharedIterations

        self.record, self.type_of = record, type_of
        self.hierarchy = hierarchy  # the module's classes' method orders (a base's sides)
        self.files = files  # what tells code touching the file system
        self.mocked_outside = mocked_outside  # mocks in place for all of its run
        self.iterations, self.state = SharedIterations(record, state), state
        self.patching, self.tasks = patching, facts.tasks  # whether the module names one
        self.statements, self.lock_calls = facts.inside(record.node)

    @cached_property
    def _cleanup(self) -> list[tuple[int, int, str]]:
        return cleanup_regions(self.record.node, self.statements)

    @cached_property
    def _scopes(self) -> list[tuple[int, int, str]]:
        return cancelling_scopes(self.statements)

    @cached_property
    def _raced(self) -> list[tuple[int, int, int, int, str]]:
        from deblock.analysis.raced_cleanup import raced_regions

        return raced_regions(self.statements, self.files)

    def raced(self, line: int, finding: Finding) -> str | None:
        """Why moving ``finding``'s file-system call at ``line`` into a worker thread
        would let a cancelled coroutine's cleanup race it (``raced_cleanup``), if it would:
        a call on a private file too (in a temporary directory its ``with`` removes)."""
        if not self.files.blocks(finding.target):
            return None
        from deblock.analysis.raced_cleanup import raced_at

        return raced_at(self._raced, line, finding.section)

    @cached_property
    def _interrupted(self) -> list[tuple[int, int, str]]:
        return interrupt_regions(self.statements)

    @cached_property
    def _tasks(self) -> list[tuple[int, int, str]]:
        if not (self.tasks and starts_tasks(c.node for c in self.record.calls)):
            return []
        return task_regions(self.record.node, statement_runs(self.record))

    @cached_property
    def _patches(self) -> list[tuple[int, int, str]]:
        from deblock.analysis.patches import patch_regions, patches_state

        if not (self.patching and patches_state(self.record.calls)):
            return []
        return patch_regions(self.record.node, self.record.suspensions)

    @cached_property
    def _mocked(self) -> list[tuple[int, int, frozenset[str], str]]:
        from deblock.analysis.patches import mocked_regions

        if not self.patching:
            return []
        node = self.record.node
        whole = (node.body[0].lineno, node.end_lineno)  # type: ignore[union-attr]
        outside = [(*whole, replaced, why) for replaced, why in self.mocked_outside]
        return outside + mocked_regions(node)

    def mocked(self, line: int, strategy: str) -> str | None:
        """Why a fix of ``strategy`` at ``line`` would await a mock the coroutine put in
        place of the async library's function it awaits, if it would."""
        from deblock.analysis.patches import awaited_by

        awaited = awaited_by(strategy)
        return next(
            (why for a, b, replaced, why in self._mocked if a <= line <= b and replaced & awaited),
            None,
        )

    @cached_property
    def _locks(self) -> list[tuple[int, int, str, int, int]]:
        from deblock.analysis.held_locks import lock_regions

        return lock_regions(self.record.node, self.statements, self.lock_calls, self.type_of)

    @cached_property
    def _managers(self) -> list[tuple[int, int, str]]:
        if not any(s.__class__ in (ast.With, ast.AsyncWith) for s in self.statements):
            return []
        helpers = self.state().helpers
        return manager_regions(self.statements, self.type_of, helpers, self.hierarchy)

    @cached_property
    def _raising(self) -> list[tuple[int, int, str]]:
        from deblock.analysis.expected_raises import raise_regions

        return raise_regions(self.statements)

    def why(self, line: int, section: tuple[int, int] | None) -> str | None:
        """Why an await at ``line`` (in ``section``, which may take a lock's whole block
        into its thread) would change the program, if it would."""
        why = (
            _cleanup_staying(self._cleanup, line, section)
            or region_of(self._scopes, line)
            or region_of(self._interrupted, line)
            or region_of(self._tasks, line)
            or region_of(self._patches, line)
        )
        if why is not None:
            return why
        why = self.iterations.why(line, section)
        if why is not None:
            return why
        why = free_lock_reason(self.record, line)
        if why is not None:
            return why
        for first, last, shown, taken, freed in self._locks:
            inside = section is not None and section[0] <= taken and freed <= section[1]
            if first <= line <= last and not inside:
                return (
                    f"it runs while `{shown}`, a thread lock, is held: an await would let "
                    "other tasks run with it taken, and the first to take it would block "
                    "the event loop for good"
                )
        return region_of(self._managers, line)

    def raises(self, line: int) -> str | None:
        """Why unwrapping a bridge at ``line`` would change what the code observes."""
        why = region_of(self._raising, line)
        return None if why is None else f"{why}, and the bridge itself may be what raises"


def _cleanup_staying(
    regions: list[tuple[int, int, str]], line: int, section: tuple[int, int] | None
) -> str | None:
    """The why of the first cleanup region holding ``line`` that stays on the loop: not
    one ``section`` moves into its thread with the whole ``try`` (it starts before it)."""
    for first, last, why in regions:
        moved = section is not None and section[0] < first and last <= section[1]
        if first <= line <= last and not moved:
            return why
    return None


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


def _drop_past_a_loop_guard(summary: FunctionSummary, function: ast.AST | None) -> None:
    """Keep, of sync ``function``'s steps, those before a guard that raises where an event
    loop runs (``loop_guards``): called from a coroutine, it never gets past the guard."""
    guard = loop_guard_line(function) if isinstance(function, ast.FunctionDef) else None
    if guard is None:
        return
    kept = [i for i, (_, line, _) in enumerate(summary.blocking) if line < guard]
    new_index = {old: new for new, old in enumerate(kept)}
    summary.through_self = [(new_index[i], a) for i, a in summary.through_self if i in new_index]
    summary.on_parameters = [(new_index[i], n) for i, n in summary.on_parameters if i in new_index]
    summary.blocking = [summary.blocking[i] for i in kept]
    summary.calls = [step for step in summary.calls if step[1] < guard]
    summary.silenced = tuple(step for step in summary.silenced if step[1] < guard)


def _consumed(call: ast.Call, callee: Symbol | None) -> tuple[ast.expr | None, bool]:
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


def make_finding(
    entry: Blocking,
    target: str,
    shown: str,
    path: str,
    span,
    unfixable,
    *,
    handed_coroutine: bool = False,
    handed_code: str | None = None,
    handed_races: str | None = None,
    hazard: str | None = None,
    loop_bound: bool = False,
    through_partial: bool = False,
    **extra,
) -> Finding:
    """A finding for a catalogue entry, worded by its rule. A twin whose swap has a
    ``hazard`` is not offered: the thread bridge is, as an unsafe fix saying what to
    review, unless the sync method is ``loop_bound`` (it starts tasks: a worker thread has
    no running loop). A
    call ``through_partial`` holds only some of its arguments: only the thread bridge, which
    takes the partial whole, is offered (unsafe, declined, where the rule's fix is another).
    A breaker's ``call`` ``handed_code``, a sync function of the project, gets ``call_async``
    only as an unsafe fix: that function would run in a worker thread (as DBK801's); so
    does one handed a lambda whose body ``handed_races`` code on the event loop there."""
    rule = BY_CODE[entry.code]
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if entry.code == CONFIGURED_CODE and entry.message:
        message = entry.message
    else:
        twin = (entry.async_twin or "an async equivalent").rpartition(".")[2]
        message = (entry.message or rule.message).format(target=shown, twin=twin, **extra)
    strategy, unsafe_strategy = rule.strategy, rule.unsafe_strategy
    declined = None
    if hazard is not None:
        message += f"; not swapped: {hazard}"
        strategy, unsafe_strategy = None, None if loop_bound else _THREAD_BRIDGE
        declined = unsafe_strategy and (
            f"`{shown}` would run in a worker thread, beside the event loop: review that "
            "it touches no state that is not thread-safe"
        )
    if through_partial and _THREAD_BRIDGE != strategy and (strategy or unsafe_strategy):
        declined = _PARTIAL_FIX if strategy else declined
        strategy, unsafe_strategy = None, _THREAD_BRIDGE
    elif through_partial:
        unsafe_strategy = None
    if handed_code is not None and strategy == _CALL_ASYNC:
        declined = (
            f"the breaker's `call_async` would run `{handed_code}`, the project's own code, "
            "in a worker thread, beside the event loop, where it ran serialised with the "
            "other tasks: review that it touches no state that is not thread-safe"
        )
        strategy, unsafe_strategy = None, _CALL_ASYNC
    elif handed_races is not None and strategy == _CALL_ASYNC:
        declined = f"{_LAMBDA_IN_THREAD}{handed_races}"
        strategy, unsafe_strategy = None, _CALL_ASYNC
    line, col, end_line, end_col = span
    return Finding(
        path=path,
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
        code=entry.code,
        message=message,
        target=target,
        strategy=strategy,
        unsafe_strategy=unsafe_strategy,
        unfixable=unfixable,
        async_equivalent=entry.async_equivalent or rule.async_equivalent,
        twin=entry.async_twin,
        lazy_result=entry.lazy_result,
        handed_coroutine=handed_coroutine,
        chain=tuple(extra.get("steps", ())),
        resource=extra.get("resource"),
        writes=extra.get("writes", False),
        declined=declined,
        silenced_within=extra.get("silenced_within", False),
    )


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
    return finding.strategy == _CALL_ASYNC and not finding.handed_coroutine


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


def _holds(finding: Finding, site: CallSite) -> bool:
    """Whether the span of ``finding`` holds that of ``site``."""
    start, end = (finding.line, finding.col), (finding.end_line, finding.end_col)
    return start <= (site.line, site.col) and (site.end_line, site.end_col) <= end


def _touch(finding: Finding) -> tuple[int, str, str]:
    """A finding's line, resource and mode (its target and no mode when it touches no
    resource), as a coroutine's run records it (``atomic_runs``)."""
    mode = (WRITE if finding.writes else READ) if finding.resource else ""
    return finding.line, finding.resource or finding.target, mode


def _state_names(facts: ModuleFacts) -> set[str]:
    """The module's globals that hold state: not imports, functions or classes, but a class
    whose attributes the module writes (``Counter.total += 1``, ``Counter.seen.append(x)``)."""
    code = {Kind.IMPORT, Kind.FUNCTION, Kind.COROUTINE, Kind.CLASS}
    written = {
        node.value.id
        for node, writes in facts.name_attributes.items()
        if writes and node.value.__class__ is ast.Name
    }
    return {
        name
        for name, bindings in facts.scope.bindings.items()
        if bindings[-1].kind not in code or bindings[-1].kind is Kind.CLASS and name in written
    }


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


def _imported_callees(record: FunctionRecord, imports: set[str]) -> set[ast.AST]:
    """The functions and methods ``record`` calls as attributes of names the module imports
    (``helpers.save``, ``LEDGER.add`` of ``imports``): looked up, not state it reads."""
    return {
        call.node.func
        for call in record.calls
        if call.node.__class__ is ast.Call
        and call.node.func.__class__ is ast.Attribute
        and call.node.func.value.__class__ is ast.Name
        and call.node.func.value.id in imports
    }


def _repeated(record: FunctionRecord, sites: dict[ast.AST, int]) -> bool:
    """Whether a loop of coroutine ``record`` awaits one of ``sites`` again in its next
    round (read only for a lone site: two or more make a run whatever their loops)."""
    from deblock.analysis.atomic_runs import loop_rounds

    looped = loop_rounds(record.node.body)
    return any(looped(node.lineno) for node in sites)


def _only_if(
    record: FunctionRecord, summary: FunctionSummary, own: dict[str, tuple[str, ...]]
) -> list[tuple[int, str]]:
    """(line, parameter) for the steps of sync function ``record`` that run only when a
    parameter the body never rebinds (``own``) is truthy (``record.guards``), under each
    of its names."""
    found = []
    for line in sorted({line for _, line, _ in (*summary.blocking, *summary.calls)}):
        for name, first, last in record.guards:
            if first <= line <= last and name in own:
                found += [(line, written) for written in own[name]]
    return list(dict.fromkeys(found))


def own_parameters(record: FunctionRecord) -> dict[str, tuple[str, ...]]:
    """The parameters of ``record`` its body never rebinds, each with the names a call may
    give it: its own, and its place among the arguments the call writes (``#0``, as
    ``_falsy_arguments`` names it)."""
    if record.node is None:
        return {}
    bindings = record.own_scope.bindings if record.own_scope is not None else {}
    places = _places(record)
    args = record.node.args
    return {
        a.arg: (a.arg, places[a.arg]) if a.arg in places else (a.arg,)
        for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if len(bindings.get(a.arg, ())) == 1
    }


def _forwarded(
    call: ast.Call, record: FunctionRecord, own: Callable[[], dict[str, tuple[str, ...]]]
) -> tuple:
    """The parameters of the caller ``record`` (``own()``: ``own_parameters``) that ``call``
    hands on as they are (``is_file(path)``, also through a local bound once to one,
    ``_handed_values``): the callee's name for each (its place, ``#0``, or keyword), with
    the caller's names."""
    named = [
        (keyword or f"#{i}", value.id)
        for i, keyword, value in _handed_values(call, record)
        if value.__class__ is ast.Name
    ]
    if not named:
        return ()
    parameters = own()
    return tuple((written, parameters[name]) for written, name in named if name in parameters)


def _handed_on(
    call: ast.Call, record: FunctionRecord, own: Callable[[], dict[str, tuple[str, ...]]]
) -> tuple:
    """The attributes or items of the parameters of the caller ``record`` (``own()``:
    ``own_parameters``) that ``call`` hands on (``bump(ledger.inner)``, also through a local
    bound once to one, ``_handed_values``): the callee's name for each (its place, ``#0``,
    or keyword), the caller's names of the parameter, and the attribute (``""``: an
    item)."""
    reaching = [
        (keyword or f"#{i}", *reached(value))
        for i, keyword, value in _handed_values(call, record)
        if value.__class__ in (ast.Attribute, ast.Subscript)
    ]
    bases = [(written, base.id, a) for written, base, a in reaching if base.__class__ is ast.Name]
    if not bases:
        return ()
    parameters = own()
    return tuple(
        (written, parameters[name], attribute or "")
        for written, name, attribute in bases
        if name in parameters
    )


def _positional(call: ast.Call) -> int:
    """How many arguments ``call`` passes by place; -1 when a ``*args`` or ``**mapping``
    hides which parameters it writes."""
    for arg in call.args:
        if arg.__class__ is ast.Starred:
            return -1
    for keyword in call.keywords:
        if keyword.arg is None:
            return -1
    return len(call.args)


def _places(record: FunctionRecord) -> dict[str, str]:
    """The parameters of ``record`` a call may pass by position, each with its place among
    the arguments the call writes (``#0``: the first; ``self`` and ``cls`` are not written)."""
    return {name: f"#{i}" for i, name in enumerate(positional_parameters(record))}


def _spans(function: ast.AST, node: ast.AST) -> bool:
    """Whether ``function``'s lines hold ``node``'s."""
    return function.lineno <= node.lineno and node.end_lineno <= function.end_lineno


def _deliberate_docstring(documented: list, line: int, written: str) -> str | None:
    """Why the call of ``written`` at ``line`` keeps its blocking: a docstring around it
    (of ``documented``: ``docstrings``) names it and says it is deliberate."""
    from deblock.analysis.deliberate import deliberate_docstring, deliberate_reason

    found = documented and deliberate_docstring(documented, line, written)
    return deliberate_reason(found[1], found[0], "docstring") if found else None


def _reads_frame_or_steps(node: ast.AST) -> bool:
    """Whether call ``node`` may read the exception being handled (``traceback.format_exc()``,
    ``exc_info=True``) or step an iterator (``next``): worth a look with ``frame_bound_at``."""
    return isinstance(node, ast.Call) and (
        last_name(node.func) in FRAME_CALLS or any(k.arg == "exc_info" for k in node.keywords)
    )


def _falsy_arguments(call: ast.Call) -> tuple[str, ...]:
    """The parameters ``call`` passes a false constant: by keyword (``block=False``,
    ``wait=None``) or by place (``get(False)``: ``#0``), up to a ``*args``."""
    return tuple(
        keyword or f"#{i}"
        for i, keyword, value in _arguments(call)
        if value.__class__ is ast.Constant and not value.value
    )


def _handed_values(
    call: ast.Call, record: FunctionRecord
) -> Iterator[tuple[int, str | None, ast.expr]]:
    """``_arguments`` of ``call`` in ``record``, a local name bound once standing for what it
    was bound from (``inner`` of ``inner = ledger.inner``: ``ledger.inner``; ``stands_for``)."""
    for i, keyword, value in _arguments(call):
        yield i, keyword, stands_for(value, record) if value.__class__ is ast.Name else value


def _arguments(call: ast.Call) -> Iterator[tuple[int, str | None, ast.expr]]:
    """(place, keyword, value) of each argument ``call`` writes a parameter with: one
    passed by place up to a ``*args`` (``#0`` to the callee), one by keyword (not a
    ``**mapping``'s)."""
    for i, arg in enumerate(call.args):
        if arg.__class__ is ast.Starred:
            break
        yield i, None, arg
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield -1, keyword.arg, keyword.value


def _lazy_on(entry: Blocking, python: tuple[int, ...]) -> bool:
    """Whether ``entry``'s result is lazy on Python ``python`` (the least version known)."""
    return entry.lazy_result and not (entry.eager_from and python >= entry.eager_from)


def _exempt(
    entry: Blocking, candidate: Candidate, prefixed: dict[str, list[tuple[str, int, int]]]
) -> bool:
    """Whether ``candidate``'s call of ``entry``'s target does not block: by its arguments
    (``prefixed``: the function's parameters its guards make start with a prefix,
    ``Judge._prefixes``), by what is known of its place (``nonblocking``), or because its
    I/O runs at the exit of a ``with`` block that does not enter it."""
    call, scope = candidate.node, candidate.scope
    if candidate.nonblocking:
        return True
    if entry.only_entered and candidate.entered.__class__ is not ast.With:
        return True
    if entry.exempt_by_arguments(_keyword_names(call), len(call.args)):
        return True
    if entry.unless_prefixed and _starts_with(call, prefixed, entry.unless_prefixed):
        return True
    return bool(entry.unless_named and _names(call, scope) & set(entry.unless_named))


def _starts_with(
    call: ast.Call, prefixed: dict[str, list[tuple[str, int, int]]], prefixes: tuple[str, ...]
) -> bool:
    """Whether ``call``'s first argument starts with one of ``prefixes``: a string or
    f-string that does, or a parameter a guard above the call makes start so."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.JoinedStr) and first.values:
        first = first.values[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value.startswith(prefixes)
    if isinstance(first, ast.Name):
        guards = prefixed.get(first.id, ())
        return any(p.startswith(prefixes) and a <= call.lineno <= b for p, a, b in guards)
    return False


def _names(call: ast.Call, scope: Scope) -> set[str]:
    """The names ``call``'s arguments use, and those the values of the module constants
    among them use (``flags | _NUMERIC_ONLY``: ``AI_NUMERICHOST`` too)."""
    names: set[str] = set()
    for argument in call_arguments(call):
        for node in ast.walk(argument):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Name):
                names.add(node.id)
                bindings = scope.module().bindings.get(node.id) or ()
                for binding in bindings:
                    if binding.expr is not None:
                        names |= {last_name(n) for n in ast.walk(binding.expr)} - {None}
    return names


def _keyword_names(call: ast.Call) -> tuple[str, ...]:
    """The keywords ``call`` passes by name (not those of a ``**mapping``)."""
    return tuple(k.arg for k in call.keywords if k.arg is not None)


def _guarded(helper: ast.AST | None, guards: set[str]) -> bool:
    """Whether a thread helper's body is one ``with`` block of one of the ``guards``."""
    body = getattr(helper, "body", [])
    return (
        len(body) == 1
        and isinstance(body[0], ast.With)
        and len(body[0].items) == 1
        and isinstance(body[0].items[0].context_expr, ast.Name)
        and body[0].items[0].context_expr.id in guards
    )
