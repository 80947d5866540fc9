"""Item reads that change what they read: ``table[key]`` of a ``collections.defaultdict``
inserts a missing key (``ITEM_READ_INSERTS``), so a coroutine's ``len(GROUPS)`` then, after
no await, ``GROUPS[key]`` reads and writes ``GROUPS`` as ``GROUPS.setdefault(key, [])``
does. Any type the resolver may give the value counts (a declared one, one path's of
several): a wrong guess only declines a fix. The calls' arguments that may be such a
container are noted too: a helper reading an item of the parameter it binds changes it.
Another module's global (``from groups import GROUPS``) is one when the project pass says
so (``project.inserting_globals``), analysing the module again.
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import argument_places, call_arguments
from deblock.analysis.resolver import Resolver
from deblock.analysis.symbols import Obj, Ref
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.rules.resources import ITEM_READ_INSERTS

# The names a module's text must hold to make or declare such a container.
_NAMES = frozenset(q.rpartition(".")[2] for q in ITEM_READ_INSERTS)
_HELD = (ast.Name, ast.Attribute)


def names_inserting(source: str) -> bool:
    """Whether ``source`` names a container whose item read inserts: only then are its
    functions' item reads and arguments typed."""
    return any(name in source for name in _NAMES)


def mark_inserting_reads(
    facts: ModuleFacts, resolver: Resolver, told: frozenset[str] = frozenset()
) -> None:
    """Note in each function's record its item reads of such a container (``inserting``),
    as the walk notes an item store (a write of it), and its calls' arguments that may be
    one (``handed_inserting``). ``told``: the qualified names of other modules' globals
    that hold one."""
    for record in facts.functions:
        for node in record.own_code:
            if node.__class__ is ast.Subscript and node.ctx.__class__ is ast.Load:
                if _may_insert(node.value, record, resolver, told):
                    _inserted(node, record, facts)
            elif node.__class__ is ast.Call:
                record.handed_inserting.update(
                    v
                    for v in call_arguments(node)
                    if v.__class__ in _HELD and _may_insert(v, record, resolver, told)
                )


def _inserted(node: ast.Subscript, record: FunctionRecord, facts: ModuleFacts) -> None:
    record.inserting.add(node)
    record.sets_items = True
    record.state_writes.append(node.lineno)
    name = facts.item_written(node.value)
    scope = record.own_scope
    if name is not None and (scope.parent is None or scope.names_global(name)):
        facts.changed_names.add(name)


def _may_insert(expr: ast.expr, record: FunctionRecord, resolver: Resolver, told) -> bool:
    """Whether ``expr`` may hold a container whose item read inserts, or an instance of a
    subclass of one (another module's global: one of ``told``)."""
    if expr.__class__ not in _HELD:
        return False
    held = resolver.resolve(expr, record.own_scope)
    if held.__class__ is Ref:
        return held.qualname in told
    if held.__class__ is not Obj:
        return False
    return any(
        not option.path
        and not ITEM_READ_INSERTS.isdisjoint(
            c.removesuffix("()") for c in resolver.method_order(option.cls.removesuffix("()"))
        )
        for option in held.options()
    )


def inserting_arguments(
    call: ast.Call, handed: tuple[tuple[str, str], ...], record: FunctionRecord
) -> tuple[str, ...]:
    """The places of ``handed`` (``CallSite.arguments`` of sync ``call`` in ``record``)
    whose argument may be a container whose item read inserts (``handed_inserting``)."""
    if not record.handed_inserting:
        return ()
    values = dict(argument_places(call))
    return tuple(place for place, _ in handed if values[place] in record.handed_inserting)
