"""Resolve expressions to symbols through imports, aliases, assignments and annotations."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from functools import cached_property

from deblock.analysis.archives import opened_over, over_buffer
from deblock.analysis.elements import Declared, Elements
from deblock.analysis.flow import Reaching
from deblock.analysis.hierarchy import SUPER, MethodOrders, member
from deblock.analysis.modules import maybe_project
from deblock.analysis.scopes import Binding, ClassInfo, Kind, Scope
from deblock.analysis.shared_connections import made_shared
from deblock.analysis.symbols import Obj, Ref, Symbol
from deblock.analysis.walker import FunctionRecord, all_args
from deblock.rules import Catalogue
from deblock.rules.bridges import BRIDGE_METHODS, PARTIALS, THREAD_BRIDGES, WRAPPING_BRIDGES

_SELF = frozenset({"typing.Self", "typing_extensions.Self"})
_UNCUT = 1 << 30  # ``Resolver._cut`` when no cycle was cut
_WRAPPERS = frozenset({"Optional", "Annotated", "Final", "ClassVar", "Required", "NotRequired"})


class Resolver(MethodOrders):
    """Answers "what is this expression?" for one module."""

    def __init__(self, catalogue: Catalogue, classes: dict[str, ClassInfo], functions: dict):
        super().__init__()
        self.catalogue = catalogue
        self.classes = classes
        self.functions = functions
        self.converted: dict[str, bool] = {}  # made the other kind by a decorator (decorated)
        # the project's own thread bridge its fixes call (``AnalysisOptions.thread_bridge``)
        self.own_bridge: str | None = None
        # the bindings being resolved (by their expression), each with its depth
        self._busy: dict[int, int] = {}
        # the least depth of a busy binding met again (a cycle cut) in the current one
        self._cut = _UNCUT
        self._resolved: dict[int, Symbol | None] = {}
        # results of bindings a cycle was cut in, with the depth of the cut (``resolve_binding``)
        self._cycle: dict[int, tuple[Symbol | None, int]] = {}
        # what ``called`` answered while no binding was busy, by the ids of its question's
        # objects (held with the answer: their ids stay theirs)
        self._calls: dict[tuple[int, int, int], tuple] = {}

    @cached_property
    def imported_roots(self) -> frozenset[str]:
        """The top-level modules the module's imports name, in any of its scopes."""
        scopes = [
            *(info.scope for info in self.classes.values()),
            *(f.own_scope for f in self.functions.values() if f.own_scope is not None),
        ]
        scopes += [scopes[0].module()] if scopes else []
        return frozenset(
            binding.qualname.partition(".")[0]
            for scope in scopes
            for bindings in scope.bindings.values()
            for binding in bindings
            if binding.kind is Kind.IMPORT
        )

    def resolve(self, expr: ast.expr, scope: Scope, reaching: Reaching | None = None):
        """The symbol ``expr`` evaluates to, or None when unknown; ``reaching``: the
        bindings of the enclosing function's names that reach ``expr``."""
        if isinstance(expr, ast.Name):
            bindings, every = scope.lookup(expr.id, reaching)
            symbol = self.resolve_bindings(bindings)
            if every is not None and symbol.__class__ is not Obj:
                declared = [b for b in every if b.kind is Kind.ANNOTATION]
                return self.resolve_bindings(declared) or symbol
            return symbol
        if isinstance(expr, ast.Attribute):
            if expr.value.__class__ is ast.Call and (cls := self._super_of(expr.value, scope)):
                return self._after(cls, expr.attr)
            base = self.resolve(expr.value, scope, reaching)
            result = self._attribute(base, expr.attr)
            if base.__class__ is Obj and base.others:
                return _carry(base, result, lambda option: self._attribute(option, expr.attr))
            return result
        if isinstance(expr, ast.Call):
            callee = self.called(expr.func, scope, reaching)
            if callee is not None and callee.qualname in PARTIALS:
                return self._partial_of(expr, scope, reaching)
            result = self.call_result(callee)
            if callee.__class__ is Obj and callee.others:
                return _carry(callee, result, self.call_result)
            if callee is None:
                return result
            source = opened_over(expr, callee.qualname)
            if source is not None:
                return over_buffer(result, self.resolve(source, scope, reaching)) or result
            return made_shared(expr, callee.qualname, result) or result
        if isinstance(expr, ast.Subscript):  # ``client["app"]``: an item of a catalogued API
            base = self.resolve(expr.value, scope, reaching)
            if base.__class__ is not Obj:
                return None
            if self.catalogue.chains(f"{base.qualname}.__getitem__"):
                return base.member("__getitem__")
            key = expr.slice.value if expr.slice.__class__ is ast.Constant else None
            return self._item(base, key)  # ``s3.get_object(...)["Body"]``: a stream
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left = self.resolve(expr.left, scope, reaching)
            return left if isinstance(left, Obj) and not left.path else None
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            return self._bridged_result(expr.value, scope, reaching)
        if isinstance(expr, ast.IfExp | ast.BoolOp):  # ``a if c else b``, ``a or b``: either
            values = (expr.body, expr.orelse) if isinstance(expr, ast.IfExp) else expr.values
            if isinstance(expr, ast.BoolOp) and not isinstance(expr.op, ast.Or):
                return None
            options = [self.resolve(value, scope, reaching) for value in values]
            return _either([o for o in options if o.__class__ is Obj])
        return None

    def name_of(self, expr: ast.expr, scope: Scope) -> str | None:
        """The qualified name ``expr`` resolves to in ``scope``, when it names a module,
        function, class or attribute (not an instance)."""
        symbol = self.resolve(expr, scope)
        return symbol.qualname if isinstance(symbol, Ref) else None

    def _item(self, base: Obj, key: object) -> Obj | None:
        """The item of a constant key (a string, or a tuple's place) of an instance of a
        catalogued class, when the catalogue types it (``GetObjectOutput['Body']``)."""
        if key.__class__ not in (str, int):
            return None
        item = self.catalogue.attribute_returns(f"{base.qualname}[{key!r}]")
        return Obj(item) if item else None

    def _partial_of(self, call: ast.Call, scope: Scope, reaching: Reaching | None):
        """What calling ``functools.partial(f, ...)`` later runs: ``f``."""
        if not call.args or isinstance(call.args[0], ast.Starred):
            return None
        return self.called(call.args[0], scope, reaching)

    def _bridged_result(self, call: ast.Call, scope: Scope, reaching: Reaching | None):
        """What awaiting a thread bridge's call gives (``await asyncio.to_thread(f, x)``):
        what the function it hands over returns (a fix's bridge keeps what it bridged
        typed: ``proc.wait()`` after ``proc = await asyncio.to_thread(subprocess.Popen,
        ...)`` still blocks), the project's own bridge too when the run names it."""
        handed = self._handed(call, scope, reaching)
        return None if handed is None else self.call_result(self.called(handed, scope, reaching))

    def _handed(self, call: ast.Call, scope: Scope, reaching: Reaching | None) -> ast.expr | None:
        """The function a thread bridge's call hands over (None: no bridge's call)."""
        callee = self.called(call.func, scope, reaching)
        index = bridge_index(callee, call.func)
        if index is None and self._own_bridge_call(call, callee):
            index = 0  # ``await run_sync(f, *args)``, as the fixes write it
        if index is None or len(call.args) <= index:
            return None
        handed = call.args[index]
        return None if isinstance(handed, ast.Starred) else handed

    def _bridged_body(
        self, awaited: ast.Await, scope: Scope, reaching: Reaching | None
    ) -> ast.expr | None:
        """What ``await asyncio.to_thread(lambda: body)`` gives: ``body``, evaluated in the
        thread (a lazy result materialised there, as the fixes write it)."""
        call = awaited.value
        handed = self._handed(call, scope, reaching) if isinstance(call, ast.Call) else None
        if isinstance(handed, ast.Lambda) and not all_args(handed.args):
            return handed.body
        return None

    def _own_bridge_call(self, call: ast.Call, callee: Symbol | None) -> bool:
        """Whether ``call`` calls the project's own bridge: by its qualified name, or by the
        name the module binds it to (``AnalysisOptions.thread_bridge`` is either)."""
        own = self.own_bridge
        if own is None or own in WRAPPING_BRIDGES:
            return False
        if isinstance(call.func, ast.Name) and call.func.id == own:
            return True
        return callee is not None and callee.qualname == own

    def called(self, func: ast.expr, scope: Scope, reaching: Reaching | None = None):
        """What a call of ``func`` runs: the function or class it names, or, for an
        instance (``_ = Translator(...)``, then ``_("text")``), its class's ``__call__``.

        Answered once per question asked while no binding is being resolved: that answer
        depends on the question alone (the bindings it reaches resolve as the memo of
        bindings says, or afresh alike). Asked within a binding's resolution, it may
        reach that binding, busy there, and be cut there: answered afresh (a memo at any
        depth changed the summaries of four modules of the bench corpus)."""
        if self._busy:
            return self._call_of(func, scope, reaching)
        key = (id(func), id(scope), id(reaching))
        known = self._calls.get(key)
        if known is None:
            known = self._calls[key] = (func, scope, reaching, self._call_of(func, scope, reaching))
        return known[3]

    def _call_of(self, func: ast.expr, scope: Scope, reaching: Reaching | None):
        symbol = self.resolve(func, scope, reaching)
        if symbol.__class__ is not Obj or symbol.path:
            return symbol
        return Obj(symbol.cls, ".__call__", tuple(o.member("__call__") for o in symbol.others))

    def call_result(self, callee: Symbol | None) -> Obj | None:
        """The instance a call to ``callee`` returns, when known (``x()`` stands for the
        result of a call the module cannot see into)."""
        if callee is None:
            return None
        returned = self.catalogue.call_returns(callee.qualname)
        if returned is not None:
            return Obj(returned)
        if isinstance(callee, Obj) and self.catalogue.chains(callee.qualname):
            return callee  # another object of the API the catalogue's wildcard covers
        if isinstance(callee, Obj):
            return self._method_result(callee)
        if _looks_like_class(callee.qualname, self.classes):
            return Obj(callee.qualname)
        function = self.functions.get(callee.qualname)
        if function is None or (function.is_generator and not function.is_async):
            return Obj(f"{callee.qualname}()")  # a generator: its body runs as it is iterated
        return self.function_result(function)

    def _method_result(self, callee: Obj) -> Obj | None:
        """What ``obj.method()`` returns: a project method's result, or (a class of
        another module) a placeholder the project index resolves."""
        if callee.path.count(".") != 1 or self.catalogue.blocking(callee.qualname):
            return None
        if callee.cls not in self.classes:
            return Obj(f"{callee.qualname}()") if maybe_project(callee.cls) else None
        function = self.method_record(callee.cls, callee.path[1:])
        if function is not None:
            return self.function_result(function)
        inherited = self._inherits_from_elsewhere(callee.cls)
        return Obj(f"{callee.qualname}()") if inherited else None

    def _inherits_from_elsewhere(self, cls: str) -> bool:
        """Whether project class ``cls`` has a base of another module or a library (whose
        methods the project index knows)."""
        return any(
            base not in self.classes and maybe_project(base)
            for name in self.mro(cls)
            for base in self._bases(name) or ()
        )

    def function_result(self, function: FunctionRecord) -> Obj | None:
        """The instance a project function returns: its return annotation, else the
        first of its returned values whose type is known."""
        if function.returns is not None:
            return self.annotation(function.returns, function.scope)
        for returned in function.returned:
            symbol = self.resolve_binding(returned)
            if isinstance(symbol, Obj):
                return symbol
        return None

    def entered(self, manager: Symbol | None) -> Symbol | None:
        """What ``with manager as name`` binds: what a project class's ``__enter__``
        returns (a class of another module: a placeholder the project index resolves); the
        manager itself for the standard library's and the catalogue's classes, and what
        their instances hand out (``with conn.cursor() as cur``)."""
        if (
            manager.__class__ is not Obj
            or manager.path
            or not maybe_project(manager.cls)
            or self.catalogue.knows(manager.cls)
            or self.catalogue.covers(manager.cls)
        ):
            return manager
        if manager.cls not in self.classes:
            return Obj(f"{manager.cls}.__enter__()")
        record = self.method_record(manager.cls, "__enter__")
        if record is None:
            inherited = self._inherits_from_elsewhere(manager.cls)
            return Obj(f"{manager.cls}.__enter__()") if inherited else manager
        result = self.function_result(record)
        return manager if result is not None and result.qualname in _SELF else result

    def is_coroutine(self, symbol: Symbol) -> bool | None:
        """Whether ``symbol`` is a coroutine function or method of this module (None:
        not one of its functions); an async generator is none (a call gives an async
        iterator, nothing to await)."""
        if isinstance(symbol, Obj) and symbol.path.count(".") == 1:
            return self.method(symbol.cls, symbol.path[1:])
        function = self.functions.get(symbol.qualname)
        if function is None:
            return None
        return self.gives_awaitable(function) and not (function.is_async and function.is_generator)

    def gives_awaitable(self, function: FunctionRecord) -> bool:
        """Whether a call of ``function`` gives an awaitable: whether it is a coroutine
        function, unless a decorator made it the other kind."""
        return self.converted.get(function.qualname, function.is_async)

    def annotation(self, expr: ast.expr, scope: Scope) -> Obj | None:
        """The instance type an annotation declares (``X``, ``Optional[X]``, ``X | None``);
        of a union (``X | Y``, ``Union[X, Y]``), each member's, the others as alternatives."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            try:
                expr = ast.parse(expr.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            left, right = self.annotation(expr.left, scope), self.annotation(expr.right, scope)
            return _either([left, right]) if left and right else left or right
        if isinstance(expr, ast.Tuple):  # the classes ``isinstance`` is handed
            return _either([self.annotation(member, scope) for member in expr.elts])
        if isinstance(expr, ast.Subscript):
            wrapper = self.resolve(expr.value, scope)
            name = wrapper.qualname.rpartition(".")[2] if isinstance(wrapper, Ref) else None
            members = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
            if name == "Union":
                return _either([self.annotation(member, scope) for member in members])
            if name in _WRAPPERS:
                return self.annotation(members[0], scope)
            expr = expr.value
        named = self.resolve(expr, scope)
        if not isinstance(named, Ref):
            return None
        return Obj(self.catalogue.call_returns(named.qualname) or named.qualname)

    def resolve_bindings(self, bindings: Sequence[Binding] | None) -> Symbol | None:
        """The symbol a name bound by ``bindings`` stands for: typed ones win, the last
        one first, with the other types it may have as its alternatives."""
        if not bindings:
            return None
        if len(bindings) == 1:  # most names: what follows gives its one symbol
            return self.resolve_binding(bindings[0])
        symbols = [self.resolve_binding(b) for b in bindings]
        typed = [s for s in symbols if s.__class__ is Obj]
        if not typed:
            return symbols[-1]
        last = typed[-1]
        others = tuple(dict.fromkeys(s for s in typed[:-1] if s != last)) if typed[1:] else ()
        return Obj(last.cls, last.path, others) if others else last

    def resolve_binding(self, binding: Binding) -> Symbol | None:
        """The symbol one binding gives its name: None for one met again while it is
        being resolved (a cycle: ``self.a = self.b`` and ``self.b = self.a or x``).
        Computed once per binding, unless a cycle was cut in it at a binding resolved
        around it, or at itself: what it gave then depends on where the cycle was entered,
        which another question enters elsewhere (redis's original and relaxed socket
        timeouts took the type of whichever was asked first). Such a result is kept only
        while the binding the cut was at is resolved (``_cycle``)."""
        key = id(binding)
        if key in self._resolved:
            return self._resolved[key]
        if key in self._cycle:
            symbol, cut = self._cycle[key]
            self._cut = min(self._cut, cut)
            return symbol
        depth = self._busy.get(_busy_key(binding))
        if depth is not None:
            self._cut = min(self._cut, depth)
            return None
        depth = len(self._busy)  # its own, if it is busy while resolved (not a RESULT)
        outer, self._cut = self._cut, _UNCUT
        symbol = self._resolve_binding(binding)
        cut = self._cut
        if cut > depth or (cut == depth and binding.kind is Kind.RESULT):
            self._resolved[key] = symbol
        elif cut < depth:
            self._cycle[key] = (symbol, cut)
        if self._cycle:  # those cut here or deeper no longer hold
            self._cycle = {k: held for k, held in self._cycle.items() if held[1] < depth}
        self._cut = min(outer, cut)
        return symbol

    def _resolve_binding(self, binding: Binding) -> Symbol | None:
        kind = binding.kind
        if kind in (Kind.IMPORT, Kind.FUNCTION, Kind.COROUTINE, Kind.CLASS):
            return Ref(binding.qualname)
        if kind is Kind.INSTANCE:
            return Obj(binding.qualname)
        if kind is Kind.UNKNOWN:
            return None
        if kind is Kind.RESULT:
            function = self.functions.get(binding.qualname)
            return self.function_result(function) if function is not None else None
        busy = _busy_key(binding)
        self._busy[busy] = len(self._busy)
        try:
            if kind is Kind.ANNOTATION:
                return self.annotation(binding.expr, binding.scope)
            if kind is Kind.ELEMENT:
                return self._element(binding)
            if kind is Kind.PART:  # ``stdin, stdout, stderr = ssh.exec_command(c)``
                whole = self.resolve(binding.expr, binding.scope, binding.reaching)
                return self._item(whole, binding.part[0]) if whole.__class__ is Obj else None
            if kind is Kind.NARROWED or kind is Kind.EXCLUDED:
                holds = kind is Kind.NARROWED
                return self._narrowed(binding.expr, binding.scope, binding.reaching, holds)
            value = self.resolve(binding.expr, binding.scope, binding.reaching)
            return self.entered(value) if kind is Kind.ENTERED else value
        finally:
            del self._busy[busy]

    def _element(self, binding: Binding) -> Obj | None:
        """What a loop target holds: its part of the element type of what the loop
        iterates, declared or a catalogue's fact (``elements``)."""
        return self.element(binding.expr, binding.scope, binding.reaching, binding.part)

    def element(
        self, iterable: ast.expr, scope: Scope, reaching: Reaching | None, part: tuple = ()
    ) -> Obj | None:
        """The part ``part`` of what iterating ``iterable`` gives, declared or a catalogue's
        fact (``elements``)."""
        elements = Elements(
            lambda expr: self._declared(expr, scope, reaching),
            self._type_name,
            lambda call: self._yielded(call, scope, reaching),
            lambda awaited: self._bridged_body(awaited, scope, reaching),
        )
        found = elements.of(iterable, part)
        if isinstance(found, str):
            return Obj(found)
        return None if found is None else self.annotation(*found)

    def _yielded(self, call: ast.Call, scope: Scope, reaching: Reaching | None) -> str | None:
        callee = self.called(call.func, scope, reaching)
        return None if callee is None else self.catalogue.call_yields(callee.qualname)

    def _declared(self, expr: ast.expr, scope: Scope, reaching: Reaching | None) -> Declared | None:
        """The annotation a name or an instance's attribute was declared with, and the
        scope it was written in."""
        declared = [b for b in self._bindings(expr, scope, reaching) if b.kind is Kind.ANNOTATION]
        return (declared[0].expr, declared[0].scope) if declared else None

    def through_partial(self, func: ast.expr, scope: Scope, reaching: Reaching | None) -> bool:
        """Whether a call of ``func`` calls a ``functools.partial`` (``run = partial(
        subprocess.run, check=True)``, then ``run(args)``): the call holds only some of
        the arguments of what it runs."""
        values = [
            (b.expr, b.scope, b.reaching)
            for b in self._bindings(func, scope, reaching)
            if b.kind is Kind.VALUE
        ]
        return any(
            isinstance(value, ast.Call)
            and getattr(self.called(value.func, *where), "qualname", None) in PARTIALS
            for value, *where in [*values, (func, scope, reaching)]
        )

    def made_by(self, expr: ast.expr, scope: Scope, reaching: Reaching | None) -> str | None:
        """What class or function a call of which made the value ``expr`` holds on every
        path that reaches it: ``X`` of ``X(...)``, or of a name or a project instance's
        attribute every binding of which is such a call (``TABLE = OrderedDict()``); None
        where one is not (an annotation declares no value: ``TABLE: dict = Ledger()``)."""
        if expr.__class__ is ast.Call:
            callee = self.called(expr.func, scope, reaching)
            return callee.qualname if callee.__class__ is Ref else None
        if expr.__class__ is ast.Name:
            bindings = scope.lookup(expr.id, reaching)[0] or ()
        else:
            bindings = self._bindings(expr, scope, reaching)
        made = {
            self.made_by(b.expr, b.scope, b.reaching)
            if b.kind is Kind.VALUE and b.expr.__class__ is ast.Call
            else None
            for b in bindings
        }
        return made.pop() if len(made) == 1 else None

    def _bindings(self, expr: ast.expr, scope: Scope, reaching: Reaching | None) -> list[Binding]:
        """Every binding of a name, or of a project instance's attribute, ``expr`` reads."""
        if isinstance(expr, ast.Name):
            found, every = scope.lookup(expr.id, reaching)
            return [*(found or ()), *(every or ())]
        if isinstance(expr, ast.Attribute):
            base = self.resolve(expr.value, scope, reaching)
            if base.__class__ is Obj and not base.path and base.cls in self.classes:
                attribute = member(self.mro(base.cls), self._attributes, expr.attr)
                return list(attribute[1]) if attribute is not None else []
        return []

    def _type_name(self, expr: ast.expr, scope: Scope) -> str | None:
        """The last name of the type ``expr`` names: a builtin's own (``list``)."""
        named = self.resolve(expr, scope)
        if isinstance(named, Ref):
            return named.qualname.rpartition(".")[2]
        return expr.id if isinstance(expr, ast.Name) and named is None else None

    def _narrowed(
        self, test: ast.Call, scope: Scope, reaching: Reaching | None, holds: bool
    ) -> Symbol | None:
        """What the name of ``isinstance(name, T)`` holds where the test ``holds`` (or
        fails): of the types it may have, those ``T`` names (or the others; all of them,
        when that leaves none)."""
        held = self.resolve(test.args[0], scope, reaching)
        named = self.annotation(test.args[1], scope)
        if held.__class__ is not Obj or not held.others or named is None:
            return held
        wanted = {option.qualname for option in named.options()}
        kept = [Obj(o.cls, o.path) for o in held.options() if (o.qualname in wanted) == holds]
        return _either(kept) or held

    def _attribute(self, base: Symbol | None, name: str) -> Symbol | None:
        if base is None:
            return None
        if not isinstance(base, Ref) and not base.path and base.cls in self.classes:
            attribute = member(self.mro(base.cls), self._attributes, name)
            if attribute is not None:
                symbol = self.resolve_bindings(attribute[1])
                if symbol is not None:
                    return symbol
            elif self._undefined(base.cls, name) and (
                bound := self._bound_below(base.cls, name) or self._sync_below(base.cls, name)
            ):
                return bound
        returned = self.catalogue.attribute_returns(f"{base.qualname}.{name}")
        return Obj(returned) if returned else base.member(name)

    def _known(self) -> dict[str, ClassInfo]:
        return self.classes

    def _bases(self, cls: str) -> list[str] | None:
        info = self.classes.get(cls)
        if info is None:
            return None
        symbols = (self.resolve(base, info.scope.parent) for base in info.bases)
        return [s.qualname for s in symbols if isinstance(s, Ref)]

    def _super_of(self, call: ast.Call, scope: Scope) -> str | None:
        """The project class whose base ``call`` reaches: ``Cls`` of ``super(Cls, self)``,
        or, of ``super()``, the class defining the method it is written in."""
        func = call.func
        if func.__class__ is not ast.Name or func.id != "super":
            return None
        if self.resolve(func, scope) != Ref("builtins.super"):
            return None
        if call.args:
            named = self.resolve(call.args[0], scope) if len(call.args) == 2 else None
            known = isinstance(named, Ref) and named.qualname in self.classes
            return named.qualname if known else None
        while scope.kind == "comprehension":
            scope = scope.parent
        outer = scope.parent if scope.kind == "function" else None
        return outer.qualname if outer is not None and outer.kind == "class" else None

    def _after(self, cls: str, name: str) -> Obj | None:
        """``name`` as ``super()`` in project class ``cls`` finds it, on an instance: the
        method of the first class after ``cls`` in its method resolution order that defines
        it, of this module. When a class of another module or a library comes first, which
        may define it: that class's, looked up in its hierarchy, when only classes of this
        module that do not define it follow (a library base's method stays one the catalogue
        knows); else ``cls``'s ``super()`` (``SUPER``), which the project index resolves
        along the whole order."""

        def defines(owner: str) -> bool:
            return name in self.classes[owner].methods

        found = self.first_after(cls, defines)
        if found is None or found in self.classes:
            return None if found is None else Obj(found, f".{name}")
        order = self.method_order(cls)
        rest = [c for c in order[order.index(found) + 1 :] if c != "builtins.object"]
        settled = all(c in self.classes and not defines(c) for c in rest)
        return Obj(found, f".{name}") if settled else Obj(cls, f".{SUPER}.{name}")

    def _attributes(self, cls: str) -> dict[str, list[Binding]]:
        return self.classes[cls].attributes

    def owner(self, cls: str, name: str) -> str | None:
        """The class in ``cls``'s hierarchy that defines method ``name``."""
        found = member(self.mro(cls), lambda c: self.classes[c].methods, name)
        return None if found is None else found[0]

    def below(self, callee: Symbol) -> bool:
        """Whether ``callee`` is a method of an instance of a class of the module that neither
        it nor its bases define (all of them the module's): only a subclass's can run, as
        ``self.handle()`` in a base's method runs the subclass's ``handle``."""
        if callee.__class__ is not Obj or callee.path.count(".") != 1:
            return False
        return callee.cls in self.classes and self._undefined(callee.cls, name=callee.path[1:])

    def _undefined(self, cls: str, name: str) -> bool:
        """Whether no class of project class ``cls``'s hierarchy, all of them the module's,
        defines ``name``, as a method or an attribute: only a subclass's can be reached."""
        mro = self.mro(cls)
        bases = {base for c in mro for base in self._bases(c) or ()}
        if bases - set(mro) - {"builtins.object"}:
            return False  # a base the module does not know (another module's, a library's)
        return self.owner(cls, name) is None and member(mro, self._attributes, name) is None

    def _bound_below(self, cls: str, name: str) -> Obj | None:
        """What attribute ``name`` holds on an instance of ``cls``, which neither it nor its
        bases bind (``_undefined``), when every subclass of the module that binds it binds it
        to instances of one class (``self.lock`` in a base's method, an ``asyncio.Lock`` the
        subclass's ``__init__`` makes)."""
        held = set()
        for below in self.descendants(cls):
            attribute = member(self.mro(below), self._attributes, name)
            if attribute is not None:
                held.add(self.resolve_bindings(attribute[1]))
        if len(held) != 1:
            return None
        (symbol,) = held
        return symbol if symbol.__class__ is Obj and not symbol.others else None

    def _sync_below(self, cls: str, name: str) -> Obj | None:
        """The sync method ``name`` an instance of ``cls`` runs, which neither it nor its
        bases define (``_undefined``), when one subclass of the module defines it for every
        subclass that does (``self.bump()`` in a base's coroutine runs ``Service.bump``)."""
        owners = {self.owner(below, name) for below in self.descendants(cls)}
        owners.discard(None)
        if len(owners) != 1:
            return None
        (owner,) = owners
        return Obj(owner).member(name) if self.classes[owner].methods[name] is False else None

    def defining(self, callee: Symbol) -> str:
        """The qualified name of what a call of ``callee`` runs: a method of an instance of
        a project class by the class of its hierarchy that defines it (``Journal().note`` is
        ``Base.note`` where only ``Base`` defines ``note``)."""
        if callee.__class__ is Obj and callee.path.count(".") == 1 and callee.cls in self.classes:
            owner = self.owner(callee.cls, callee.path[1:])
            if owner is not None:
                return f"{owner}{callee.path}"
        return callee.qualname

    def method_record(self, cls: str, name: str) -> FunctionRecord | None:
        """The project method ``cls.name`` (defined in ``cls`` or a base class)."""
        owner = self.owner(cls, name)
        return None if owner is None else self.functions.get(f"{owner}.{name}")

    def method(self, cls: str, name: str) -> bool | None:
        """Whether ``cls.name`` is a coroutine method (None: no such project method)."""
        owner = self.owner(cls, name)
        return None if owner is None else self.classes[owner].methods[name]

    def signature(self, cls: str, name: str) -> str | None:
        """The parameters and guards of project method ``cls.name`` (``instance_guards``)."""
        owner = self.owner(cls, name)
        return None if owner is None else self.classes[owner].signatures.get(name)


def _busy_key(binding: Binding) -> int:
    """What marks ``binding`` busy: its expression (bindings sharing one, the targets of
    an unpacking, are resolved as one), else itself."""
    return id(binding.expr if binding.expr is not None else binding)


def _carry(base: Obj, result: Symbol | None, step) -> Symbol | None:
    """``result`` (of ``step(base)``) with the results of ``step`` on ``base``'s alternatives."""
    if not isinstance(result, Obj):
        return result
    others = tuple(r for o in base.others if isinstance(r := step(o), Obj))
    return Obj(result.cls, result.path, others) if others else result


def _either(members: list[Obj | None]) -> Obj | None:
    """The first of a union's typed ``members``, the rest (and their own) as alternatives."""
    options = [Obj(o.cls, o.path) for m in members if m is not None for o in m.options()]
    if not options:
        return None
    first, *others = dict.fromkeys(options)
    return Obj(first.cls, first.path, tuple(others)) if others else first


def bridge_index(callee: Symbol | None, func: ast.expr) -> int | None:
    """The index of the function a thread bridge call hands over; a bridge method's name
    counts on an instance of unknown type (``self.loop``), not on what is known by name (a
    module's own ``_utils.run_in_executor(func, *args)``: pydantic-ai's)."""
    if callee is not None and callee.qualname in THREAD_BRIDGES:
        return THREAD_BRIDGES[callee.qualname]
    if isinstance(func, ast.Attribute) and not isinstance(callee, Ref):
        return BRIDGE_METHODS.get(func.attr)
    return None


def _looks_like_class(qualname: str, classes: dict[str, ClassInfo]) -> bool:
    if qualname in classes:
        return True
    last = qualname.rpartition(".")[2]
    return last[:1].isupper() and not last.isupper()
