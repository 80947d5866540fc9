"""What a coroutine's expression for a lock stands for: ``lock = self._lock``, then
``async with lock:``; ``async with self._get_lock():``.

A local name the coroutine binds only by assignments of one same expression, one of them on
an earlier line, holds at each later use the object that expression gave: ``async with
lock:`` enters what ``async with self._lock:`` (``LOCK``, ``locks[key]``) would have entered
there (``lock = self._lock`` before each of two blocks, too, the second after the first
block's use: fix_fuzz --proxies 440029). A name bound to two expressions, in a loop's
target, a ``with``, by unpacking, or declared ``global`` or ``nonlocal``, or bound only
after the use, stands for itself.

A call of a sync function or method of the module (``self._get_lock()``, ``lock_for(key)``)
stands for what it returns when its body returns once, and what it returns is, as the
caller would name it, a global (``LOCK``), an attribute of the instance the call is made on
(``self._lock``) or an item of a container of either (``self._locks[key]``), through its
own local names bound once and its own calls of such getters (``return self._made(key)``;
``ReturnedLocks``). ``locks.setdefault(key, asyncio.Lock())``
stands for an item of ``locks``. Any other call stands for itself: what its result is
stays as the caller's type inference says (maybe nothing).
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable
from functools import cached_property

from deblock.analysis.scopes import Kind
from deblock.analysis.walker import FunctionRecord, ModuleFacts

_STEPS = 8  # aliases of aliases followed (``held = lock``, ``lock = self._lock``)


def stands_for(
    expr: ast.expr, record: FunctionRecord, returned: ReturnedLocks | None = None
) -> ast.expr:
    """The expression local name ``expr`` of coroutine ``record`` was bound from, followed
    through aliases of aliases, when each is bound to one expression only, once before the
    use at least, and through calls ``returned`` follows (and ``setdefault`` calls: an
    item); ``expr`` otherwise. Without ``returned``, found once a node (``FunctionAnswers.
    stood_for``): the state rules ask it of each access of a function."""
    if returned is not None:
        return _followed(expr, record, returned)
    stood_for = record.answers.stood_for
    found = stood_for.get(expr)
    if found is None:
        found = stood_for[expr] = _followed(expr, record, None)
    return found


def _followed(expr: ast.expr, record: FunctionRecord, returned: ReturnedLocks | None) -> ast.expr:
    """``stands_for``'s answer, followed step by step."""
    scope = record.own_scope
    for _ in range(_STEPS):
        if expr.__class__ is ast.Call:
            followed = _item(expr) or (returned and returned.follow(expr, record))
            if followed is None:
                return expr
            expr = followed
            continue
        if expr.__class__ is not ast.Name or scope is None or expr.id in record.nonlocals:
            return expr
        bindings = scope.bindings.get(expr.id, ())
        if expr.id in scope.global_names or not bindings:
            return expr
        values = [b.expr for b in bindings if b.kind is Kind.VALUE and b.expr is not None]
        earlier = [v for v in values if v.lineno < expr.lineno]
        if len(values) != len(bindings) or not earlier or not _alike(values):
            return expr
        expr = earlier[-1]
    return expr


class ReturnedLocks:
    """What calls of the module's sync functions and methods return, where exact."""

    def __init__(
        self, facts: ModuleFacts, name_of: Callable[[FunctionRecord, ast.expr], str | None]
    ):
        self.facts = facts
        self.name_of = name_of  # the project name an expression has in a function
        self._following: list[FunctionRecord] = []  # the getters whose returns are followed

    @cached_property
    def _records(self) -> dict[str, FunctionRecord]:
        return {record.qualname: record for record in self.facts.functions}

    @cached_property
    def _defined(self) -> Counter:
        """How many of the module's classes define each method name."""
        return Counter(name for info in self.facts.classes.values() for name in info.methods)

    def follow(self, call: ast.Call, record: FunctionRecord) -> ast.expr | None:
        """What ``call`` (in function ``record``) returns as ``record`` would write it: the
        one value its callee returns, when the callee is a sync function of the module or
        a method of the instance ``record`` calls it on, which no other class of the module
        defines, and that value (followed through the callee's own names and getters: ``return
        self._made(key)``) names a global or an attribute of the instance (an item of
        either); None otherwise."""
        callee = self._records.get(self.name_of(record, call.func) or "")
        if callee is None or callee.is_async or callee.is_generator or callee is record:
            return None
        returns = [n for n in callee.own_code if n.__class__ is ast.Return]
        if len(returns) != 1 or returns[0].value is None:
            return None
        instance = None
        if callee.instance is not None:
            method = call.func
            if not (
                method.__class__ is ast.Attribute
                and method.value.__class__ is ast.Name
                and record.instance is not None
                and method.value.id == record.instance[0]
                and self._defined[method.attr] == 1
            ):
                return None
            instance = (callee.instance[0], record.instance[0])
        if callee in self._following:  # getters returning each other's calls
            return None
        self._following.append(callee)
        value = stands_for(returns[0].value, callee, self)  # its own names and getters
        self._following.pop()
        return _named(value, callee, record, instance, call)


def _named(value: ast.expr, callee, record, instance, call: ast.Call) -> ast.expr | None:
    """``value``, which ``callee`` returns, as ``record`` names it at ``call`` (``instance``:
    the callee's name for the instance, the caller's): a global of the module, bound in
    neither, an attribute of the instance, or an item of a container that is either."""
    if value.__class__ is ast.Subscript:
        held = _named(value.value, callee, record, instance, call)
        return _at(ast.Subscript(held, ast.Constant(None), ast.Load()), call) if held else None
    if value.__class__ is ast.Name:
        module = callee.own_scope.module().bindings.get(value.id)
        bound = [r.own_scope.lookup(value.id)[0] for r in (callee, record)]
        if module is not None and all(b is module for b in bound):
            return _at(ast.Name(value.id, ast.Load()), call)
        return None
    if value.__class__ is ast.Attribute and instance is not None:
        if value.value.__class__ is ast.Name and value.value.id == instance[0]:
            own = _at(ast.Name(instance[1], ast.Load()), call)
            return _at(ast.Attribute(own, value.attr, ast.Load()), call)
    return None


def _item(call: ast.Call) -> ast.Subscript | None:
    """An item of the container whose ``setdefault`` ``call`` calls (``locks.setdefault(key,
    asyncio.Lock())``: what is there, or the new lock), or None."""
    method = call.func
    if method.__class__ is ast.Attribute and method.attr == "setdefault" and call.args:
        return _at(ast.Subscript(method.value, call.args[0], ast.Load()), call)
    return None


def _at(node: ast.expr, call: ast.Call) -> ast.expr:
    """``node``, made for ``call``, at its place."""
    node.lineno, node.col_offset = call.lineno, call.col_offset
    node.end_lineno, node.end_col_offset = call.end_lineno, call.end_col_offset
    return node


def _alike(values: list[ast.expr]) -> bool:
    """Whether the expressions are one same expression written again: as ``ast.dump``
    shows them (their places left out), compared node by node and stopping at the first
    difference (dumping each cost ~1.5 % of a cold run; its recursive helper is a
    reference cycle each call leaves behind)."""
    return all(_same(values[0], value) for value in values[1:])


def _same(one: object, other: object) -> bool:
    """Whether two values of syntax trees are shown alike by ``ast.dump``: nodes of one
    class whose fields are, lists of such, or other values of one class and ``repr``."""
    if one.__class__ is not other.__class__:
        return False
    if isinstance(one, ast.AST):
        return all(_same(getattr(one, f, None), getattr(other, f, None)) for f in one._fields)
    if one.__class__ is list:
        return len(one) == len(other) and all(map(_same, one, other))
    return repr(one) == repr(other)
