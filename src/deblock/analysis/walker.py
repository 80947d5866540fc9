"""One pass over a module: build its scopes and collect what runs in async context."""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import field, replace

from deblock.analysis.branches import BRANCH_HANDLERS, BranchWalker
from deblock.analysis.entered_arguments import (
    entered_argument,
    imported_maker,
    stacked_manager,
)
from deblock.analysis.flow import Flow, Reaching
from deblock.analysis.function_answers import FunctionAnswers
from deblock.analysis.nodes import (
    alternatives,
    child_fields,
    dotted_name,
    last_name,
    own_nodes,
    unpacked_part,
)
from deblock.analysis.preconditions import instance_guards, returns
from deblock.analysis.scopes import Binding, ClassInfo, Kind, Scope
from deblock.analysis.started_tasks import STARTS_TASKS, starts_tasks
from deblock.analysis.threaded_twins import threaded_methods
from deblock.records import record
from deblock.rules.bridges import BRIDGED_ARGUMENT
from deblock.rules.resources import FIX_HELPER, MUTATING_METHODS

_GENEXP_REASON = "inside a generator expression, where `await` would make it an async generator"
_CLASS_REASON = "inside a class body, where `await` cannot go"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Literals a target unpacks or a loop runs over element by element.
_LITERALS = (ast.Tuple, ast.List)
_PROPERTIES = frozenset({"property", "cached_property"})
_ACCESSORS = frozenset({"setter", "getter", "deleter"})
# Decorators that leave what a call of the method takes as its ``def`` says (``overload``:
# a stub, the definition after it is the method)
_PLAIN_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "abstractmethod", "override", "final", "overload"}
)
_LOCK_METHODS = frozenset({"acquire", "release"})


@record(slots=True)
class Candidate:
    """A call (or a ``for`` iteration, or the entry of a ``with`` block on an object a
    name or an attribute holds) evaluated on the event loop."""

    node: ast.expr
    scope: Scope
    unfixable: str | None
    iteration: bool = False
    awaited: bool = False  # the call is the operand of an ``await``
    reaching: Reaching | None = None  # the function's bindings that reach the call
    conditional: bool = False  # in a branch, loop or handler: it may not run
    nonblocking: bool = False  # in a ``try`` expecting ``BlockingIOError``
    python: tuple[int, ...] = ()  # the least Python version it runs on (a version test)
    # what it returns is awaited later, through the name it is bound to (``coro = f()``,
    # then ``await coro``): evidence that it gives an awaitable
    awaited_later: bool = False
    entered: ast.With | ast.AsyncWith | None = None  # the block whose manager the call makes
    instance: str | None = None  # the name of its function's instance (``self``), if any


@record(slots=True)
class FunctionRecord:
    """A function or method: where it is, what it returns, what its own body calls, and
    (coroutines) the sync ``with`` blocks a fix might move into a thread."""

    qualname: str
    is_async: bool
    line: int
    returns: ast.expr | None
    scope: Scope  # the scope it is defined in
    node: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    own_scope: Scope | None = None  # the scope of its body
    self_name: str | None = None
    # (the name its instance goes by, the class): a method's, or that of the method it is
    # nested in (a closure over ``self``)
    instance: tuple[str, str] | None = None
    calls: list[Candidate] = field(default_factory=list)
    returned: list[Binding] = field(default_factory=list)  # the values of its ``return``s
    blocks: list[ast.With] = field(default_factory=list)
    # its suspension points (``await``, ``async for``/``with``, ``yield``), not those of
    # the functions and classes it defines
    suspensions: list[ast.AST] = field(default_factory=list)
    # what it holds of asyncio locks no holder waits on (``free_locks``): (first line, last
    # line, the lock as written, whether held by hand); their ``async with`` statements and
    # awaited ``acquire()`` calls do not suspend and are taken out of its ``suspensions``
    free_locks: list[tuple[int, int, str, bool]] = field(default_factory=list)
    # its other ``async with`` statements on an asyncio lock (``Lock``, ``Semaphore``,
    # ``Condition``), which hands itself on in the order it was asked: the runs before and
    # after one keep one order across tasks
    ordered_locks: list[ast.AsyncWith] = field(default_factory=list)
    # those of ``ordered_locks`` on a parameter, an attribute of the instance or an item of a
    # container, of a type not known (``async with lock:``): each may enter an asyncio lock,
    # whose name is not known
    maybe_locks: list[ast.AsyncWith] = field(default_factory=list)
    # its ``async with`` statements whose exit never suspends (``plain_managers``), each with
    # whether its entry never suspends either (then taken out of its ``suspensions``): the
    # runs across those edges run on into each other
    plain_withs: list[tuple[ast.AsyncWith, bool]] = field(default_factory=list)
    # (coroutines) its ``for`` loops and list, set and dict comprehensions
    loops: list[ast.AST] = field(default_factory=list)
    is_generator: bool = False  # a call creates a generator and runs none of the body
    sets_items: bool = False  # it assigns or deletes an item (``d[k] = v``, ``del d[k]``)
    # (name, first line, last line): the statements that run only when the name is truthy
    # (the body of ``if name:``, the ``else`` of ``if not name:``, what follows an
    # ``if not name:`` that returns or raises)
    guards: list[tuple[str, int, int]] = field(default_factory=list)
    # (name, prefix, first line, last line): what follows an ``if not
    # name.startswith(prefix):`` that returns or raises, where the name starts with it
    prefixes: list[tuple[str, str, int, int]] = field(default_factory=list)
    # the lines where it may change state beyond its call: it assigns an attribute, an item
    # or a global, or calls a method that mutates (``append``)
    state_writes: list[int] = field(default_factory=list)
    nonlocals: tuple[str, ...] = ()  # the names it declares ``nonlocal``
    # the names its code takes an attribute of (``helpers`` in ``helpers.LOG``)
    attribute_bases: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # the plain names its code reads or binds
    # (first line, last line) of the functions, lambdas, classes and generator expressions
    # defined in it (their code runs apart from its own statements)
    nested: list[tuple[int, int]] = field(default_factory=list)
    # (coroutines, in a module walked with ``reads``) its reads of an attribute of a plain
    # name or of a call's result
    reads: list[Candidate] = field(default_factory=list)
    # its item reads that may insert a missing key, a write of what they read (``G[k]`` of
    # ``G = defaultdict(list)``), and the arguments its calls hand that may be such a
    # container (``inserting_reads``)
    inserting: set[ast.Subscript] = field(default_factory=set)
    handed_inserting: set[ast.expr] = field(default_factory=set)
    _own_code: list[ast.AST] | None = field(default=None, init=False, repr=False, compare=False)
    # what the state rules ask of it, found once (``StateAccess``: several a function)
    answers: FunctionAnswers = field(
        default_factory=FunctionAnswers, init=False, repr=False, compare=False
    )

    @property
    def own_code(self) -> list[ast.AST]:
        """Its node and every node below it of its own scope (``own_nodes``), walked once:
        several rules read them all."""
        if self._own_code is None:
            self._own_code = list(own_nodes(self.node)) if self.node is not None else []
        return self._own_code


@record
class ModuleFacts:
    """Everything the walk learned about a module."""

    scope: Scope
    package: str
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    functions: list[FunctionRecord] = field(default_factory=list)
    imported_roots: set[str] = field(default_factory=set)
    inner_scopes: list[Scope] = field(default_factory=list)
    # what regions where an await changes the program are made of, in walk order:
    try_and_with: list[ast.stmt] = field(default_factory=list)  # ``try``/``with`` statements
    lock_calls: list[ast.Call] = field(default_factory=list)  # ``x.acquire()``, ``x.release()``
    tasks: bool = True  # whether the module names what starts a task (``create_task``)
    # attribute names given a new ``ContextVar`` (``CTX.var = ContextVar(...)``, a class's
    # ``var = ContextVar(...)``, ``SimpleNamespace(var=ContextVar(...))``)
    context_attributes: set[str] = field(default_factory=set)
    # each attribute of a plain name (``helpers.TABLE``): whether it is called (``None``),
    # written (``True``: a store, an item or attribute store, a mutating method's receiver)
    # or read
    name_attributes: dict[ast.Attribute, bool | None] = field(default_factory=dict)
    # the modules ``import a.b`` imports by their dotted name (no ``as``): ``a.b.TABLE``
    # is an attribute of that module, as ``helpers.TABLE`` is (``name_attributes``)
    dotted_imports: set[str] = field(default_factory=set)
    # the module's plain names whose object is changed in place: an item stored or deleted
    # (``TABLE[k] = v``), a mutating method called (``LOG.append(x)``); not a function's own
    changed_names: set[str] = field(default_factory=set)
    # attributes written on an object that is itself an attribute (``shop.ledger.sold = n``,
    # ``shop.ledger.log.append(x)``, ``shop.ledger.table[k] = v``: ``sold``, ``log``,
    # ``table``), which ``name_attributes`` knows only as the outer one changed
    deep_writes: list[ast.Attribute] = field(default_factory=list)
    # the lines of ``try_and_with`` when they are in order (the walk visits statements in
    # line order), else empty; made once the walk is done (``inside`` asks per coroutine)
    _try_and_with_lines: list[int] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def inside(self, function: ast.AST) -> tuple[list[ast.stmt], list[ast.Call]]:
        """The ``try``/``with`` statements and the ``acquire``/``release`` calls within the
        lines of ``function``, in walk order."""
        first, last = function.lineno, function.end_lineno
        if self._try_and_with_lines is None:
            starts = [s.lineno for s in self.try_and_with]
            self._try_and_with_lines = starts if starts == sorted(starts) else []
        starts = self._try_and_with_lines
        if starts or not self.try_and_with:  # in line order: the run within, by bisection
            statements = self.try_and_with[bisect_left(starts, first) : bisect_right(starts, last)]
        else:
            statements = [s for s in self.try_and_with if first <= s.lineno <= last]
        return statements, [c for c in self.lock_calls if first <= c.lineno <= last]

    def names_attribute(self, node: ast.expr) -> bool:
        """Whether ``node`` is an attribute of a plain name (``helpers.TABLE``), or of a
        module imported by its dotted name (``pkg.store.TABLE`` of ``import pkg.store``)."""
        if node.__class__ is not ast.Attribute:
            return False
        value = node.value
        if value.__class__ is ast.Name:
            return True
        return bool(self.dotted_imports) and dotted_name(value) in self.dotted_imports

    def item_written(self, holder: ast.expr) -> str | None:
        """Note an item of ``holder`` written (``holder[k] = v``): an attribute of a plain
        name as written, a deeper attribute as a deep write; the plain name ``holder`` is,
        for the caller to note changed (``changed_names``)."""
        if self.names_attribute(holder):
            self.name_attributes[holder] = True
        elif holder.__class__ is ast.Attribute:
            self.deep_writes.append(holder)
        elif holder.__class__ is ast.Name:
            return holder.id
        return None

    def new_scope(self, kind: str, parent: Scope, qualname: str) -> Scope:
        """A scope inside the module's (recorded, to be released)."""
        scope = Scope(kind, parent, qualname)
        self.inner_scopes.append(scope)
        return scope

    def release(self) -> None:
        """Break the walk's reference cycles (a binding refers to the scope holding it), so
        that its memory is freed at once rather than by the cyclic garbage collector: the
        collector's passes over them cost the bench corpus's cold run ~0.5 CPU-s."""
        for scope in (self.scope, *self.inner_scopes):
            scope.bindings.clear()

    def async_candidates(self):
        """Calls and iterations evaluated on the event loop, in source order."""
        for function in self.functions:
            if function.is_async:
                yield from function.calls


class _Context:
    """Where the walk is: scope, enclosing class and function, fixability, the function's
    reaching bindings, whether the code runs only on some paths, and the least Python
    version it runs on (``sys.version_info`` tests around it)."""

    __slots__ = (
        "scope",
        "cls",
        "function",
        "unfixable",
        "self_name",
        "flow",
        "conditional",
        "python",
    )

    def __init__(
        self,
        scope,
        cls=None,
        function=None,
        unfixable=None,
        self_name=None,
        flow=None,
        conditional=False,
        python=(),
    ):
        self.scope = scope
        self.cls = cls
        self.function = function
        self.unfixable = unfixable
        self.self_name = self_name
        self.flow = flow
        self.conditional = conditional
        self.python = python

    @property
    def is_async(self) -> bool:
        return self.function is not None and self.function.is_async

    def branch(self, python: tuple[int, ...] = ()) -> _Context:
        """The same place, on a path that may not be taken (and that runs only from
        Python ``python`` on)."""
        python = max(python, self.python)
        if self.conditional and python == self.python:
            return self
        return _Context(
            self.scope,
            self.cls,
            self.function,
            self.unfixable,
            self.self_name,
            self.flow,
            True,
            python,
        )

    def reaching(self) -> Reaching | None:
        return self.flow.snapshot() if self.flow is not None else None

    def candidate(self, node: ast.expr, iteration=False, awaited=False, entered=None) -> Candidate:
        reaching = self.flow.snapshot() if self.flow is not None else None
        return Candidate(
            node,
            self.scope,
            self.unfixable,
            iteration,
            awaited,
            reaching,
            self.conditional,
            python=self.python,
            entered=entered,
            instance=self.function and self.function.instance and self.function.instance[0],
        )

    def bind(self, name: str, binding: Binding) -> None:
        """Bind ``name`` in the current scope (and in the flow of the function's names)."""
        self.scope.bind(name, binding)
        if self.flow is not None and self.flow.scope is self.scope:
            self.flow.bind(name, binding)


def _nests(node: ast.AST, ctx: _Context) -> None:
    """Record scope ``node`` as nested in the function being walked, if any."""
    if ctx.function is not None:
        ctx.function.nested.append((node.lineno, node.end_lineno))


def _element(iterable: ast.expr, scope: Scope, reaching: Reaching | None) -> Binding:
    """The binding of a loop's target: an element of ``iterable`` (``elements``)."""
    return Binding(Kind.ELEMENT, expr=iterable, scope=scope, reaching=reaching)


def _part(binding: Binding, index: int, targets: list[ast.expr]) -> Binding:
    """The binding of part ``index`` of ``targets`` unpacked from a literal (the value of
    its element, ``unpacked_part``), a loop's element or a call's result (a starred target
    leaves the parts' places unknown); of any other value, unknown."""
    if binding.kind is Kind.VALUE and binding.expr.__class__ in _LITERALS:
        held = unpacked_part(targets, binding.expr.elts, index)
        return Binding(Kind.UNKNOWN) if held is None else replace(binding, expr=held)
    if any(target.__class__ is ast.Starred for target in targets):
        return Binding(Kind.UNKNOWN)
    if binding.kind is Kind.VALUE and binding.expr.__class__ is ast.Call:
        return replace(binding, kind=Kind.PART, part=(index,))
    if binding.kind is not Kind.ELEMENT:
        return Binding(Kind.UNKNOWN)
    return replace(binding, part=(*binding.part, index))


def walk_module(
    tree: ast.Module,
    module: str,
    is_package: bool = False,
    bridged: bool = True,
    tasks: bool = True,
    reads: bool = False,
    beside: Callable[[str], str | None] | None = None,
) -> ModuleFacts:
    """Walk ``tree`` once, binding names and recording every function's calls. With
    ``bridged`` false (the module names no thread bridge), no class is read for coroutine
    methods that hand one their instance's sync code; with ``tasks`` false (it names
    nothing that starts a task), no method's calls are read for one; with ``reads``, the
    coroutines' reads of an attribute of a name or a call are recorded
    (``FunctionRecord.reads``); ``beside`` names the module a bare import finds beside
    this one, if any (``modules.beside``)."""
    package = module if is_package else module.rpartition(".")[0]
    facts = ModuleFacts(Scope("module", None, module), package, tasks=tasks)
    walker = _Walker(facts, bridged, reads, beside)
    walker.body(tree.body, _Context(facts.scope))
    below = _holders(walker.changed_below)  # a function's own ``log = []`` shadows an import
    facts.changed_names.update(name for name, scope in below if scope.names_global(name))
    return facts


def _holders(changed: list[tuple[str, Scope]]) -> set[tuple[str, Scope]]:
    """``changed`` and the names each local name there may hold whole, through any of its
    bindings to a plain name (``box = ITEMS``, ``held = box``, ``box, t = ITEMS, 1``, each
    of ``ITEMS or OTHER``), a loop's over a literal of them (``for box in [ITEMS]``, ``for
    box, t in [(ITEMS, 1)]``) or a ``with`` target's or a stack's entry's its manager enters
    to (``nullcontext(ITEMS) as box``, ``box = stack.enter_context(nullcontext(ITEMS))``, the
    maker read through the imports, ``entered_arguments``): changing it in place changes
    what they name (fix_fuzz --aliases 773053)."""
    found, todo = set(), list(changed)
    while todo:
        name, scope = todo.pop()
        if (name, scope) in found:
            continue
        found.add((name, scope))
        for binding in () if scope.names_global(name) else scope.lookup(name)[0] or ():
            held = []
            if binding.kind is Kind.VALUE and not binding.part:
                held = alternatives(binding.expr)
                if manager := stacked_manager(binding.expr):
                    maker = imported_maker(manager, binding.scope or scope)
                    held += filter(None, [entered_argument(manager, maker)])
            if binding.kind is Kind.ENTERED and binding.expr.__class__ is ast.Call:
                maker = imported_maker(binding.expr, binding.scope or scope)
                held = [h for h in [entered_argument(binding.expr, maker)] if h is not None]
            if binding.kind is Kind.ELEMENT and binding.expr.__class__ in _LITERALS:
                held = binding.expr.elts
                for index in binding.part:  # the part of each element the target takes
                    held = [h.elts[index] for h in held if _holds_part(h, index)]
            todo += ((h.id, binding.scope or scope) for h in held if h.__class__ is ast.Name)
    return found


def _enters_argument(manager: ast.expr, ctx: _Context) -> bool:
    """Whether ``manager`` of an ``async with`` enters to an argument it was handed, as a
    ``with`` does (``async with nullcontext(ITEMS) as box``: ``box`` is ``ITEMS``)."""
    if manager.__class__ is not ast.Call:
        return False
    return entered_argument(manager, imported_maker(manager, ctx.scope)) is not None


def _holds_part(element: ast.expr, index: int) -> bool:
    """Whether ``element`` is a literal with a part ``index``."""
    return element.__class__ in _LITERALS and index < len(element.elts)


class _Walker(BranchWalker):
    def __init__(
        self,
        facts: ModuleFacts,
        bridged: bool,
        reads: bool,
        beside: Callable[[str], str | None] | None,
    ):
        self.facts = facts
        self.bridged = bridged
        self.reads = reads
        self.beside = beside
        self.bridge_calls: list[ast.Call] = []  # thread bridges called (when ``bridged``)
        self.fixtures: dict[str, FunctionRecord] = {}  # the module's pytest fixtures, by name
        # plain names changed in place below the module's scope, with that scope
        self.changed_below: list[tuple[str, Scope]] = []

    def body(self, statements: list[ast.stmt], ctx: _Context) -> None:
        for statement in statements:
            self.node(statement, ctx)

    def node(self, node: ast.AST, ctx: _Context) -> None:
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            handler(self, node, ctx)
        else:
            self.children(node, ctx)

    def children(self, node: ast.AST, ctx: _Context) -> None:
        for name in child_fields(type(node)):
            value = getattr(node, name, None)
            if value.__class__ is list:
                for child in value:
                    if isinstance(child, ast.AST):
                        self.node(child, ctx)
            elif isinstance(value, ast.AST):
                self.node(value, ctx)

    # -- scopes -------------------------------------------------------------

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: _Context) -> None:
        for outer in (*node.decorator_list, *_defaults(node.args), node.returns):
            if outer is not None:
                self.node(outer, ctx)
        for arg in all_args(node.args):
            if arg.annotation is not None:
                self.node(arg.annotation, ctx)
        is_coroutine = isinstance(node, ast.AsyncFunctionDef)
        qualname = f"{ctx.scope.qualname}.{node.name}"
        decorators = {last_name(d) for d in node.decorator_list}
        in_class = ctx.cls is not None and ctx.scope is ctx.cls.scope
        self_name = None
        positional = [*node.args.posonlyargs, *node.args.args]
        if in_class and positional and not decorators & {"staticmethod", "classmethod"}:
            self_name = positional[0].arg
        signed = False
        if in_class and decorators & _PROPERTIES:
            ctx.cls.bind_attribute(node.name, Binding(Kind.RESULT, qualname=qualname))
        elif in_class and not decorators & _ACCESSORS:
            ctx.cls.methods[node.name] = is_coroutine
            signed = True
        kind = Kind.COROUTINE if is_coroutine else Kind.FUNCTION
        ctx.bind(node.name, Binding(kind, qualname=qualname))
        _nests(node, ctx)
        scope = self.facts.new_scope("function", ctx.scope, qualname)
        flow = Flow(scope)
        record = FunctionRecord(qualname, is_coroutine, node.lineno, node.returns, ctx.scope, node)
        record.own_scope = scope
        self.facts.functions.append(record)
        if "fixture" in decorators and ctx.scope is self.facts.scope:
            self.fixtures[node.name] = record
        record.self_name = self_name
        if self_name:
            record.instance = (self_name, ctx.cls.qualname)
        elif ctx.function is not None and ctx.function.instance is not None:
            # a thread helper a fix made runs under the module's lock, with the sections
            # planned beside it: its uses are not the event loop's
            made = FIX_HELPER.fullmatch(node.name)
            shadowed = any(a.arg == ctx.function.instance[0] for a in all_args(node.args))
            record.instance = None if shadowed or made else ctx.function.instance
        cls = ctx.cls if self_name else None
        inner = _Context(scope, cls, record, None, self_name, flow, python=ctx.python)
        for arg in all_args(node.args):
            if arg.arg == self_name:
                inner.bind(arg.arg, Binding(Kind.INSTANCE, qualname=ctx.cls.qualname))
            elif arg.annotation is not None:
                declared = _declared(arg, node.args)
                inner.bind(arg.arg, Binding(Kind.ANNOTATION, expr=declared, scope=ctx.scope))
            elif (fixture := self._fixture(arg.arg, ctx)) is not None:
                inner.bind(arg.arg, Binding(Kind.RESULT, qualname=fixture))
            else:
                inner.bind(arg.arg, Binding(Kind.UNKNOWN))
        self.body(node.body, inner)
        if signed:
            started = self.facts.tasks and starts_tasks(c.node for c in record.calls)
            starts = STARTS_TASKS if started else ""
            guards = instance_guards(node, self_name)
            parameters = _signature(node)
            ctx.cls.signatures[node.name] = parameters + starts + guards + returns(node)
            if any(_runs_super(c.node, node.name) for c in record.calls):
                ctx.cls.extends.add(node.name)
            if "overload" not in decorators:
                loose = bool(decorators - _PLAIN_DECORATORS)
                ctx.cls.parameters_seen(node.name, parameters, loose)
        if is_coroutine and record.is_generator and in_class and node.name in ctx.cls.methods:
            # an async generator: a call gives an async iterator, nothing to await (no twin)
            ctx.cls.methods[node.name] = False

    def _fixture(self, name: str, ctx: _Context) -> str | None:
        """The pytest fixture of the module, defined above, that a parameter ``name`` of a
        function outside functions receives (pytest passes it what the fixture returns; a
        fixture that yields is left: its body runs as a generator)."""
        fixture = self.fixtures.get(name) if ctx.function is None else None
        return None if fixture is None or fixture.is_generator else fixture.qualname

    def lambda_(self, node: ast.Lambda, ctx: _Context) -> None:
        for default in _defaults(node.args):
            self.node(default, ctx)
        _nests(node, ctx)
        scope = self.facts.new_scope("function", ctx.scope, f"{ctx.scope.qualname}.<lambda>")
        for arg in all_args(node.args):
            scope.bind(arg.arg, Binding(Kind.UNKNOWN))  # no flow: lambdas run later
        self.node(node.body, _Context(scope))

    def class_(self, node: ast.ClassDef, ctx: _Context) -> None:
        for outer in (*node.decorator_list, *node.bases, *node.keywords):
            self.node(outer, ctx)
        qualname = f"{ctx.scope.qualname}.{node.name}"
        ctx.bind(node.name, Binding(Kind.CLASS, qualname=qualname))
        _nests(node, ctx)
        scope = self.facts.new_scope("class", ctx.scope, qualname)
        info = ClassInfo(qualname, list(node.bases), scope, decorated=bool(node.decorator_list))
        self.facts.classes[qualname] = info
        inner = _Context(scope, info)
        if ctx.is_async:  # its body runs where the class statement is: on the event loop
            where = {"flow": ctx.flow, "conditional": ctx.conditional, "python": ctx.python}
            inner = _Context(scope, info, ctx.function, _CLASS_REASON, **where)
        self.body(node.body, inner)
        if self.bridged and any(info.methods.values()) and (lines := self._bridge_lines(node)):
            info.in_thread = threaded_methods(node, lines)

    def _bridge_lines(self, node: ast.ClassDef) -> set[int]:
        """The lines of class ``node`` where a thread bridge is called."""
        first, last = node.lineno, node.end_lineno
        return {call.lineno for call in self.bridge_calls if first <= call.lineno <= last}

    def comprehension(self, node, ctx: _Context) -> None:
        first = node.generators[0]
        self.node(first.iter, ctx)
        scope = self.facts.new_scope("comprehension", ctx.scope, ctx.scope.qualname)
        if isinstance(node, ast.GeneratorExp):
            _nests(node, ctx)
        unfixable = _GENEXP_REASON if isinstance(node, ast.GeneratorExp) else ctx.unfixable
        inner = _Context(
            scope, ctx.cls, ctx.function, unfixable, ctx.self_name, ctx.flow, True, ctx.python
        )
        iterates = ctx.function is not None and not isinstance(node, ast.GeneratorExp)  # now
        if iterates and ctx.is_async:
            ctx.function.loops.append(node)
        if iterates and any(g.is_async for g in node.generators):
            ctx.function.suspensions.append(node)  # its ``async for`` awaits
        for generator in node.generators:
            outer = generator is first  # its iterable is evaluated outside the comprehension
            where = (ctx.scope, ctx.reaching()) if outer else (scope, None)
            self.target(generator.target, _element(generator.iter, *where), inner)
            if generator is not first:
                self.node(generator.iter, inner)
            if iterates and not generator.is_async:
                where = ctx if generator is first else inner
                ctx.function.calls.append(where.candidate(generator.iter, iteration=True))
            for condition in generator.ifs:
                self.node(condition, inner)
        for element in _comprehension_elements(node):
            self.node(element, inner)

    # -- bindings -----------------------------------------------------------

    def target(self, target: ast.expr, binding: Binding, ctx: _Context) -> None:
        """Bind an assignment target (names, ``self.x``, unpacking)."""
        if isinstance(target, ast.Name):
            ctx.bind(target.id, binding)
            if ctx.function is not None and target.id in ctx.scope.global_names:
                ctx.function.state_writes.append(target.lineno)
            if ctx.cls is not None and ctx.scope is ctx.cls.scope:
                ctx.cls.bind_attribute(target.id, binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for i, element in enumerate(target.elts):
                self.target(element, _part(binding, i, target.elts), ctx)
        elif isinstance(target, ast.Starred):
            self.target(target.value, Binding(Kind.UNKNOWN), ctx)
        else:
            if ctx.function is not None:  # ``x.a = ...``, ``x[k] = ...``
                ctx.function.state_writes.append(target.lineno)
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == ctx.self_name
                and ctx.self_name is not None
            ):
                ctx.cls.bind_attribute(target.attr, binding)
            self.node(target, ctx)

    def assign(self, node: ast.Assign, ctx: _Context) -> None:
        self.node(node.value, ctx)
        if _makes_context_var(node.value):
            in_class = ctx.cls is not None and ctx.scope is ctx.cls.scope
            self.facts.context_attributes.update(
                t.attr if isinstance(t, ast.Attribute) else t.id
                for t in node.targets
                if isinstance(t, ast.Attribute) or (in_class and isinstance(t, ast.Name))
            )
        if node.type_comment:  # ``x = None  # type: T`` declares ``x: T``, as an annotation
            value = ast.Constant(node.type_comment)
            binding = Binding(Kind.ANNOTATION, expr=value, scope=ctx.scope)
        else:
            binding = self._value(node.value, ctx)
        for target in node.targets:
            self.target(target, binding, ctx)

    def ann_assign(self, node: ast.AnnAssign, ctx: _Context) -> None:
        self.node(node.annotation, ctx)
        if node.value is not None:
            self.node(node.value, ctx)
        declared = Binding(Kind.ANNOTATION, expr=node.annotation, scope=ctx.scope)
        self.target(node.target, declared, ctx)

    def aug_assign(self, node: ast.AugAssign, ctx: _Context) -> None:
        self.node(node.value, ctx)
        self.target(node.target, Binding(Kind.UNKNOWN), ctx)

    def named_expr(self, node: ast.NamedExpr, ctx: _Context) -> None:
        self.node(node.value, ctx)
        ctx.bind(node.target.id, self._value(node.value, ctx))

    def _value(self, value: ast.expr, ctx: _Context) -> Binding:
        return Binding(Kind.VALUE, expr=value, scope=ctx.scope, reaching=ctx.reaching())

    def return_(self, node: ast.Return, ctx: _Context) -> None:
        if node.value is not None:
            self.node(node.value, ctx)
            if ctx.function is not None:
                ctx.function.returned.append(self._value(node.value, ctx))

    def yield_(self, node: ast.Yield | ast.YieldFrom, ctx: _Context) -> None:
        if ctx.function is not None:
            ctx.function.is_generator = True
            ctx.function.suspensions.append(node)
        self.children(node, ctx)
        if ctx.function is not None and isinstance(node, ast.YieldFrom):
            ctx.function.calls.append(ctx.candidate(node.value, iteration=True))

    def for_(self, node: ast.For | ast.AsyncFor, ctx: _Context) -> None:
        if ctx.function is not None and isinstance(node, ast.AsyncFor):
            ctx.function.suspensions.append(node)
        self.node(node.iter, ctx)
        if ctx.function is not None and isinstance(node, ast.For):
            ctx.function.calls.append(ctx.candidate(node.iter, iteration=True))
            if ctx.is_async:
                ctx.function.loops.append(node)
        element = _element(node.iter, ctx.scope, ctx.reaching())
        self.paths(ctx, [[node.target, *node.body]], may_skip=True, target=(node.target, element))
        self.paths(ctx, [node.orelse], may_skip=True)

    def with_(self, node: ast.With | ast.AsyncWith, ctx: _Context) -> None:
        self.facts.try_and_with.append(node)
        if ctx.function is not None and isinstance(node, ast.AsyncWith):
            ctx.function.suspensions.append(node)
        if ctx.is_async and isinstance(node, ast.With) and ctx.unfixable is None:
            ctx.function.blocks.append(node)
        for item in node.items:
            if item.context_expr.__class__ is ast.Call:
                self.call(item.context_expr, ctx, entered=node)
            else:
                self.node(item.context_expr, ctx)
                if ctx.function is not None and isinstance(node, ast.With):  # its entry runs
                    ctx.function.calls.append(ctx.candidate(item.context_expr, entered=node))
            if item.optional_vars is not None:
                binding = (
                    Binding(
                        Kind.ENTERED,
                        expr=item.context_expr,
                        scope=ctx.scope,
                        reaching=ctx.reaching(),
                    )
                    if isinstance(node, ast.With) or _enters_argument(item.context_expr, ctx)
                    else Binding(Kind.UNKNOWN)
                )
                self.target(item.optional_vars, binding, ctx)
        suppressed = [
            arg
            for item in node.items
            if isinstance(item.context_expr, ast.Call)
            and last_name(item.context_expr.func) == "suppress"
            for arg in item.context_expr.args
        ]
        self.body_expecting(node.body, ctx, suppressed)

    def import_(self, node: ast.Import, ctx: _Context) -> None:
        for alias in node.names:
            self.facts.imported_roots.add(alias.name.partition(".")[0])
            if alias.asname:
                ctx.bind(alias.asname, Binding(Kind.IMPORT, qualname=self._found(alias.name)))
            else:
                root = alias.name.partition(".")[0]
                ctx.bind(root, Binding(Kind.IMPORT, qualname=self._found(root)))
                if root != alias.name:
                    self.facts.dotted_imports.add(alias.name)

    def import_from(self, node: ast.ImportFrom, ctx: _Context) -> None:
        base = self._absolute(node.level, node.module)
        if node.level == 0 and node.module:
            self.facts.imported_roots.add(node.module.partition(".")[0])
        for alias in node.names:
            if alias.name == "*":
                continue
            qualname = f"{base}.{alias.name}" if base else alias.name
            ctx.bind(alias.asname or alias.name, Binding(Kind.IMPORT, qualname=qualname))

    def _found(self, name: str) -> str:
        """The module a bare import of ``name`` finds: the one beside this module, if any."""
        root, dot, rest = name.partition(".")
        found = self.beside(root) if self.beside else None
        return name if found is None else found + dot + rest

    def _absolute(self, level: int, module: str | None) -> str:
        """The absolute module a (possibly relative) ``from`` import names."""
        if level == 0:
            return self._found(module) if module else ""
        parts = self.facts.package.split(".") if self.facts.package else []
        base = parts[: len(parts) - (level - 1)] if level > 1 else parts
        return ".".join([*base, *([module] if module else [])])

    def global_(self, node: ast.Global, ctx: _Context) -> None:
        ctx.scope.global_names.update(node.names)

    def nonlocal_(self, node: ast.Nonlocal, ctx: _Context) -> None:
        if ctx.function is not None:
            ctx.function.nonlocals += tuple(node.names)

    def except_handler(self, node: ast.ExceptHandler, ctx: _Context) -> None:
        if node.name:
            ctx.bind(node.name, Binding(Kind.UNKNOWN))
        self.children(node, ctx)

    def call(
        self,
        node: ast.Call,
        ctx: _Context,
        awaited: bool = False,
        entered: ast.With | ast.AsyncWith | None = None,
    ) -> None:
        if ctx.function is not None:
            ctx.function.calls.append(ctx.candidate(node, awaited=awaited, entered=entered))
        func = node.func
        if func.__class__ is ast.Attribute and func.attr in MUTATING_METHODS and ctx.function:
            ctx.function.state_writes.append(node.lineno)
        if func.__class__ is ast.Attribute and func.attr in _LOCK_METHODS:
            self.facts.lock_calls.append(node)
        elif self.bridged and last_name(func) in BRIDGED_ARGUMENT:
            self.bridge_calls.append(node)
        for keyword in node.keywords:
            if keyword.arg and _makes_context_var(keyword.value):
                self.facts.context_attributes.add(keyword.arg)
        if func.__class__ is ast.Attribute:
            uses = self.facts.name_attributes
            if self.facts.names_attribute(func):
                uses[func] = None
                if func.attr in MUTATING_METHODS and func.value.__class__ is ast.Name:
                    self._changed(func.value.id, ctx)
            elif func.attr in MUTATING_METHODS and self.facts.names_attribute(func.value):
                uses[func.value] = True
            elif func.attr in MUTATING_METHODS and func.value.__class__ is ast.Attribute:
                self.facts.deep_writes.append(func.value)
        self.children(node, ctx)

    def name(self, node: ast.Name, ctx: _Context) -> None:
        if ctx.function is not None:
            ctx.function.names.add(node.id)

    def attribute(self, node: ast.Attribute, ctx: _Context) -> None:
        if self.reads and ctx.is_async and node.ctx.__class__ is ast.Load:
            if node.value.__class__ in (ast.Name, ast.Call):
                ctx.function.reads.append(ctx.candidate(node))
        if self.facts.names_attribute(node):
            self.facts.name_attributes.setdefault(node, node.ctx.__class__ is not ast.Load)
            if ctx.function is not None:  # the plain name's, most often: no dotted text made
                value = node.value
                base = value.id if value.__class__ is ast.Name else dotted_name(value)
                ctx.function.attribute_bases.add(base.partition(".")[0])
        else:
            if node.ctx.__class__ is not ast.Load:
                self.facts.deep_writes.append(node)
                if self.facts.names_attribute(node.value):
                    self.facts.name_attributes[node.value] = True  # ``helpers.LEDGER.count = n``
            self.node(node.value, ctx)

    def subscript(self, node: ast.Subscript, ctx: _Context) -> None:
        if node.ctx.__class__ is not ast.Load:
            if ctx.function is not None:
                ctx.function.sets_items = True
            if (name := self.facts.item_written(node.value)) is not None:
                self._changed(name, ctx)
        self.children(node, ctx)

    def _changed(self, name: str, ctx: _Context) -> None:
        """Note plain name ``name`` changed in place (``ModuleFacts.changed_names``); below
        the module's scope, once the walk has bound every name, if it is the module's."""
        if ctx.scope.parent is None:
            self.facts.changed_names.add(name)
        else:
            self.changed_below.append((name, ctx.scope))

    def await_(self, node: ast.Await, ctx: _Context) -> None:
        if ctx.function is not None:
            ctx.function.suspensions.append(node)
        if isinstance(node.value, ast.Call):
            self.call(node.value, ctx, awaited=True)
        else:
            self.node(node.value, ctx)
            if isinstance(node.value, ast.Name) and ctx.flow is not None and ctx.function:
                _awaited_through(node.value.id, ctx)


def _awaited_through(name: str, ctx: _Context) -> None:
    """Mark the function's calls whose results ``name`` holds here as awaited later."""
    made = {id(b.expr) for b in ctx.flow.snapshot().get(name, ()) if b.expr is not None}
    for candidate in ctx.function.calls if made else ():
        if id(candidate.node) in made:
            candidate.awaited_later = True


def _runs_super(node: ast.AST, name: str) -> bool:
    """Whether ``node`` calls the base's method ``name`` (``super().name(...)``)."""
    func = getattr(node, "func", None)
    return (
        func.__class__ is ast.Attribute
        and func.attr == name
        and func.value.__class__ is ast.Call
        and func.value.func.__class__ is ast.Name
        and func.value.func.id == "super"
    )


def _makes_context_var(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and last_name(value.func) == "ContextVar"


def _defaults(args: ast.arguments) -> list[ast.expr]:
    return [*args.defaults, *(d for d in args.kw_defaults if d is not None)]


def all_args(args: ast.arguments) -> list[ast.arg]:
    """Every parameter ``args`` declares, ``*args`` and ``**kwargs`` too."""
    extra = [a for a in (args.vararg, args.kwarg) if a is not None]
    return [*args.posonlyargs, *args.args, *extra, *args.kwonlyargs]


def _declared(arg: ast.arg, args: ast.arguments) -> ast.expr:
    """The type parameter ``arg`` of ``args`` holds: its annotation types what ``*arg``
    gathers, ``tuple[T, ...]``, and the values of ``**arg``, ``dict[str, T]`` (prefect
    3.9.1's ``*sinks: io.IOBase``, iterated, is no file)."""
    # each node made gets the annotation's place, as ``ast.fix_missing_locations`` would
    # give it, without walking the annotation's own nodes again
    at, place = arg.annotation, ast.copy_location
    if arg is args.vararg:
        members = [at, place(ast.Constant(...), at)]
    elif arg is args.kwarg:
        members = [place(ast.Name("str", ast.Load()), at), at]
    else:
        return at
    holder = place(ast.Name("tuple" if arg is args.vararg else "dict", ast.Load()), at)
    return place(ast.Subscript(holder, place(ast.Tuple(members, ast.Load()), at), ast.Load()), at)


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """A method's parameters and defaults as written, without ``self``/``cls`` and without
    annotations: ``"a, b=1, /, c=None, *args, d, **kw"`` (twins must have the same, start
    tasks alike: ``STARTS_TASKS``, and demand the same of the instance: ``instance_guards``)."""
    args = node.args
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + args.defaults
    parts = [_parameter(a, d) for a, d in zip(positional, defaults, strict=True)]
    if args.posonlyargs:
        parts.insert(len(args.posonlyargs), "/")
    if args.vararg or args.kwonlyargs:
        parts.append(f"*{args.vararg.arg}" if args.vararg else "*")
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        parts.append(_parameter(arg, default))
    if args.kwarg:
        parts.append(f"**{args.kwarg.arg}")
    return ", ".join(parts if static else parts[1:])


def _parameter(arg: ast.arg, default: ast.expr | None) -> str:
    if default is None:
        return arg.arg
    if default.__class__ is ast.Constant and default.value.__class__ in _PLAIN_CONSTANTS:
        return f"{arg.arg}={default.value!r}"  # what ``ast.unparse`` writes, ~20× faster
    return f"{arg.arg}={ast.unparse(default)}"


# The defaults written as their ``repr`` (strings and floats are quoted and spelled apart).
_PLAIN_CONSTANTS = frozenset({type(None), bool, int})


def _comprehension_elements(node) -> tuple[ast.expr, ...]:
    if isinstance(node, ast.DictComp):
        return (node.key, node.value)
    return (node.elt,)


_HANDLERS = {
    ast.FunctionDef: _Walker.function,
    ast.AsyncFunctionDef: _Walker.function,
    ast.Lambda: _Walker.lambda_,
    ast.ClassDef: _Walker.class_,
    **{kind: _Walker.comprehension for kind in _COMPREHENSIONS},
    ast.Assign: _Walker.assign,
    ast.AnnAssign: _Walker.ann_assign,
    ast.AugAssign: _Walker.aug_assign,
    ast.NamedExpr: _Walker.named_expr,
    ast.For: _Walker.for_,
    ast.AsyncFor: _Walker.for_,
    ast.Return: _Walker.return_,
    ast.Yield: _Walker.yield_,
    ast.YieldFrom: _Walker.yield_,
    **BRANCH_HANDLERS,
    ast.With: _Walker.with_,
    ast.AsyncWith: _Walker.with_,
    ast.Import: _Walker.import_,
    ast.ImportFrom: _Walker.import_from,
    ast.Global: _Walker.global_,
    ast.Nonlocal: _Walker.nonlocal_,
    ast.ExceptHandler: _Walker.except_handler,
    ast.Call: _Walker.call,
    ast.Subscript: _Walker.subscript,
    ast.Attribute: _Walker.attribute,
    ast.Name: _Walker.name,
    ast.Await: _Walker.await_,
}
