"""Scopes and name bindings, following Python's scoping rules."""

from __future__ import annotations

import ast
import builtins
from dataclasses import field
from enum import Enum

from deblock.analysis.nodes import reached
from deblock.records import record


class Kind(Enum):
    """How a name was bound."""

    IMPORT = "import"  # qualname: what was imported
    FUNCTION = "function"  # qualname: the project function
    COROUTINE = "coroutine"  # qualname: the project coroutine function
    CLASS = "class"  # qualname: the project class
    VALUE = "value"  # expr: the assigned value
    ANNOTATION = "annotation"  # expr: the declared type
    INSTANCE = "instance"  # qualname: class of ``self``
    RESULT = "result"  # qualname: the function whose return value it is (a property)
    ENTERED = "entered"  # expr: the context manager of ``with expr as name``
    NARROWED = "narrowed"  # expr: the ``isinstance(name, T)`` that holds where it is bound
    EXCLUDED = "excluded"  # expr: the ``isinstance(name, T)`` that fails where it is bound
    ELEMENT = "element"  # expr: what a loop iterates; part: where in each element's tuple
    PART = "part"  # expr: the call whose result is unpacked (``a, b = f()``); part: its place
    UNKNOWN = "unknown"  # loop targets, unpacking, exception names, ...


@record(slots=True)
class Binding:
    """One binding of a name; ``scope`` is where ``expr`` must be resolved, ``reaching``
    the bindings of that function's names that reach it (None: every binding); ``part``,
    of a loop target unpacked (``for k, v in ...``), the indices of the name's part."""

    kind: Kind
    qualname: str | None = None
    expr: ast.expr | None = None
    scope: Scope | None = None
    reaching: dict | None = None
    part: tuple[int, ...] = ()


@record(eq=False, slots=True)
class Scope:
    """A module, class, function or comprehension scope."""

    kind: str
    parent: Scope | None
    qualname: str
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def names_global(self, name: str) -> bool:
        """Whether ``name`` used in this scope is the module's (or a builtin, or unbound):
        no function it is nested in binds it (``server = Server()`` shadows ``from pkg
        import server``, in the function and the functions nested in it)."""
        return self.lookup(name)[0] is self.module().bindings.get(name)

    def lookup(self, name: str, reaching: dict | None = None):
        """The bindings a use of ``name`` in this scope refers to (None: unbound), and,
        when ``reaching`` narrowed them, all of the name's bindings in that function.

        ``reaching`` (the innermost function's reaching bindings at the use) narrows a
        local name to the bindings that reach the use; the name's declarations among all
        its bindings (annotated assignments and parameters, which hold for the whole
        function) are the fallback when those give no type. Names of enclosing functions
        and modules keep every binding (they run later).
        """
        if name in self.global_names:
            return self.module().bindings.get(name), None
        scope: Scope | None = self
        while scope is not None:
            bindings = scope.bindings.get(name)
            if bindings is not None and (scope is self or scope.kind != "class"):
                if reaching and scope.kind == "function":
                    flowed = reaching.get(name)
                    if flowed:
                        return flowed, bindings
                return bindings, None
            if reaching is not None and scope.kind == "function":
                reaching = None
            scope = scope.parent
        return _BUILTINS.get(name), None


@record(slots=True)
class ClassInfo:
    """A class defined in the module: its methods and the attributes assigned to it."""

    qualname: str
    bases: list[ast.expr]
    scope: Scope
    methods: dict[str, bool] = field(default_factory=dict)  # name -> is coroutine
    signatures: dict[str, str] = field(default_factory=dict)  # name -> parameters
    # coroutine name -> (method, the instance's sync code it runs in a thread)
    in_thread: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    attributes: dict[str, list[Binding]] = field(default_factory=dict)
    # name -> the parameters of its last ``def`` (not an ``@overload`` stub)
    defined: dict[str, str] = field(default_factory=dict)
    # the methods whose ``def`` may not say what a call takes (``ClassSummary.loose``)
    loose: set[str] = field(default_factory=set)
    # the methods that run their base's method of their name (``super().read(name)``)
    extends: set[str] = field(default_factory=set)
    decorated: bool = False  # a decorator may give it methods (``@dataclass``: ``__repr__``)

    def bind_attribute(self, name: str, binding: Binding) -> None:
        self.attributes.setdefault(name, []).append(binding)

    def parameters_seen(self, name: str, parameters: str, decorated: bool) -> None:
        """Method ``name`` defined with ``parameters``; ``decorated`` by what may change
        them. A method defined twice with other parameters (in two branches of an ``if``)
        is loose too: which ``def`` a call runs is not known."""
        if decorated or self.defined.get(name, parameters) != parameters:
            self.loose.add(name)
        self.defined[name] = parameters


def self_attribute(func: ast.expr, self_name: str | None) -> str | None:
    """``x`` when ``func`` is a method of ``self.x`` (``self.x.seek``), ``self`` being the
    method's ``self_name``."""
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if (
        self_name is not None
        and isinstance(receiver, ast.Attribute)
        and isinstance(receiver.value, ast.Name)
        and receiver.value.id == self_name
    ):
        return receiver.attr
    return None


def on_instance(called: ast.expr, name: str | None, exactly: bool = False) -> bool:
    """Whether ``called`` (what a call calls, the call itself, or what it hands a thread or
    a breaker) is a method of the instance ``name`` names (a method's ``self``, also in a
    function nested in it): ``self.note``, a lambda calling one (``lambda: self.note(n)``),
    a base's through ``super()`` (``super().note``, ``super(Store, self).note``), or of an
    object the instance reaches (``self.ledger.note``, ``self.ledger_for(k).note``), whose
    state may be the instance's. ``exactly``: only a method whose ``self`` is the caller's,
    written on the instance's name or through ``super()``."""
    if name is None:
        return False
    if called.__class__ is ast.Lambda:
        called = called.body
        if called.__class__ is not ast.Call:
            return False
    if called.__class__ is ast.Call:
        called = called.func
    if called.__class__ is not ast.Attribute:
        return False
    receiver = called.value
    if receiver.__class__ is ast.Call and _super_of(receiver, name):
        return True
    while not exactly and receiver.__class__ in (ast.Attribute, ast.Call, ast.Subscript):
        if receiver.__class__ is ast.Call and _super_of(receiver, name):
            return True
        receiver = receiver.func if receiver.__class__ is ast.Call else receiver.value
    return receiver.__class__ is ast.Name and receiver.id == name


def on_shared(called: ast.expr, scope: Scope, instance: str | None) -> bool:
    """Whether ``called`` (what a call calls, used in ``scope``) is a method of an object
    other calls share (``shared_object``: ``brokers.CHANNEL.basic_get``, ``CHANNEL.basic_get``
    of ``from brokers import CHANNEL``, ``self.channel.basic_get``)."""
    return called.__class__ is ast.Attribute and shared_object(called.value, scope, instance)


def shared_object(expr: ast.expr, scope: Scope, instance: str | None) -> bool:
    """Whether ``expr`` (used in ``scope``) is an object other calls share: one the
    module's global holds, its own or one it imports, or the attribute of the method's
    ``instance``, reached by names, attributes and items, not a call's result; not a
    local's."""
    base, attribute = reached(expr)
    if base.__class__ is not ast.Name:
        return False
    return base.id == instance and attribute is not None or scope.names_global(base.id)


def _super_of(call: ast.Call, name: str) -> bool:
    """Whether ``call`` is ``super()`` or ``super(Cls, name)``."""
    if call.func.__class__ is not ast.Name or call.func.id != "super" or call.keywords:
        return False
    args = call.args
    return not args or len(args) == 2 and args[1].__class__ is ast.Name and args[1].id == name


_BUILTINS = {name: [Binding(Kind.IMPORT, qualname=f"builtins.{name}")] for name in dir(builtins)}
