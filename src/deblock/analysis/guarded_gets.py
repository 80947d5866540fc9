"""Gets from a ``queue.Queue`` that return at once: ``while not q.empty(): q.get()``.

``get()`` waits only while the queue is empty, and a put never empties it. A coroutine's
``get()`` right after a test that found items (``not q.empty()``, ``q.qsize()``), with no
await between and no other get after the test, finds one there unless another thread took
it meanwhile. No other thread can when every get from the queue is such a coroutine's (all
run on the event loop's thread) and nothing else reaches the queue: a local name the
coroutine binds once to a new queue, used only as the receiver of the queue's methods; or an
instance's private attribute (``self._q``) its class's ``__init__`` alone binds to one, used
in its methods only so, and nowhere else in the module. (Another module reaching a private
attribute is not weighed, as ``ModuleState`` weighs an instance's attributes by its own
module's code.) A get in a sync function, a nested function or a lambda may run in a thread
(``to_thread``, ``run_in_executor``, a ``Thread``'s target): any such get keeps them all
reported, and so does handing the queue or its bound ``get`` on (pyatv 0.18.0's
``FacadeAppleTV.connect``; distributed's ``as_completed`` gets in sync methods too), but to
a method of the coroutine's own class, called on its ``self``, whose parameter it binds is
only the receiver of the queue's methods there, a take only in a coroutine (botbuilder's
``TranscriptLoggerMiddleware.log_activity``, which puts). A subclass of another module
overriding that method is not weighed, as above."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import SCOPES, own_nodes, parents

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord, ModuleFacts

_QUEUES = frozenset({"Queue", "LifoQueue", "PriorityQueue", "SimpleQueue"})
_TAKES = frozenset({"get", "get_nowait"})
_METHODS = _TAKES | {"put", "put_nowait", "empty", "qsize", "full", "task_done"}
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_ROUNDS = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def mark_guarded_gets(facts: ModuleFacts, tree: ast.Module) -> None:
    """Mark, in place, the coroutines' gets that return at once (only a module whose text
    names ``empty()`` or ``qsize()`` can have one)."""
    makers = _queue_makers(tree)
    if not makers:
        return
    up = parents(tree)
    confined = _Confined(tree, facts, makers, up)
    for record in facts.functions:
        if not record.is_async or record.node is None:
            continue
        for candidate in record.calls:
            call = candidate.node
            if call.__class__ is not ast.Call or call.args or call.keywords:
                continue
            func = call.func
            if func.__class__ is not ast.Attribute or func.attr != "get":
                continue
            if _guarded(call, record, up) and confined.queue(func.value, record):
                candidate.nonblocking = True


def _queue_makers(tree: ast.Module) -> set[str]:
    """The dotted names that make a ``queue`` queue here: ``queue.Queue``, or ``Queue``
    imported from ``queue``."""
    makers = set()
    for node in tree.body:
        if node.__class__ is ast.ImportFrom and node.module == "queue" and not node.level:
            makers |= {a.asname or a.name for a in node.names if a.name in _QUEUES}
        elif node.__class__ is ast.Import:
            for alias in node.names:
                if alias.name == "queue":
                    makers |= {f"{alias.asname or 'queue'}.{name}" for name in _QUEUES}
    return makers


def _guarded(call: ast.Call, record: FunctionRecord, up: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``call`` is the one take from its receiver in the body of an ``if`` or
    ``while`` whose test finds items in it, with no await and no other round between."""
    receiver = ast.dump(call.func.value)
    child, parent = call, up.get(call)
    while parent is not None and parent is not record.node:
        if parent.__class__ in (ast.If, ast.While) and child in parent.body:
            if not _finds_items(parent.test, receiver):
                return False
            takes = [
                n
                for s in parent.body
                for n in own_nodes(s)
                if n.__class__ is ast.Attribute
                and n.attr in _TAKES
                and ast.dump(n.value) == receiver
            ]
            after = (parent.test.end_lineno, parent.test.end_col_offset)
            before = (call.end_lineno, call.end_col_offset)
            awaits = any(after < (n.lineno, n.col_offset) < before for n in record.suspensions)
            return takes == [call.func] and not awaits
        if isinstance(parent, (*_ROUNDS, *SCOPES)):
            return False
        child, parent = parent, up.get(parent)
    return False


def _finds_items(test: ast.expr, receiver: str) -> bool:
    """Whether ``test`` holds only when the queue ``receiver`` names has items: ``not
    q.empty()``, ``q.qsize()``, ``q.qsize() > 0``, or a conjunction with one of them."""
    if test.__class__ is ast.BoolOp and test.op.__class__ is ast.And:
        return any(_finds_items(value, receiver) for value in test.values)
    if test.__class__ is ast.UnaryOp and test.op.__class__ is ast.Not:
        return _asks(test.operand, "empty", receiver)
    if test.__class__ is ast.Compare:
        return (
            len(test.ops) == 1
            and test.ops[0].__class__ is ast.Gt
            and test.comparators[0].__class__ is ast.Constant
            and test.comparators[0].value == 0
            and _asks(test.left, "qsize", receiver)
        )
    return _asks(test, "qsize", receiver)


def _asks(expr: ast.expr, method: str, receiver: str) -> bool:
    return (
        expr.__class__ is ast.Call
        and not expr.args
        and not expr.keywords
        and expr.func.__class__ is ast.Attribute
        and expr.func.attr == method
        and ast.dump(expr.func.value) == receiver
    )


class _Confined:
    """Whether a queue only the event loop's thread takes from: see the module's text."""

    def __init__(self, tree, facts, makers, up):
        self.tree, self.makers, self.up = tree, makers, up
        self.methods = {r.node: r for r in facts.functions if r.node is not None}

    def queue(self, receiver: ast.expr, record: FunctionRecord) -> bool:
        if receiver.__class__ is ast.Name:
            return self._local(receiver.id, record)
        if (
            receiver.__class__ is ast.Attribute
            and receiver.value.__class__ is ast.Name
            and receiver.value.id == record.self_name
            and receiver.attr.startswith("_")
        ):
            return self._private(receiver.attr, record)
        return False

    def _local(self, name: str, record: FunctionRecord) -> bool:
        """A name ``record`` binds once, to a new queue, that only its own code takes from
        and only calls the queue's methods on."""
        uses = [n for n in ast.walk(record.node) if n.__class__ is ast.Name and n.id == name]
        own = set(own_nodes(record.node))
        stores = [n for n in uses if n.ctx.__class__ is not ast.Load]
        if len(stores) != 1 or not self._made(stores[0]) or stores[0] not in own:
            return False
        declared = (
            name in n.names
            for n in ast.walk(record.node)
            if isinstance(n, ast.Global | ast.Nonlocal)
        )
        if any(declared) or any(
            a.arg == name for a in ast.walk(record.node.args) if a.__class__ is ast.arg
        ):
            return False
        return all(
            self._used(n, n in own) or self._handed_to_own(n, record)
            for n in uses
            if n is not stores[0]
        )

    def _handed_to_own(self, node: ast.Name, record: FunctionRecord) -> bool:
        """Whether ``node`` is an argument of a call of a method of ``record``'s class on
        its ``self`` (in ``record`` or a function nested in it) whose parameter it binds is
        used there only as ``_used`` allows."""
        call, owner = self.up.get(node), self.up.get(record.node)
        func = getattr(call, "func", None)
        if (
            call.__class__ is not ast.Call
            or owner.__class__ is not ast.ClassDef
            or func.__class__ is not ast.Attribute
            or func.value.__class__ is not ast.Name
            or func.value.id != record.self_name
        ):
            return False
        method = next(
            (m for m in owner.body if isinstance(m, _DEFINITIONS) and m.name == func.attr), None
        )
        if method is None or node not in call.args:
            return False
        places = [*method.args.posonlyargs, *method.args.args][1:]
        index = call.args.index(node)
        if index >= len(places):
            return False
        name = places[index].arg
        uses = [n for n in ast.walk(method) if n.__class__ is ast.Name and n.id == name]
        on_loop = method.__class__ is ast.AsyncFunctionDef
        own = set(own_nodes(method))
        return all(
            n.ctx.__class__ is ast.Load and self._used(n, on_loop and n in own) for n in uses
        )

    def _private(self, attribute: str, record: FunctionRecord) -> bool:
        """An attribute that only methods of ``record``'s class touch, on their ``self``:
        bound to a new queue in ``__init__`` alone, taken from in coroutines alone."""
        owner = self.up.get(record.node)
        if owner.__class__ is not ast.ClassDef:
            return False
        made = False
        for node in ast.walk(self.tree):
            if node.__class__ is not ast.Attribute or node.attr != attribute:
                continue
            method = self._method(node, owner)
            if method is None:
                return False
            if node.ctx.__class__ is not ast.Load:
                if method.node.name != "__init__" or not self._made(node):
                    return False
                made = True
            elif not self._used(node, method.is_async):
                return False
        return made

    def _method(self, node: ast.Attribute, owner: ast.ClassDef) -> FunctionRecord | None:
        """The method of ``owner`` whose own code uses ``node`` on its ``self``."""
        scope = self.up.get(node)
        while scope is not None and not isinstance(scope, SCOPES):
            scope = self.up.get(scope)
        method = self.methods.get(scope)
        if method is None or self.up.get(scope) is not owner:
            return None
        value = node.value
        return method if value.__class__ is ast.Name and value.id == method.self_name else None

    def _made(self, target: ast.expr) -> bool:
        """Whether ``target`` is bound, alone, to a new queue."""
        statement = self.up.get(target)
        if statement.__class__ is ast.Assign and statement.targets == [target]:
            value = statement.value
        elif statement.__class__ is ast.AnnAssign and statement.target is target:
            value = statement.value
        else:
            return False
        return (
            value.__class__ is ast.Call
            and not value.args
            and not value.keywords
            and _dotted(value.func) in self.makers
        )

    def _used(self, node: ast.expr, on_loop: bool) -> bool:
        """Whether ``node`` is the receiver of a call of a queue method, a take only where
        it runs on the event loop's thread."""
        method = self.up.get(node)
        called = self.up.get(method)
        return (
            method.__class__ is ast.Attribute
            and method.attr in _METHODS
            and called.__class__ is ast.Call
            and called.func is method
            and (on_loop or method.attr not in _TAKES)
        )


def _dotted(expr: ast.expr) -> str | None:
    if expr.__class__ is ast.Name:
        return expr.id
    if expr.__class__ is ast.Attribute:
        base = _dotted(expr.value)
        return base and f"{base}.{expr.attr}"
    return None
