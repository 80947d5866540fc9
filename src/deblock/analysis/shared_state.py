"""State a function shares beyond one call, and where else in the module it is used.

Code a fix moves into a worker thread runs beside the event loop, not between its steps:
when it uses ``self.x`` or a module global that code left on the loop also uses, and
one of them writes it, the thread can see (or leave) a state no interleaving of the
original could, whatever lock the moved code holds.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import NamedTuple

from deblock.analysis.entered_arguments import entered_argument, stacked_manager
from deblock.analysis.handed_references import handed_values
from deblock.analysis.lock_aliases import stands_for
from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import (
    SCOPES,
    alternatives,
    call_arguments,
    child_nodes,
    dotted_name,
    first_handed,
    last_name,
    own_nodes,
    reached,
    unpacked_part,
)
from deblock.analysis.resolver import Resolver
from deblock.analysis.scopes import ClassInfo, Kind, on_instance
from deblock.analysis.section_partners import ANY, PARAMETER
from deblock.analysis.walker import FunctionRecord, all_args
from deblock.rules.bridges import PARTIALS
from deblock.rules.resources import (
    ARGUMENT_CHANGERS,
    EXIT_REGISTRARS,
    HANDED_CALLERS,
    KEY_WRAPPERS,
    MADE_OVER,
    METHOD_CALLERS,
    MUTATING_METHODS,
    NOT_THREAD_SAFE,
    READ_ONLY_METHODS,
    RUN_ON_A_LATER_TURN,
)

READ, WRITE = "read", "write"
# The nodes ``StateAccess.touches`` finds accesses at.
_ACCESS_TYPES = frozenset({ast.Name, ast.Attribute, ast.Subscript, ast.AugAssign, ast.Call})
# What a call may hand a helper that changes it: a name, an attribute, an item.
_HANDED = frozenset({ast.Name, ast.Attribute, ast.Subscript})
# Literals whose elements a loop or an unpacking binds one by one.
_LITERALS = (ast.Tuple, ast.List)
# What a call may hand on that is called later: a bound method, a lambda, a partial (or
# what another call makes), a starred literal of objects.
_CALLABLE_FORMS = frozenset({ast.Attribute, ast.Lambda, ast.Call, ast.Starred})
# Aliases of aliases followed (``held = box``, ``box = ITEMS``).
_STEPS = 8
# Methods that make the object: nothing else can use it yet.
_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})
# Builtins that look at an object and run none of its code: handing them the instance
# changes none of it (``id(self)`` in a ``__repr__``).
_LOOKING_BUILTINS = frozenset({"id", "type", "callable", "isinstance"})


class StateAccess:
    """Which names and attributes of one function (``record``, the walk's) reach state beyond
    its own call: ``self.x`` (as ``self.x``), a global or nonlocal, a parameter (a
    mutable argument), an attribute of what the module imports (``helpers.LOG``: another
    module's global; not the imported name itself: ``os.remove``). A call writes its
    receiver when its method mutates (``append``) or its object is not thread-safe
    (``callees``: what calls resolve to). The function's own names are those its scope
    binds (a nested function's or comprehension's are theirs), less those it declares
    ``global`` or ``nonlocal``."""

    def __init__(
        self,
        record: FunctionRecord,
        modules: set[str],
        callees: dict[ast.AST, str] | None = None,
        helpers: HelperEffects | None = None,
    ):
        self.function, self._record = record.node, record
        self.self_name = record.instance[0] if record.instance else None
        self.callees = callees or {}  # calls -> what they resolve to
        self.helpers = helpers
        scope = record.own_scope
        self.declared = scope.global_names.union(record.nonlocals)
        args = record.node.args
        self.params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        bound = set(scope.bindings) - self.declared - self.params
        self.local = bound | {self.self_name}
        self.imported = modules - bound
        self.imported -= self._handed_whole()
        # the modules imported by their dotted name (``import pkg.store``)
        self._dotted = {m for m in self.imported if "." in m}
        self.aliases: dict[str, list[tuple[int, ast.expr | None]]] = {}
        # with the record, all the aliases depend on: the ``with`` targets the callees bind
        entered = tuple(self._entered_arguments())
        known, key = record.answers.aliases, (frozenset(self.imported), entered)
        if key not in known:
            known[key] = self._local_aliases(entered)
        self.aliases = known[key]
        # names that reach no state (``shared``); a name read whole is the value it holds
        # now, a copy maybe (``number = self.next``, then ``return number``): only its
        # attributes, items and methods reach what it holds
        self._unshared = self.local | self.imported
        self._found: dict[ast.AST, tuple[tuple[str, str], ...]] = {}
        self._in_statements: dict[ast.stmt, tuple[tuple[ast.AST, str, str], ...]] = {}
        self._handed_calls: dict[ast.Call, tuple[tuple[ast.Name, str], ...]] = {}

    def _handed_whole(self) -> set[str]:
        """The names imported whole (``from store import ITEMS``; in capitals: an object's)
        that the function hands whole to what calls it later, a ``functools.partial``'s
        argument, an element of a starred literal (``*[ITEMS]``) or a bound method's object
        (``apply(ITEMS.append, n)``), and reads whole elsewhere (``len(ITEMS)``,
        ``whole_reads``), or whose mutating method it hands (``ITEMS.append``: what calls
        it changes the object whole), using no other attribute of it (``COUNTER.count``
        beside ``COUNTER.add``: those are what it writes, ``_held``): one object, not a
        copy, which that code may change, so its state as a global's."""
        if not any(name.isupper() for name in self.imported):
            return set()  # no name of an object's to hand
        bound, methods, partials, used = handing(self._record)
        handed = [*bound, *(v for call, rest in partials if self._partial(call) for v in rest)]
        names = {v.id for v in handed if v.__class__ is ast.Name and v.id.isupper()} & self.imported
        reads = body_whole_reads(self._record, names, self) if names else ()
        mutated = {getattr(v.value, "id", None) for v in methods} - used
        return {node.id for node in reads if node not in handed} | names & mutated

    def touches(self, node: ast.AST) -> tuple[tuple[str, str], ...]:
        """Accesses of shared state at ``node``, each with its mode (found once a node)."""
        kind = node.__class__
        if kind not in _ACCESS_TYPES:
            return ()
        if kind is ast.Name and node.id in self._unshared:
            if node.ctx.__class__ is not ast.Load:
                return ()
            lazy = self._lazy_writes.get(node.id, ())
            return (*lazy, *self._held_whole(node)) if node.id in self.aliases else lazy
        found = self._found.get(node)
        if found is None:
            found = self._found[node] = self._touches(node)
        return found

    def _held_whole(self, node: ast.Name) -> tuple[tuple[str, str], ...]:
        """A read of each module global local alias ``node``, read whole, may hold through a
        binding of it whole (``len(box)`` of ``box = ITEMS``, ``_bound_whole``): that binding
        read none of it, so the use does, as the global's own name would; any binding before
        the use counts (in a loop, any: fix_fuzz --aliases 773053)."""
        bindings = self.aliases[node.id]
        before = [v for line, v in bindings if line < node.lineno] or [v for _, v in bindings]
        whole = self._bound_whole | self._entered_whole
        return tuple(dict.fromkeys((v.id, READ) for v in before if v in whole))

    @cached_property
    def _lazy_writes(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """The shared state each of the function's own names may write when a use of it
        iterates the lazy result it holds (``pending = map(ITEMS.append, xs)``, a lazy
        ``HANDED_CALLERS``' result, or a generator expression that writes, then ``list(
        pending)``): its making writes too, so the write counts at both. Filled in place,
        by line: a lambda in a later value that uses such a name sees what it writes."""
        lazy: dict[str, tuple[tuple[str, str], ...]] = {}
        self.__dict__["_lazy_writes"] = lazy  # no recursion through ``touches``
        for name, value in _stored_in(self._record):
            handed = HANDED_CALLERS.get(self.callees.get(value) or "")
            if value.__class__ is ast.GeneratorExp or handed is not None and handed.lazy:
                writes = {
                    (resource, WRITE)
                    for node in ast.walk(value)
                    if node.__class__ is not ast.Name
                    for resource, mode in self.touches(node)
                    if mode == WRITE
                }
                if writes:
                    lazy[name] = tuple(sorted({*lazy.get(name, ()), *writes}))
        return lazy

    def within(self, statement: ast.stmt) -> tuple[tuple[ast.AST, str, str], ...]:
        """(node, resource, mode) of each access of shared state in ``statement`` (at its
        ``own_nodes``, in their order), found once a statement: a coroutine's accesses and
        those of its runs read the same statements."""
        found = self._in_statements.get(statement)
        if found is None:
            found = []
            for node in own_nodes(statement):  # loops: no generator resumed for each node
                for resource, mode in self.touches(node):
                    found.append((node, resource, mode))
            found = self._in_statements[statement] = tuple(found)
        return found

    def _touches(self, node: ast.AST) -> tuple[tuple[str, str], ...]:
        """``touches``' answer (a tuple made at once: no generator for each node)."""
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
            if node in self._bound_whole:
                return ()
            resource = self.shared(node)
            if resource is None:
                return self._read_held(node, set())
            if node in self._record.inserting:  # ``G[k]`` of a ``defaultdict``: both
                return ((resource, READ), (resource, WRITE))
            if isinstance(node.ctx, ast.Load):
                if resource not in self.params or node not in self._handing:
                    return self._read_held(node, {resource})
            elif not isinstance(node, ast.Name) or node.id in self.declared:
                return tuple((r, WRITE) for r in sorted({resource, *self._also_held(node)}))
        elif isinstance(node, ast.AugAssign):
            resource = self.shared(node.target)
            if resource:
                return ((resource, READ),)
        elif isinstance(node, ast.Call):
            callee = self.callees.get(node) or ""
            written = {resource for _, resource in self._handed(node)}
            if self.mutates(node):
                receiver = self._method(node).value
                written |= {self.shared(receiver), *self._also_held(receiver)}
            written.add(self._made_over(node))
            through = self._called_through(node, callee)
            written |= {resource for resource, mode in through if mode == WRITE}
            read = sorted({(resource, mode) for resource, mode in through if mode == READ})
            effects = ()
            if self.helpers is not None and callee:
                effects = self._helper_effects(node, callee)
            if self.helpers is not None and (handed := self.helpers.runs.get(node)):
                mine = bool(node.args) and on_instance(node.args[0], self.self_name, exactly=True)
                effects = (*effects, *self._helper_effects(node, handed, mine))  # ``call(f, n)``
            written_pairs = ((resource, WRITE) for resource in sorted(written - {None}))
            return (*effects, *read, *written_pairs)
        return ()

    @cached_property
    def changed(self) -> set[str]:
        """The parameters the function changes in place itself (``journal.append(x)``,
        ``p[k] = v``, ``p.count += 1``, ``p.flush()``): mutable objects its callers may share
        (a call on an object that is not thread-safe, ``sock.recv()``, is no such
        evidence)."""
        changed = set()
        for call in self._calls:
            handed = {r for _, r in self._handed(call)}
            if getattr(call.func, "attr", None) in MUTATING_METHODS:
                handed.add(self.shared(self._unaliased(call.func.value)))
            changed |= handed & self.params
        kinds = (ast.Subscript, ast.Attribute) if self._record.sets_items else (ast.Attribute,)
        for node in self._record.own_code if self._record.state_writes else ():
            if node.__class__ in kinds and (
                node.ctx.__class__ is not ast.Load or node in self._record.inserting
            ):
                changed |= {self.shared(self._unaliased(node))} & self.params
        return changed

    def _local_aliases(
        self, entered: tuple[tuple[str, ast.expr], ...]
    ) -> dict[str, list[tuple[int, ast.expr | None]]]:
        """What shared state each of the function's own names may hold, by the line of each
        binding that shows its value (None: no shared state), as the expression naming it:
        ``box = None``, then ``box = ITEMS``; a loop over a literal holding it (``for box in
        [ITEMS]:``); an unpacking of a literal (``box, t = ITEMS, TABLE``); a ``with`` target
        its manager enters to (``entered``: ``_entered_arguments``); through another such name.
        ``shared`` reads a use of its attributes, items or methods as a use of what the last
        binding before it holds."""
        pairs = [
            (name, value)
            for name, value in (*_bound_in(self._record), *entered)
            if name in self.local and name != self.self_name
        ]
        aliases: dict[str, list[tuple[int, ast.expr | None]]] = {}
        for _ in range(_STEPS):
            found: dict[str, list[tuple[int, ast.expr | None]]] = {}
            for name, bound in pairs:
                value = self.through_alias(bound)
                base = reached(value)[0]
                held = base.__class__ is ast.Name and base.id in self.imported
                shared = getattr(base, "id", None) != name and (held or self._shared(value))
                found.setdefault(name, []).append((bound.lineno, value if shared else None))
            found = {
                name: sorted(bindings, key=lambda binding: binding[0])
                for name, bindings in found.items()
                if any(value for _, value in bindings)
            }
            if found.keys() == aliases.keys():
                break
            aliases = self.aliases = found
        return found

    def _entered_arguments(self) -> Iterator[tuple[str, ast.expr]]:
        """(name, value) of each ``with`` target bound to an argument its manager was handed
        (``ENTERS_ARGUMENT``: ``box`` and ``ITEMS`` of ``with nullcontext(ITEMS) as box``),
        and of each name bound to a stack's entry of such a manager (``box = stack.
        enter_context(nullcontext(ITEMS))``, ``stacked_manager``); none without callees."""
        for manager, name in _named_withs(self._record) if self.callees else ():
            held = entered_argument(manager, self.callees.get(manager))
            yield from ((name, held),) if held is not None else ()
        for name, value in _bound_in(self._record) if self.callees else ():
            manager = stacked_manager(value)
            held = entered_argument(manager, self.callees.get(manager)) if manager else None
            yield from ((name, held),) if held is not None else ()

    @cached_property
    def _bound_whole(self) -> frozenset[ast.AST]:
        """The module's globals a binding of a local alias holds whole (``done = DONE``, or
        ``for box in [ITEMS]``), no function of the module declaring one ``global``: the
        binding reads no content, only uses through the alias do (as ``aliases``: the
        object, not a copy). A global some function rebinds is read there: which object.
        Not a walrus's: its value is used there too (``len(box := ITEMS)`` reads it)."""
        used = {node.value for node in self._record.own_code if node.__class__ is ast.NamedExpr}
        bound = _bound_in(self._record)
        return self._globals_held((name, value) for name, value in bound if value not in used)

    @cached_property
    def _entered_whole(self) -> frozenset[ast.AST]:
        """The module's globals a ``with`` target holds whole (``nullcontext(ITEMS) as box``,
        ``_entered_arguments``): the manager's making reads one, and a use through the target
        reads it again (after an ``async with``'s entry, a suspension, the making's read is
        another run's: runtime_declined/async_null_context)."""
        return self._globals_held(self._entered_arguments())

    def _globals_held(self, bound: Iterable[tuple[str, ast.expr]]) -> frozenset[ast.AST]:
        """The values of ``bound`` (name, value) that are a module global a local alias holds
        whole, no function of the module declaring it ``global`` (as ``_bound_whole``)."""
        if self.helpers is None or not self.aliases:
            return frozenset()
        rebound = self.helpers.rebound
        return frozenset(
            value
            for name, value in bound
            if name in self.aliases
            and value.__class__ is ast.Name
            and value.id not in rebound
            and value.id not in self.params
            and value.id not in self._record.nonlocals
            and self._shared(value) == value.id
        )

    @cached_property
    def items_read(self) -> set[str]:
        """The parameters whose items the function reads itself (``groups[key]``, also of a
        local bound once to one): changed in place when handed a container whose item read
        inserts (``inserting_reads``)."""
        read = set()
        for node in self._record.own_code:
            if node.__class__ is ast.Subscript and node.ctx.__class__ is ast.Load:
                value = self._unaliased(node.value)
                if value.__class__ is ast.Name and value.id in self.params:
                    read.add(value.id)
        return read

    def _unaliased(self, expr: ast.expr) -> ast.expr:
        """What ``expr`` changes when it reaches a local bound once (``book.count`` of
        ``book = ledger`` or ``book = shelf.ledger``, ``stands_for``): that local's value;
        ``expr`` otherwise."""
        base, _ = reached(expr)
        if base.__class__ is not ast.Name or base.id == self.self_name or base.id not in self.local:
            return expr
        return stands_for(base, self._record)

    @cached_property
    def _calls(self) -> list[ast.Call]:
        """The calls the function's own code makes (the walk's record of them)."""
        return [c.node for c in self._record.calls if c.node.__class__ is ast.Call]

    def mutates(self, call: ast.Call) -> bool:
        """Whether ``call`` changes its receiver as such: a mutating method (``append``), or
        any call on an object that is not thread-safe, also through a local bound once to
        the method (``send = DB.insert``, then ``send(i)``: fix_fuzz --proxies 440006)."""
        receiver = (self.callees.get(call) or "").rpartition(".")[0]
        method = self._method(call)
        method = method.attr if isinstance(method, ast.Attribute) else None
        return method is not None and (method in MUTATING_METHODS or receiver in NOT_THREAD_SAFE)

    def _made_over(self, call: ast.Call) -> str | None:
        """The shared state ``call`` acts on through an object made over it (``MADE_OVER``):
        ``DB`` for ``batch()`` or ``batch.insert(i)`` of ``batch = MultiCall(DB)`` (through
        a local bound once, ``stands_for``; fix_fuzz --proxies 440039), or for
        ``csv.writer(DB).writerow(row)``; through one the instance keeps (``_kept_over``)."""
        made = call.func.value if call.func.__class__ is ast.Attribute else call.func
        if made.__class__ is ast.Name:
            made = stands_for(made, self._record)
        elif on_instance(made, self.self_name, exactly=True):
            return self._kept_over(made, call)
        places = made.__class__ is ast.Call and MADE_OVER.get(self.callees.get(made) or "")
        handed = first_handed(made, places) if places else None
        return self.shared(handed) if handed is not None else None

    def _kept_over(self, kept: ast.Attribute, call: ast.Call) -> str | None:
        """What ``call`` acts on through ``kept`` (``self.rows``), an object made over it by
        the instance's constructor, its one binding (``self.rows = csv.writer(self.buf)``),
        of the type the call's receiver has (``csv.writer().writerow``): ``self.buf``; the
        object kept when the constructor was handed what it is made over (a parameter)."""
        maker = (self.callees.get(call) or "").rpartition(".")[0].removesuffix("()")
        if self.helpers is None or maker not in MADE_OVER:
            return None
        info = self.helpers.classes.get(self._record.instance[1])
        bindings = info.attributes.get(kept.attr, ()) if info is not None else ()
        if len(bindings) != 1 or bindings[0].expr.__class__ is not ast.Call:
            return None
        constructor = self.helpers.records.get(bindings[0].scope.qualname)
        if constructor is None or constructor.node.name not in _CONSTRUCTORS:
            return None
        access = self.helpers.access(constructor)
        handed = first_handed(bindings[0].expr, MADE_OVER[maker])
        state = access.shared(handed) if handed is not None else None
        if state in access.params:  # handed in: the calls share the object kept
            return f"{self.self_name}.{kept.attr}"
        own, _, attribute = (state or "").partition(".")
        return f"{self.self_name}.{attribute}" if own == access.self_name else state

    def _method(self, call: ast.Call) -> ast.expr:
        """What ``call`` calls: its ``func``, or the expression the local it names was bound
        from once (``stands_for``)."""
        return stands_for(call.func, self._record) if call.func.__class__ is ast.Name else call.func

    @cached_property
    def _handing(self) -> set[ast.AST]:
        """The nodes naming a parameter that a call hands on (``helper(p)``; ``p.flush()``:
        ``p`` and ``p.flush``): part of that call's write, no read of their own."""
        nodes: set[ast.AST] = set()
        for call in self._calls:
            for value, resource in self._handed(call):
                if resource in self.params:
                    nodes.add(value)
                    if getattr(call.func, "value", None) is value:
                        nodes.add(call.func)
        return nodes

    def _handed(self, call: ast.Call) -> tuple[tuple[ast.expr, str], ...]:
        """``_handed_by``'s (found once a call: its writes and reads ask it)."""
        found = self._handed_calls.get(call)
        if found is None:
            found = self._handed_calls[call] = tuple(
                self._handed_by(call, self.callees.get(call) or "")
            )
        return found

    def _handed_by(self, call: ast.Call, callee: str) -> Iterator[tuple[ast.expr, str]]:
        """What ``call`` hands to code that may change any of it: the instance itself, to
        code not known to be a library's (``helper(self)``: ``self.*``; ``HelperEffects``
        follows writes of the instance a method is called on; another module's helper is not
        seen here); a parameter or the module's state (a global, ``self.x``), to a sync
        function of the module that changes that argument in place (``helper(p)``,
        ``tally(LEDGER)``, ``note(self.log)``), or a parameter as the receiver of a method
        of that name that changes its instance in the module's classes (``p.flush()``),
        unless the call is known to run a library's method (``path.open()`` of ``path:
        Path``)."""
        if callee in ARGUMENT_CHANGERS and call.args:
            resource = self.shared(self._unaliased(call.args[0]))  # ``heapq.heappush(log, x)``
            if resource is not None:
                yield call.args[0], resource
        names = [v for v in call_arguments(call) if v.__class__ is ast.Name]
        if (
            self.self_name is not None
            and maybe_project(callee)
            and not _looks_only(call, self._record)
        ):
            yield from ((v, f"{v.id}.{ANY}") for v in names if v.id == self.self_name)
        if self.helpers is None:
            return
        if any(v.__class__ in _HANDED for v in call_arguments(call)):
            for value in self.helpers.changed_arguments(call, callee):
                # the state it is: ``p``, ``LEDGER``, ``self.log``; ``p`` of ``book = p``
                resource = self.shared(self._unaliased(value))
                if resource is not None:
                    yield value, resource
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if (
            self._parameter(receiver)
            and maybe_project(callee)
            and self.helpers.changing(call.func.attr)
        ):
            yield receiver, receiver.id

    def _called_through(self, call: ast.Call, callee: str) -> set[tuple[str, str]]:
        """The shared state ``call`` may touch by calling what it is handed (fix_fuzz
        --aliases), with its mode: a bound method of it (``apply(store.TALLY.add)``), a
        lambda or a ``functools.partial`` touching it, or it inside a starred literal
        (``settle_all(*[TALLY])``), when the callee may be the project's (not one that only
        registers it for an exit: ``stack.callback(TALLY.add)``, by name where the receiver's
        type is not known, unless the module's classes define a method of that name, which
        may call it at once), registers it for a later turn of the loop (``call_soon``) or is
        a library's function that calls it (``map``, ``sorted``'s ``key``: the argument
        ``HANDED_CALLERS`` names); what a local bound once to such a lambda or partial
        touches, when called (``put(n)``)."""
        found = self._callable_state(call.func) if call.func.__class__ is ast.Name else set()
        found |= self._applied(call, (call.func,))
        method = callee.rpartition(".")[2] or getattr(call.func, "attr", "")
        at_exit = not callee and method in EXIT_REGISTRARS and method not in self._class_methods
        catalogued = HANDED_CALLERS.get(callee)
        if catalogued is None and not maybe_project(callee):  # a library's method: ``xs.sort``
            catalogued = HANDED_CALLERS.get(f".{method}")
        calls = method in RUN_ON_A_LATER_TURN or catalogued is not None or maybe_project(callee)
        if not calls or _looks_only(call, self._record):
            return found
        values = call_arguments(call)
        if catalogued is not None:
            values = handed_values(call, catalogued)
        handed = self._applied(call, values)
        for value in values:
            if value.__class__ is ast.Starred and value.value.__class__ in _LITERALS:
                handed |= {(state, WRITE) for e in value.value.elts for state in self._held(e)}
            else:
                handed |= self._callable_state(value)
        if at_exit:  # the reading the module pass also weighs the other way (``exit_reads``)
            if self.helpers is not None and any(resource for resource, _ in handed):
                self.helpers.exit_reads.add(method)
            return found
        return {(resource, mode) for resource, mode in found | handed if resource}

    @cached_property
    def handed_writes(self) -> frozenset[str]:
        """The shared state the function's calls write by calling what they are handed
        (``_called_through``: ``apply(store.ITEMS.append, n)``, a partial or lambda), where
        the walk sees no write (``FunctionRecord.state_writes``)."""
        return frozenset(
            resource
            for call in self._calls
            for resource, mode in self._called_through(call, self.callees.get(call) or "")
            if mode == WRITE and resource
        )

    @property
    def _class_methods(self) -> frozenset[str]:
        """The names of the methods the module's classes define, and of the registrars read
        as calling at once (``HelperEffects``)."""
        return self.helpers.class_methods | self.helpers.at_once if self.helpers else frozenset()

    def _callable_state(self, value: ast.expr) -> set[tuple[str | None, str]]:
        """The shared state callable ``value`` may touch, with its mode: a bound method's
        instance and what a partial is handed (written); what a lambda's body touches (less
        its parameters), a method's receiver there written; through a local bound once to a
        lambda or partial (none through a local bound otherwise)."""
        if value.__class__ is ast.Name:
            value = stands_for(value, self._record)
            if value.__class__ is not ast.Lambda and not self._partial(value):
                if self._wrapped(value) is None:
                    return set()
        if value.__class__ is ast.Attribute:  # not a library module's (``os.path.exists``)
            held = self._held(value.value, value)
            return {(state, WRITE) for state in held if maybe_project(self._imported_as(state))}
        if value.__class__ is ast.Lambda:
            body = list(ast.walk(value.body))
            own = {a.arg for a in all_args(value.args)}
            # not a name read whole (``os.listdir(root)``), nor a function looked up
            looked_up = {n.func for n in body if n.__class__ is ast.Call}
            receivers = {f.value for f in looked_up if f.__class__ is ast.Attribute}
            touched = {
                (resource, WRITE if node in receivers else mode)
                for node in body
                if node not in looked_up
                for resource, mode in self.touches(node)
                if mode == WRITE or node.__class__ is not ast.Name
            }
            return {
                (r, mode)
                for r, mode in touched
                if r.partition(".")[0] not in own and maybe_project(self._imported_as(r))
            }
        if self._partial(value):
            function, *handed = call_arguments(value)
            return self._callable_state(function) | {(self.shared(h), WRITE) for h in handed}
        wrapped = self._wrapped(value)
        return self._callable_state(wrapped) if wrapped is not None else set()

    def _wrapped(self, value: ast.expr) -> ast.expr | None:
        """The callable a ``KEY_WRAPPERS``' call ``value`` wraps (``cmp_to_key(compare)``)."""
        wrapping = value.__class__ is ast.Call and self.callees.get(value) in KEY_WRAPPERS
        return value.args[0] if wrapping and value.args else None

    def _applied(self, call: ast.Call, callers: Iterable[ast.expr]) -> set[tuple[str, str]]:
        """The state a ``METHOD_CALLERS``' result among ``callers`` may change where ``call``
        calls it (``callers``: its ``func``, or the callables it is handed, ``map(caller,
        [ITEMS])``): what the call's other arguments hold (each element of a literal)."""
        if not any(self._method_caller(value) for value in callers):
            return set()
        held = set()
        for value in (value for value in call_arguments(call) if value not in callers):
            for element in value.elts if value.__class__ in _LITERALS else (value,):
                held |= self._held(element)
        return {(state, WRITE) for state in held}

    def _method_caller(self, value: ast.expr) -> bool:
        """Whether ``value`` is, or a local bound once to, a ``METHOD_CALLERS``' result that
        may change what it is applied to (one naming a ``READ_ONLY_METHODS`` does not)."""
        if value.__class__ is ast.Name and value.id in self.local:
            value = stands_for(value, self._record)
        if value.__class__ is not ast.Call or self.callees.get(value) not in METHOD_CALLERS:
            return False
        named = value.args[0] if value.args else None
        return named.__class__ is not ast.Constant or named.value not in READ_ONLY_METHODS

    def _held(self, expr: ast.expr, method: ast.expr | None = None) -> set[str]:
        """The shared state object ``expr`` holds: what ``shared`` reaches, or for a name
        imported whole (``from store import TALLY``) its attributes the function uses, as
        it names them (``TALLY.count``), but ``method``, the one handed on; an object's
        name only, in capitals (not a module's, ``tsocket``, nor a class's, ``SocketAttribute``)."""
        if expr.__class__ is not ast.Name or expr.id not in self.imported:
            return {state for state in [self.shared(expr)] if state}
        if not expr.id.isupper():
            return set()
        uses = (n for n in self._record.own_code if n.__class__ is ast.Attribute)
        named = (n for n in uses if n is not method and getattr(n.value, "id", None) == expr.id)
        return {self.shared(n) for n in named}

    def _imported_as(self, state: str) -> str:
        """``state`` with its first name read as what it imports (``socket.socket`` for
        ``_stdlib_socket.socket`` of ``import socket as _stdlib_socket``)."""
        root, dot, rest = state.partition(".")
        scope = self._record.own_scope
        bindings = (scope.lookup(root)[0] if scope is not None else None) or ()
        imported = {b.qualname for b in bindings if b.kind is Kind.IMPORT}
        return f"{imported.pop()}{dot}{rest}" if len(imported) == 1 else state

    def _partial(self, value: ast.expr) -> bool:
        """Whether ``value`` makes a ``functools.partial`` of a function."""
        partial = value.__class__ is ast.Call and self.callees.get(value) in PARTIALS
        return partial and bool(value.args)

    def _parameter(self, node: ast.AST | None) -> bool:
        """Whether ``node`` names one of the function's parameters."""
        return node.__class__ is ast.Name and node.id in self.params and node.id not in self.local

    def _helper_effects(
        self, call: ast.Call, callee: str, mine: bool | None = None
    ) -> Iterator[tuple[str, str]]:
        """What a call of one of the module's sync functions touches (``HelperEffects``), as
        this function names it: ``self.x`` only when called on its own instance (``mine``:
        whether it is, when ``call`` runs it for another, a breaker's)."""
        if mine is None:
            mine = on_instance(call, self.self_name, exactly=True)
        for on_self, name, mode in self.helpers.of(callee):
            if on_self and mine:
                yield f"{self.self_name}.{name}", mode
            elif not on_self and name not in self.local:
                yield name, mode

    def through_own(self, call: ast.AST) -> bool:
        """Whether ``call`` reaches no shared state through what it is called on: a method of
        a client the function made (``client.exec_command(c)`` of a local ``client``), or a
        maker (``pika.BlockingConnection(p)``)."""
        func = getattr(call, "func", None)
        return func.__class__ is not ast.Attribute or self.shared(func.value) is None

    def shared(self, expr: ast.expr) -> str | None:
        """The shared state ``expr`` reaches: ``self.x`` for ``self.x[k].y``, ``helpers.LOG``
        for ``helpers.LOG[k]`` (``helpers`` imported; ``pkg.store.LOG`` of ``import
        pkg.store``), a name that is not the function's own local (a parameter whole: its
        methods may use any of it), through a local that may hold such state (``aliases``:
        ``store.TALLY`` for ``t.count`` of ``t = store.TALLY``)."""
        return self._shared(self.through_alias(expr))

    def through_alias(self, expr: ast.expr) -> ast.expr:
        """``expr`` with its base read as what it may hold (``aliases``): ``store.TALLY.count``
        for ``t.count``, to its first attribute (what ``shared`` keeps)."""
        base, attribute = reached(expr)
        bindings = self.aliases.get(base.id) if base.__class__ is ast.Name else None
        if bindings is None:
            return expr
        before = [value for line, value in bindings if line < base.lineno] or [bindings[-1][1]]
        value = before[-1]  # in a loop, a use before any binding: the last one's
        if value is None:
            return expr
        return ast.Attribute(value, attribute, ast.Load()) if attribute else value

    def _read_held(self, node: ast.AST, read: set[str]) -> tuple[tuple[str, str], ...]:
        """A load at ``node`` reads ``read`` and the states its base's last binding may also
        hold (``ITEMS`` of ``box[0]`` of ``box = ITEMS if root else OTHER``: ``shared`` keeps
        the last); a store, none here."""
        if node.ctx.__class__ is not ast.Load:
            return ()
        return tuple((resource, READ) for resource in sorted(read | self._also_held(node)))

    def _also_held(self, expr: ast.expr) -> set[str]:
        """The states ``expr`` reaches through the other values its base's last binding may
        hold (``ITEMS`` of ``box.append`` of ``box = ITEMS if root else OTHER``, or of ``for
        box in [ITEMS, OTHER]``: ``through_alias`` keeps the last), for its writes."""
        base, attribute = reached(expr)
        bindings = self.aliases.get(base.id) if base.__class__ is ast.Name else None
        if not bindings:
            return set()
        line = max((line for line, _ in bindings if line < base.lineno), default=bindings[-1][0])
        held = [value for at, value in bindings if at == line and value is not None]
        return {
            self._shared(ast.Attribute(value, attribute, ast.Load()) if attribute else value)
            for value in held
        } - {None}

    def _shared(self, expr: ast.expr) -> str | None:
        """``shared``'s answer for ``expr`` read as it is."""
        if self._dotted and (global_ := self._dotted_global(expr)):
            return global_
        expr, attribute = reached(expr)
        if not isinstance(expr, ast.Name):
            return None
        if expr.id == self.self_name:
            return f"{expr.id}.{attribute}" if attribute else None
        if expr.id in self.imported:  # ``os.remove(p)`` changes no state of ``os``
            return f"{expr.id}.{attribute}" if attribute else None
        return None if expr.id in self.local else expr.id

    def _dotted_global(self, expr: ast.expr) -> str | None:
        """``pkg.store.LOG`` for ``pkg.store.LOG[k].x`` when ``pkg.store`` is a module
        imported by its dotted name, else None."""
        while expr.__class__ in (ast.Attribute, ast.Subscript):
            if expr.__class__ is ast.Attribute and dotted_name(expr.value) in self._dotted:
                return f"{dotted_name(expr.value)}.{expr.attr}"
            expr = expr.value
        return None

    def parameter_state(self, node: ast.AST, name: str) -> str | None:
        """The state of parameter ``name`` an access of it at ``node`` (``touches``) reaches:
        its attribute (``log`` of ``journal.log[k]``), ``ANY`` for the parameter itself when
        the function changes it in place (``journal.append(x)``); None when the access only
        reads it whole (``f"{journal}"``)."""
        attribute = self.attribute(node, name)
        return attribute or (ANY if name in self.changed else None)

    def attribute(self, node: ast.AST, name: str) -> str | None:
        """The attribute of ``name`` an access of it at ``node`` (``touches``) reaches: ``log``
        for ``journal.log[k]`` or ``journal.log.append(x)``; None for the name itself (or a
        call handing it: ``helper(journal)``)."""
        if isinstance(node, ast.AugAssign):
            node = node.target
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        base, attribute = reached(node)
        return attribute if isinstance(base, ast.Name) and base.id == name else None


def _bound_values(nodes: Iterable[ast.AST]) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) of each name ``nodes`` bind to a value they show: an assignment's
    (``box = ITEMS``; ``box, t = ITEMS, TABLE`` part by part), a loop's over a literal (each
    element of ``[ITEMS]``)."""
    for node in nodes:
        kind = node.__class__
        if kind is ast.Assign:
            for target in node.targets:
                yield from _paired(target, node.value)
        elif kind in (ast.AnnAssign, ast.NamedExpr) and node.value is not None:
            yield from _paired(node.target, node.value)
        elif kind in (ast.For, ast.AsyncFor) and node.iter.__class__ in _LITERALS:
            for element in node.iter.elts:
                yield from _paired(node.target, element)


def _bound_in(record: FunctionRecord) -> list[tuple[str, ast.expr]]:
    """``_bound_values`` of ``record``'s own code (found once a function: its accesses ask)."""
    answers = record.answers
    if answers.bound is None:
        answers.bound = list(_bound_values(record.own_code))
    return answers.bound


def _stored_in(record: FunctionRecord) -> list[tuple[str, ast.expr]]:
    """``_stored_values`` of ``record``, by the line of the value (found once a function)."""
    answers = record.answers
    if answers.stored is None:
        answers.stored = sorted(_stored_values(record), key=lambda b: b[1].lineno)
    return answers.stored


def _stored_values(record: FunctionRecord) -> Iterator[tuple[str, ast.expr]]:
    """``_bound_in``, and (name, value) of each value ``record``'s own code stores in a local
    container so named: an element of a literal bound to it (``box = [pending]``, a dict's
    value), an item assigned to it (``box["p"] = pending``), a value a call may keep in it
    (``_kept_by_call``)."""
    for name, value in _bound_in(record):
        yield name, value
        if value.__class__ is ast.Dict:
            yield from ((name, item) for item in value.values)
        elif value.__class__ in _LITERALS:
            yield from ((name, element) for element in value.elts)
    for node in record.own_code:
        if node.__class__ is ast.Assign:
            for target in node.targets:
                if target.__class__ is ast.Subscript and target.value.__class__ is ast.Name:
                    yield target.value.id, node.value
        elif node.__class__ is ast.Call:
            yield from _kept_by_call(node)


def _kept_by_call(call: ast.Call) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) of each value ``call`` hands (an element of a literal it hands too)
    beside a name that may keep it: the object of the method it calls (``box.append(
    pending)``, ``queue.put_nowait(pending)``, ``box.extend([pending])``) or a name handed
    with it (``hold(box, pending)``). Over-inclusive: a call that keeps nothing counts."""
    handed = call_arguments(call)
    holders = {value.id for value in handed if value.__class__ is ast.Name}
    if call.func.__class__ is ast.Attribute and call.func.value.__class__ is ast.Name:
        holders.add(call.func.value.id)
    for value in handed:
        for part in value.elts if value.__class__ in _LITERALS else (value,):
            if part.__class__ is not ast.Name:
                yield from ((name, part) for name in holders)


def _paired(target: ast.expr, value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) of ``target`` bound to ``value``, part by part when both are literals
    (``unpacked_part``), to each value a conditional may be (``alternatives``)."""
    if target.__class__ is ast.Name:
        yield from ((target.id, held) for held in alternatives(value))
    elif target.__class__ in _LITERALS and value.__class__ in _LITERALS:
        for index, part in enumerate(target.elts):
            held = unpacked_part(target.elts, value.elts, index)
            if held is not None:
                yield from _paired(part, held)


def _read_only(node: ast.AST, record: FunctionRecord) -> bool:
    """Whether ``node`` is a name, attribute or item read, not one that inserts (``record.
    inserting``): ``touches`` finds no write there."""
    return getattr(node, "ctx", None).__class__ is ast.Load and node not in record.inserting


def handing(record: FunctionRecord) -> tuple[list, list, list, set]:
    """What ``record``'s calls hand (``StateAccess._handed_whole``; made once a function):
    the objects of bound methods and the elements of starred literals, the bound methods
    that mutate, each call with the arguments after its first (a ``functools.partial``'s,
    if it makes one), and the names whose other attributes it reads."""
    answers = record.answers
    if answers.handing is None:
        bound, methods, partials = [], [], []
        for node in record.own_code:
            if node.__class__ is not ast.Call:
                continue
            values = call_arguments(node)
            if node.args and len(values) > 1:
                partials.append((node, values[1:]))
            attributes = [v for v in values if v.__class__ is ast.Attribute]
            bound += (v.value for v in attributes)
            methods += (v for v in attributes if v.attr in MUTATING_METHODS)
            starred = (v.value for v in node.args if v.__class__ is ast.Starred)
            bound += (e for v in starred if v.__class__ in _LITERALS for e in v.elts)
        used = (n for n in record.own_code if n.__class__ is ast.Attribute)
        used = {getattr(n.value, "id", None) for n in used if n not in methods}
        answers.handing = (bound, methods, partials, used)
    return answers.handing


def _named_withs(record: FunctionRecord) -> list[tuple[ast.expr, str]]:
    """(manager, name) of each ``with`` item of ``record`` that binds a name, in its own
    code's order (found once a function: each of its accesses asks)."""
    answers = record.answers
    if answers.named_withs is None:
        answers.named_withs = [
            (item.context_expr, item.optional_vars.id)
            for node in record.own_code
            if node.__class__ in (ast.With, ast.AsyncWith)
            for item in node.items
            if item.optional_vars.__class__ is ast.Name
        ]
    return answers.named_withs


def imported_state(
    functions: Iterable[FunctionRecord],
    modules: set[str],
    access: Callable[[FunctionRecord], StateAccess],
) -> set[str]:
    """What of the module's imports (``modules``) its functions write: another module's
    global, as ``helpers.LOG`` (``import helpers``), also by calling what they hand on
    (``sorted(xs, key=helpers.LOG.append)``: ``hands_callable``), or through a name a
    manager entered to (``nullcontext(helpers.LOG) as box``: resolved by the callees of
    ``access``, which gives a function's accesses)."""
    written = set()
    for record in functions:
        if record.node is None:
            continue
        if not (record.state_writes or record.sets_items or hands_callable(record)):
            continue
        if record.attribute_bases.isdisjoint(modules):
            continue  # it takes no attribute of an import
        accesses = access(record)
        for node in record.own_code:
            if _read_only(node, record):
                continue
            for resource, mode in accesses.touches(node):
                if mode == WRITE and resource.partition(".")[0] in accesses.imported:
                    written.add(resource)
    return written


class HelperEffects:
    """What each sync function of a module does to shared state when called, itself or
    through the module's sync functions it calls in turn: the state it reads and writes
    (``self.x`` of the instance it is called on, by attribute; the module's state: its
    globals, and what it writes of its imports, ``imported_state``) and the files or
    databases its blocking calls touch (``io``: (resource, mode) by function); a breaker's
    call (``runs``: what it is handed to run) touches what that function does."""

    def __init__(
        self,
        functions: Iterable,
        modules: set[str],
        globals_: set[str],
        callees,
        io,
        runs=None,
        classes: dict[str, ClassInfo] | None = None,
        imported: set[str] = frozenset(),
    ):
        functions = list(functions)
        self.records = {r.qualname: r for r in functions if r.node is not None and not r.is_async}
        # the arguments the module's calls hand that may be a container whose item read
        # inserts (``FunctionRecord.handed_inserting``)
        self.inserting = set().union(*(r.handed_inserting for r in functions))
        # its coroutines, for what an ``async with`` manager's entry and exit touch
        self.coroutines = {r.qualname: r for r in functions if r.node is not None and r.is_async}
        self.modules, self.callees, self.io = modules, callees or {}, io
        self.runs = runs or {}  # a breaker's calls -> the sync function each runs
        self.classes = classes or {}  # the module's, for the objects their instances keep
        self._plain: dict[ast.AST, StateAccess] = {}  # ``_plain_access``'s by function
        self.globals = globals_ | imported_state(functions, modules, self._plain_access)
        # the globals a function of the module may rebind (it declares them ``global``)
        self.rebound = set().union(*(r.own_scope.global_names for r in functions if r.own_scope))
        self.imported = imported  # names from what may be the project: state read whole
        self._of: dict[str, tuple[tuple[bool, str, str], ...]] = {}
        self._changed: dict[str, set[str]] = {}  # ``changed_arguments``' by function
        self._changing: dict[str, bool] = {}  # ``changing``'s by method name
        self._access: dict[ast.AST, StateAccess] = {}  # ``access``'s by function
        # exit registrars' names on receivers of unknown type read as calling what they are
        # handed at once (the module analysed again: ``registrar_readings``), and those read
        # as registering it for an exit, handed state (``StateAccess._called_through``)
        self.at_once: frozenset[str] = frozenset()
        self.exit_reads: set[str] = set()

    def changed_arguments(self, call: ast.Call, callee: str) -> list[ast.expr]:
        """The names, attributes and items ``call`` hands to a sync function of the module
        (``callee``) that it changes in place (``StateAccess.changed``: ``helper(p)``, or
        ``helper(self.log)``, of ``def helper(log): log.append(x)``), or whose items it
        reads, handed a container whose item read inserts (``StateAccess.items_read``)."""
        record = self.records.get(callee)
        if record is None:
            return []
        places = positional_parameters(record, bound=isinstance(call.func, ast.Attribute))
        handed = [*zip(places, call.args, strict=False), *((k.arg, k.value) for k in call.keywords)]
        changed = self._changes(record)
        if not self.inserting.isdisjoint(call_arguments(call)):
            read = self.access(record).items_read
            changed = changed | {p for p, v in handed if p in read and v in self.inserting}
        return [v for place, v in handed if place in changed and v.__class__ in _HANDED]

    def changed_places(self, qualname: str) -> tuple[str, ...]:
        """The parameters sync function ``qualname`` changes in place, each by place (``#0``,
        a method's instance left out) and by name: what another module's call of it changes
        of the arguments it hands (``CallSite.arguments``)."""
        return self._places(self.records[qualname], self._changes(self.records[qualname]))

    def read_places(self, qualname: str) -> tuple[str, ...]:
        """The parameters whose items sync function ``qualname`` reads itself
        (``StateAccess.items_read``), by place and by name: changed by another module's call
        that hands it a container whose item read inserts (``CallSite.inserting``)."""
        record = self.records[qualname]
        return self._places(record, self.access(record).items_read)

    @staticmethod
    def _places(record: FunctionRecord, changed: set[str]) -> tuple[str, ...]:
        """Parameters ``changed`` of ``record``, by place (``#0``) and by name."""
        if not changed:
            return ()
        places = positional_parameters(record)
        args = record.node.args
        named = [a.arg for a in (*args.args, *args.kwonlyargs) if a.arg in changed]
        return (*(f"#{i}" for i, name in enumerate(places) if name in changed), *named)

    def _changes(self, record: FunctionRecord) -> set[str]:
        """The parameters sync function ``record`` changes in place (``StateAccess.changed``)."""
        if record.qualname not in self._changed:
            self._changed[record.qualname] = set()  # a cycle of calls adds nothing more
            # made apart from ``access``'s: within a cycle, it sees the others' part made
            changes = StateAccess(record, self.modules, self.callees, self).changed
            self._changed[record.qualname] = changes
        return self._changed[record.qualname]

    def changing(self, method: str) -> bool:
        """Whether a sync method of the module named ``method`` changes the instance it is
        called on."""
        if method not in self._changing:
            named = self._methods.get(method, ())
            self._changing[method] = any(self.instance_changes(q) for q in named)
        return self._changing[method]

    def instance_changes(self, qualname: str) -> tuple[str, ...]:
        """The attributes of its instance a call of sync method ``qualname`` writes (``count``
        of ``self.count += 1``; ``ANY``: all of it, handed on)."""
        return tuple(sorted({name for on_self, name in self.written(qualname) if on_self}))

    @cached_property
    def class_methods(self) -> frozenset[str]:
        """The names of the methods the module's classes define."""
        return frozenset(name for info in self.classes.values() for name in info.methods)

    @cached_property
    def _methods(self) -> dict[str, list[str]]:
        """The module's sync methods by name."""
        methods = defaultdict(list)
        for qualname, record in self.records.items():
            if record.instance:
                methods[qualname.rpartition(".")[2]].append(qualname)
        return methods

    def access(self, record: FunctionRecord) -> StateAccess:
        """``record``'s state accesses, its calls of the module's sync functions included
        (made once a function)."""
        if record.node not in self._access:
            self._access[record.node] = StateAccess(record, self.modules, self.callees, self)
        return self._access[record.node]

    def _plain_access(self, record: FunctionRecord) -> StateAccess:
        """``record``'s state accesses, its calls of the module's sync functions not
        followed (made once a function: ``imported_state`` and ``of`` read the same)."""
        if record.node not in self._plain:
            self._plain[record.node] = StateAccess(record, self.modules, self.callees)
        return self._plain[record.node]

    def release(self) -> None:
        """Drop the accesses ``access`` and ``_plain_access`` kept: each of the first refers
        to this object, and all hold the syntax nodes they have judged."""
        self._access.clear()
        self._plain.clear()

    def written(self, qualname: str) -> tuple[tuple[bool, str], ...]:
        """What a call of ``qualname`` writes (``of``): (whether on its instance, name)."""
        return tuple((on_self, name) for on_self, name, mode in self.of(qualname) if mode == WRITE)

    def of(self, qualname: str) -> tuple[tuple[bool, str, str], ...]:
        """What a call of ``qualname`` touches: (whether on its instance, name, mode)."""
        if qualname not in self._of:
            self._of[qualname] = ()  # a cycle of calls adds nothing more
            record = self.records.get(qualname)
            self._of[qualname] = self._touched(record) if record is not None else ()
        return self._of[qualname]

    def _touched(self, record: FunctionRecord) -> tuple[tuple[bool, str, str], ...]:
        found = {(False, resource, mode) for resource, mode in self.io.get(record.qualname, ())}
        found.update(touch for _, touch in self._touches_at(record))
        return tuple(sorted(found))

    def around(self, qualname: str, line: int) -> tuple[set, set]:
        """What a call of function ``qualname`` touches up to ``line`` and after it
        (``of``'s triples; its blocking calls' files left out): a ``contextlib.
        contextmanager`` (or ``asynccontextmanager``) generator's entry and exit, split at
        its ``yield``."""
        before, after = set(), set()
        record = self.records.get(qualname) or self.coroutines[qualname]
        for node, touch in self._touches_at(record):
            (before if node.lineno <= line else after).add(touch)
        return before, after

    def unsuspended(self, qualname: str, head: bool) -> set:
        """What coroutine ``qualname`` touches (``of``'s triples) on the lines up to its
        first suspension (``head``), or from its last on: the part of an ``__aexit__`` that
        runs on with the ``async with`` block's last statement, of an ``__aenter__`` that
        runs on into its first (a line holding a suspension counts as both)."""
        record = self.coroutines[qualname]
        lines = [s.lineno for s in record.suspensions]
        if not lines:
            return {touch for _, touch in self._touches_at(record)}
        if head:
            return {t for node, t in self._touches_at(record) if node.lineno <= min(lines)}
        return {t for node, t in self._touches_at(record) if node.lineno >= max(lines)}

    def state(self, resource: str, mode: str) -> bool:
        """Whether an access of ``resource`` in ``mode`` touches module state: the module's
        (``globals``), or a read of an attribute of an imported module (``store.ITEMS``) or
        of a name imported from the project read whole (``len(ITEMS)``), which another
        module's code may write."""
        if resource in self.globals:
            return True
        if mode != READ:
            return False
        module, dot, _ = resource.partition(".")
        return resource in self.imported or bool(dot) and module in self.modules

    def _touches_at(self, record: FunctionRecord) -> Iterator[tuple[ast.AST, tuple]]:
        """Each access of ``record``'s own code (its node, ``of``'s triple), a call of
        another of the module's sync functions giving what that one touches."""
        access = self._plain_access(record)
        own = access.self_name
        for node in record.own_code:
            for resource, mode in access.touches(node):
                if own and resource.startswith(f"{own}."):
                    yield node, (True, resource.partition(".")[2], mode)
                elif self.state(resource, mode):
                    yield node, (False, resource, mode)
            if node.__class__ is ast.Call and (callee := self.callees.get(node)) in self.records:
                mine = on_instance(node, own, exactly=True)
                yield from ((node, t) for t in self.of(callee) if mine or not t[0])
        for node in body_whole_reads(record, self.imported, access):
            yield node, (False, node.id, READ)


def positional_parameters(record: FunctionRecord, bound: bool = True) -> list[str]:
    """The parameters of ``record`` a call's arguments bind by place (``bound``: a call on
    the instance or class, which a method's ``self`` or a classmethod's ``cls`` is bound to)."""
    if record.node is None:
        return []
    positional = [a.arg for a in (*record.node.args.posonlyargs, *record.node.args.args)]
    decorators = {last_name(d) for d in record.node.decorator_list}
    if bound and (record.self_name is not None or "classmethod" in decorators):
        return positional[1:]
    return positional


def parameter_names(record: FunctionRecord) -> set[str]:
    """Every parameter of ``record`` but the instance a method's ``self`` binds."""
    return {a.arg for a in all_args(record.node.args)} - {record.self_name}


def _place(node: ast.AST) -> tuple[int, int, int, int, str]:
    """Where ``node`` lies in its module (a set of nodes iterates in no fixed order)."""
    ends = (getattr(node, "end_lineno", None) or 0, getattr(node, "end_col_offset", None) or 0)
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0), *ends, type(node).__name__)


class _Use(NamedTuple):
    function: str
    name: str  # the state as the function names it (``self.log``, ``journal.log``)
    node: ast.AST
    mode: str
    in_place: bool  # a write that changes the object (``x.append``, ``x[k] = v``), not rebinds it


class ModuleState:
    """Every use of an instance attribute or a module global by the module's functions
    (a constructor's writes left out: the object is not shared yet), gathered the first
    time a question needs them: a module whose moved code touches no such state never
    walks its functions for them."""

    def __init__(self, functions: Iterable, helpers: HelperEffects, resolver: Resolver):
        self.records = {record.node: record for record in functions if record.node is not None}
        self.globals, self.helpers = helpers.globals, helpers
        self.classes: dict[str, ClassInfo] = resolver.classes
        # the classes whose instance ``self`` may be a class's too (a base's, a subclass's)
        self.kin: Callable[[str], frozenset[str]] = resolver.kin
        self._accesses: dict[ast.AST, tuple[StateAccess, str, str | None]] = {}

    def access(self, function: ast.AST) -> tuple[StateAccess, str, str | None]:
        """The state accesses of ``function``, its qualified name, and the class whose
        instance it reaches as ``self`` (a method's, or the method's it is nested in)."""
        if function not in self._accesses:
            record = self.records[function]
            cls = record.instance[1] if record.instance else None
            self._accesses[function] = (self.helpers.access(record), record.qualname, cls)
        return self._accesses[function]

    @cached_property
    def uses(self) -> dict[tuple[str | None, str], list[_Use]]:
        return self._uses(self.records)

    @cached_property
    def _writers(self) -> dict[tuple[str | None, str], list[_Use]]:
        """The writes by the functions the walk saw writing state (``state_writes``, or an
        item deleted) or handing their instance to other code (``helper(self)``), which are
        all the module's."""
        writing = [
            f
            for f, r in self.records.items()
            if r.state_writes
            or r.sets_items
            or _hands_instance(r)
            or self._hands_changed(r)
            or hands_callable(r)
            and self.access(f)[0].handed_writes
        ]
        return self._uses(writing, writes=True)

    def _hands_changed(self, record: FunctionRecord) -> bool:
        """Whether ``record`` hands a name to a sync function of the module that changes
        that argument in place (``tally(LEDGER)`` of ``def tally(ledger): ledger.count +=
        1``: ``StateAccess._handed_by``), or to a library's (``heapq.heappush(LOG, x)``)."""
        helpers = self.helpers
        return any(
            helpers.callees.get(c.node) in ARGUMENT_CHANGERS
            or helpers.changed_arguments(c.node, helpers.callees.get(c.node) or "")
            for c in record.calls
            if c.node.__class__ is ast.Call and (c.node.args or c.node.keywords)
        )

    def _uses(self, functions, writes: bool = False) -> dict[tuple[str | None, str], list[_Use]]:
        """The uses by ``functions`` of state, by key; ``writes``: their writes only."""
        uses: dict[tuple[str | None, str], list[_Use]] = defaultdict(list)
        for function in functions:
            access, qualname, cls = self.access(function)
            made = function.name in _CONSTRUCTORS
            for node in self.records[function].own_code:
                if writes and _read_only(node, self.records[function]):
                    continue
                for resource, mode in access.touches(node):
                    if writes and mode != WRITE:
                        continue
                    key = self.key(resource, access, cls, node)
                    if key is None or made and (mode == WRITE or key[0] == PARAMETER):
                        continue  # what a constructor reads of its arguments is its input
                    in_place = mode == WRITE and _changes(node, resource, key, access)
                    name = _named(resource, key)
                    uses[key].append(_Use(qualname, name, node, mode, in_place))
        return uses

    @cached_property
    def written(self) -> set[tuple[str | None, str]]:
        """The keys of the state the module's code (its constructors left out) writes: an
        instance handed whole (``self.*``) only to code it does not await (what an awaited
        coroutine does with it is that coroutine's state, which its callers weigh)."""
        return {
            key
            for key, uses in self._writers.items()
            if any(key[1] != ANY or u.node not in self._awaited for u in uses)
        }

    def writes(self, function: ast.AST, resource: str, node: ast.AST | None = None) -> bool:
        """Whether the module's code (its constructors left out) writes ``resource``, as
        ``function`` names it (``self.x``, a global; a parameter's state as its access at
        ``node`` reaches it), or an attribute of that name through a parameter, or the
        instance handed whole to code it does not await (``self.*``: ``helpers.tally(self)``,
        which may change any of it)."""
        access, _, cls = self.access(function)
        keys = self._aliases(self.key(resource, access, cls, node), self._writers)
        return any(
            u.mode == WRITE and (k[1] != ANY or u.node not in self._awaited)
            for k in keys
            for u in self._writers[k]
        )

    def changer(self, text: bool = False) -> str | None:
        """Where the module's code (its constructors left out) changes some object, which a
        parameter may hold (``len(log)`` of a list other code appends to): an instance's
        attribute written, or a global or parameter changed in place (``LOG.append(x)``,
        ``LOG += [x]``), not a global bound anew; None if nowhere. ``text``: the parameter
        is read only as text (``str(p)``), which shows nothing of an attribute bound anew on
        an instance of a class whose text is ``object``'s (``plain_text``)."""
        augmented = {
            n.target: n
            for r in self.records.values()
            for n in r.own_code
            if n.__class__ is ast.AugAssign
        }
        changes = (
            u
            for key, uses in self._writers.items()
            for u in uses
            if u.mode == WRITE
            and (key[0] is not None or u.in_place or u.node in augmented)
            and not (text and self._unseen_as_text(key, u, augmented.get(u.node)))
        )
        first = min(changes, key=lambda u: _place(u.node), default=None)
        if first is None:
            return None
        where = first.function.rpartition(".")[2]
        return f"an object `{where}` changes (`{first.name}`, line {first.node.lineno})"

    def _unseen_as_text(self, key, use: _Use, augmented: ast.AugAssign | None) -> bool:
        """Whether write ``use`` of ``key`` rebinds an attribute of an instance whose text is
        ``object``'s, to a number when augmented (``self.active += 1``)."""
        cls = self.classes.get(key[0])
        if key[0] not in self._plain_text or key[1] == ANY or use.in_place:
            return False
        from deblock.analysis.plain_text import holds_numbers, number

        return augmented is None or number(augmented.value) and holds_numbers(cls, key[1])

    @cached_property
    def _plain_text(self) -> set[str]:
        from deblock.analysis.plain_text import plain_text_classes

        return plain_text_classes(self.classes)

    @cached_property
    def _awaited(self) -> set[ast.AST]:
        """The calls the module's functions await."""
        return {c.node for r in self.records.values() for c in r.calls if c.awaited}

    def conflict(self, function: ast.AST, inside: set[ast.AST], beside=frozenset()) -> str | None:
        """Why moving the nodes ``inside`` (of ``function``) into a thread lets it race with
        code left on the event loop (named by a use that writes, if one does); ``beside``:
        nodes serialised with them (a lock)."""
        racing = list(self._racing(function, inside, inside | beside))
        if not racing:
            return None
        loop = next((r for r in racing if r[2].mode == WRITE), racing[0])
        resource, key, use, their_key = loop
        resource = _named(resource, key)
        by = f"by `{use.function.rpartition('.')[2]}` (line {use.node.lineno}) on the event loop"
        if PARAMETER in (key[0], their_key[0]) and use.name != resource:
            same = f"may be the same object as `{use.name}`, used {by}"
            return f"`{resource}` {same}, beside the worker thread"
        return f"`{resource}` is also used {by}, beside the worker thread"

    def torn_by_threads(self, function: ast.AST, inside: set[ast.AST]) -> str | None:
        """Why the nodes ``inside`` (of ``function``), run in a worker thread by each call
        with no lock, let the calls' threads tear each other: they read and write one piece
        of state, which another call's thread may write between."""
        access, _, cls = self.access(function)
        modes: dict[str, set[str]] = defaultdict(set)
        for node in sorted(inside, key=_place):
            for resource, mode in access.touches(node):
                if self.key(resource, access, cls, node) is not None:
                    modes[resource].add(mode)
        torn = next((r for r, found in modes.items() if len(found) == 2), None)
        return torn and (
            f"it reads and writes `{torn}`, and the coroutine's other calls would do so at "
            "once from their threads, with no lock"
        )

    def partners(self, function: ast.AST, inside: set[ast.AST]) -> tuple[str, ...]:
        """The state the nodes ``inside`` (of ``function``) share with the module's other
        code, one of them writing it (``Cls.x``: an instance's ``self.x``; ``?.x``: a
        parameter's; a global), theirs and its names: moved into a thread they stay atomic
        only while every other use of it runs under the lock."""
        racing = self._racing(function, inside, inside)
        return tuple(sorted({_shown(k) for _, key, _, theirs in racing for k in (key, theirs)}))

    def _racing(self, function: ast.AST, inside: set[ast.AST], serialised: set[ast.AST]):
        """(resource, its key, the other use, its key) of each use outside ``serialised`` of
        state the nodes ``inside`` touch (``_sharing``), when one of the two writes it; the
        first in the source first."""
        access, _, cls = self.access(function)
        for node in sorted(inside, key=_place):
            for resource, mode in access.touches(node):
                key = self.key(resource, access, cls, node)
                for their_key in self._aliases(key, self.uses):
                    for use in self.uses[their_key]:
                        if use.node not in serialised and WRITE in (mode, use.mode):
                            yield resource, key, use, their_key

    def _aliases(self, key, uses: dict) -> list:
        """The keys of ``uses`` whose state may be the same object as ``key``'s: itself; for
        an attribute, the same attribute of an instance reached through a parameter, or of
        the same instance (``journal.log`` may be ``self.log``; ``self.*``: any of it), as
        the methods of its class's kin name it (a base's ``self.log`` is a subclass's)."""
        if key is None:
            return []
        if key[0] is None:
            return [key] if key in uses else []
        if PARAMETER != key[0]:  # the few keys that may be its alias
            kin = self.kin(key[0])
            classes = (key[0], *sorted(kin - {key[0]}))
            near = [(cls, a) for cls in classes for a in (key[1], ANY)]
            near.append((PARAMETER, key[1]))
            if key[1] == ANY:
                near = [k for k in uses if k[0] in kin]
            return [k for k in near if k in uses]
        return [k for k in uses if k[0] is not None and _may_alias(key, k)]

    def _sharing(self, key, uses: dict) -> list[_Use]:
        return [use for k in self._aliases(key, uses) for use in uses[k]]

    def handed(self, function: ast.AST, call: ast.Call) -> str | None:
        """Why handing ``call``'s arguments to a worker thread races with the event loop:
        an object it reads, which code on the loop changes in place meanwhile."""
        access, _, cls = self.access(function)
        inside = set(own_nodes(call))
        for argument in call_arguments(call):
            resource = access.shared(argument)
            key = resource and self.key(resource, access, cls, argument)
            uses = self._sharing(key, self.uses)
            changed = next((u for u in uses if u.in_place and u.node not in inside), None)
            if changed is not None:
                where = changed.function.rpartition(".")[2]
                return (
                    f"the thread reads `{resource}`, which `{where}` (line "
                    f"{changed.node.lineno}) changes in place on the event loop meanwhile"
                )
        return None

    def writer(self, function: ast.AST, expr: ast.expr) -> tuple[str, str, int] | None:
        """The shared state ``expr`` (in ``function``) reaches, when code of the module
        writes it: its name, a function writing it and the line."""
        access, _, cls = self.access(function)
        resource = access.shared(expr)
        every = self.__dict__.get("uses") or self._writers  # all uses, when made already
        uses = self._sharing(resource and self.key(resource, access, cls, expr), every)
        written = next((u for u in uses if u.mode == WRITE), None)
        if written is None:
            return None
        return resource, written.function.rpartition(".")[2], written.node.lineno

    def key(self, resource: str, access: StateAccess, cls: str | None, node=None):
        """Whose state ``resource`` is (``function``'s access at ``node``): (class, attribute)
        for ``self.x``; (``PARAMETER``, attribute) for a parameter's, (``PARAMETER``, ``ANY``)
        for the parameter itself when its function changes it in place (``journal.append(x)``:
        it may be another function's parameter); (None, name) for a global."""
        if access.self_name and resource.startswith(f"{access.self_name}."):
            return cls, resource.partition(".")[2]
        if resource in access.params and node is not None:
            state = access.parameter_state(node, resource)
            return (PARAMETER, state) if state else None
        return (None, resource) if resource in self.globals else None


def _hands_instance(record: FunctionRecord) -> bool:
    """Whether a call of ``record`` it does not await hands its instance (``helper(self)``:
    ``self.*``, which ``StateAccess.touches`` writes when the callee may be the project's;
    what an awaited coroutine does with it is its own state, which its callers weigh)."""
    name = record.instance[0] if record.instance else None
    return name is not None and any(
        v.__class__ is ast.Name and v.id == name
        for c in record.calls
        if c.node.__class__ is ast.Call and not c.awaited and not _looks_only(c.node, record)
        for v in call_arguments(c.node)
    )


def hands_callable(record: FunctionRecord) -> bool:
    """Whether a call of ``record`` hands on what may be called (a bound method, a lambda,
    a partial, a starred literal), calls a name the function binds (``put = partial(
    ...)``) or what a call makes (``methodcaller("append", 1)(ITEMS)``):
    ``StateAccess.handed_writes`` may find writes there."""
    own = record.own_scope.bindings if record.own_scope is not None else {}
    return any(
        c.node.func.__class__ is ast.Name
        and c.node.func.id in own
        or c.node.func.__class__ is ast.Call
        or any(v.__class__ in _CALLABLE_FORMS for v in call_arguments(c.node))
        for c in record.calls
        if c.node.__class__ is ast.Call
    )


def _looks_only(call: ast.Call, record: FunctionRecord) -> bool:
    """Whether ``call`` is a builtin's (its name bound nowhere around ``record``) that runs
    none of its arguments' code (``_LOOKING_BUILTINS``)."""
    func = call.func
    if func.__class__ is not ast.Name or func.id not in _LOOKING_BUILTINS:
        return False
    bindings = record.own_scope.lookup(func.id)[0] if record.own_scope is not None else None
    return bindings is not None and all(b.qualname == f"builtins.{func.id}" for b in bindings)


def _may_alias(key: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether two instances' attributes (``ModuleState`` keys) may be one object: one
    attribute of the same instance, or of the same name (one reached through a parameter);
    ``self.*`` is any of its own instance's. A parameter itself may be another only."""
    if (PARAMETER, ANY) in (key, other):
        return key == other
    if key[0] == other[0]:
        return key[1] == other[1] or ANY in (key[1], other[1])
    return PARAMETER in (key[0], other[0]) and key[1] == other[1]


def _changes(node: ast.AST, resource: str, key, access: StateAccess) -> bool:
    """Whether a write at ``node`` changes the object (``x.append``, ``x[k] = v``): not one
    that binds it anew (``x = ...``), nor a parameter handed to other code, or whose method
    is called (``helper(p)``, ``p.flush()``), which may only read it, but to a library
    function that changes it (``heapq.heappush(p, x)``)."""
    if key == (PARAMETER, ANY) and isinstance(node, ast.Call):
        return access.mutates(node) or access.callees.get(node) in ARGUMENT_CHANGERS
    return not _rebinds(node, resource)


def _named(resource: str, key: tuple[str | None, str] | None) -> str:
    """``resource`` as a reason names it: a parameter with its attribute (``journal.log``)."""
    return f"{resource}.{key[1]}" if key and key[0] == PARAMETER and key[1] != ANY else resource


def _shown(key: tuple[str | None, str]) -> str:
    """A key of ``ModuleState.uses`` as a finding names it: ``Cls.x``, ``?.x``, the global."""
    return f"{key[0].rpartition('.')[2]}.{key[1]}" if key[0] else key[1]


def _rebinds(node: ast.AST, resource: str) -> bool:
    """Whether a write at ``node`` binds the name or attribute anew (``x = ...``)."""
    if isinstance(node, ast.Name):
        return True
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and resource == f"{node.value.id}.{node.attr}"
    )


def whole_reads(statements: list[ast.stmt], imported: set[str], state: StateAccess) -> list:
    """The names of ``imported`` (from other modules) that ``statements`` read whole, which
    ``StateAccess`` gives no state (``len(LOG)`` of ``from store import LOG``, ``LOG[0]``),
    but as the function a call looks up or the object an attribute is read on (``tick(x)``,
    ``store.LOG``: the attribute's own state), or where the function binds the name."""
    names = imported & state.imported
    if not names:
        return []
    nodes = (node for statement in statements for node in own_nodes(statement))
    return [node for node in _read_whole(nodes) if node.id in names]


def body_whole_reads(record: FunctionRecord, imported: set[str], state: StateAccess) -> list:
    """``whole_reads`` of ``record``'s body, its names read whole found once a function
    (``FunctionAnswers.read_whole``): each of its accesses asks."""
    names = imported & state.imported
    if not names:
        return []
    answers = record.answers
    if answers.read_whole is None:
        answers.read_whole = _read_whole(_body_nodes(record))
    return [node for node in answers.read_whole if node.id in names]


def _body_nodes(record: FunctionRecord) -> list[ast.AST]:
    """The ``own_nodes`` of each statement of ``record``'s body (a nested function or class
    defined there whole), taken from its own code (``FunctionRecord.own_code``, walked once
    already) but for the ``def``'s head: its decorators, defaults and annotations."""
    function = record.node
    body = set(function.body)
    head = {n for child in child_nodes(function) if child not in body for n in own_nodes(child)}
    nested = [n for s in function.body if s.__class__ in SCOPES for n in own_nodes(s)]
    return [n for n in record.own_code if n not in head and n is not function] + nested


def _read_whole(nodes: Iterable[ast.AST]) -> list[ast.Name]:
    """The names ``nodes`` read whole, in their order: not as the function a call looks up
    nor as the object an attribute is read on (both among ``nodes``)."""
    found, looked_up = [], set()
    for node in nodes:
        kind = node.__class__
        if kind is ast.Attribute:
            looked_up.add(node.value)
        elif kind is ast.Call:
            looked_up.add(node.func)
        elif kind is ast.Name and node.ctx.__class__ is ast.Load:
            found.append(node)
    return [node for node in found if node not in looked_up]
