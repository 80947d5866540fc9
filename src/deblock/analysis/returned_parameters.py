"""What a caller does with an awaited result, and what a coroutine hands back whole.

A coroutine that reads a parameter only to return it (``return log``, or as an element of a
tuple, ``return n, log``) reads none of the object: its caller reads it, through the result,
where it uses the result. A caller that drops the result (``await record(LOG)`` as a
statement, ``_ = await record(LOG)`` with ``_`` read nowhere), or the element it is in
(``n, _ = await record(n, LOG)``), reads nothing of it there (``atomic_callers``:
``runtime_projects/returned_discarded``, against ``runtime_declined/returned_handed_read``,
where the caller reads the result's length)."""

from __future__ import annotations

import ast

from deblock.analysis.nodes import walk
from deblock.analysis.thread_bound import FRAME_GETTERS, FRAME_READERS
from deblock.analysis.walker import FunctionRecord

WHOLE = -1  # the place of a parameter returned as the whole result (``return log``)


def rest_from(index: int) -> int:
    """The place standing for every element from ``index`` on (``m, *_ = await f()``), and
    back: the index such a place stands from."""
    return WHOLE - 1 - index


def dropped_results(record: FunctionRecord) -> dict[ast.AST, tuple[int, ...]]:
    """The calls coroutine ``record`` awaits whose result, or elements of it, it never reads:
    ``(WHOLE,)`` for a call awaited as a statement of its own or bound to a name it reads
    nowhere, else the places of an unpacked result's elements bound to such names (a
    starred last one's: ``rest_from`` its index)."""
    unread = _unread_names(record)
    dropped: dict[ast.AST, tuple[int, ...]] = {}
    for node in record.own_code:
        if node.__class__ is ast.Expr and node.value.__class__ is ast.Await:
            dropped[node.value.value] = (WHOLE,)
        elif node.__class__ is not ast.Assign or node.value.__class__ is not ast.Await:
            continue
        elif len(node.targets) != 1:
            continue
        elif (target := node.targets[0]).__class__ is ast.Name and target.id in unread:
            dropped[node.value.value] = (WHOLE,)
        elif target.__class__ in (ast.Tuple, ast.List):
            *fixed, last = target.elts
            places = [i for i, e in enumerate(target.elts) if _unread(e, unread)]
            if last.__class__ is ast.Starred and _unread(last.value, unread):
                places.append(rest_from(len(fixed)))
            if places and not any(e.__class__ is ast.Starred for e in fixed):
                dropped[node.value.value] = tuple(places)
    return dropped


def _unread(target: ast.expr, unread: set[str]) -> bool:
    """Whether ``target`` is a name of ``unread``."""
    return target.__class__ is ast.Name and target.id in unread


def _unread_names(record: FunctionRecord) -> set[str]:
    """The names coroutine ``record`` binds and reads nowhere (a nested function's body
    too; an augmented assignment reads), none when it may read its frame (``locals()``)."""
    bound, read = set(), set()
    for node in walk(record.node):
        if node.__class__ is ast.Name:
            (bound if node.ctx.__class__ is ast.Store else read).add(node.id)
        elif node.__class__ is ast.AugAssign and node.target.__class__ is ast.Name:
            read.add(node.target.id)  # ``kept += [x]`` changes what it holds
        elif node.__class__ is ast.Attribute and node.attr in FRAME_GETTERS:
            return set()
        elif node.__class__ in (ast.Global, ast.Nonlocal):
            read.update(node.names)
    return set() if read & FRAME_READERS.keys() else bound - read


def returned_parameters(
    record: FunctionRecord, parameters: set[str], callees: dict[ast.AST, str]
) -> tuple[tuple[str, int], ...]:
    """The ``parameters`` coroutine ``record`` names only in its own returns, as or read
    only by the whole result or an element of a returned tuple (``_read_whole``; anywhere
    else, a nested function's body too, it may read or hand them on), each with every place
    it is returned at (``WHOLE``, or the element's index)."""
    places: dict[int, int] = {}
    for node in record.own_code:
        if node.__class__ is not ast.Return or node.value is None:
            continue
        value = node.value
        if value.__class__ is not ast.Tuple:
            parts = [(WHOLE, value)]
        elif not any(e.__class__ is ast.Starred for e in value.elts):
            parts = list(enumerate(value.elts))
        else:
            continue
        for place, part in parts:
            if (name := _read_whole(part, callees)) is not None:
                places[id(name)] = place
    named: dict[str, set[int] | None] = {}
    for node in walk(record.node):
        if node.__class__ is ast.Name and node.id in parameters:
            place = places.get(id(node))
            known = named.get(node.id, set())
            named[node.id] = None if place is None or known is None else known | {place}
    return tuple(
        (name, place) for name, found in sorted(named.items()) if found for place in sorted(found)
    )


def _read_whole(value: ast.expr, callees: dict[ast.AST, str]) -> ast.Name | None:
    """The name ``value`` is, or only reads (``box.items``, ``len(log)``), if any."""
    while True:
        if value.__class__ is ast.Attribute:
            value = value.value
        elif value.__class__ is ast.Call and callees.get(value) == "builtins.len" and value.args:
            value = value.args[0]
        else:
            return value if value.__class__ is ast.Name else None


def dropped_parameters(returned: tuple[tuple[str, int], ...], dropped: tuple[int, ...]) -> set[str]:
    """The parameters of ``returned`` (``returned_parameters``) a call site whose result's
    ``dropped`` places (``dropped_results``) its caller never reads reads none of: the whole
    result dropped, or each place the parameter is returned at."""
    if WHOLE in dropped:
        return {name for name, _ in returned}
    rest = min((rest_from(d) for d in dropped if d < WHOLE), default=None)
    kept = {
        name
        for name, place in returned
        if place not in dropped and (rest is None or place == WHOLE or place < rest)
    }
    return {name for name, _ in returned} - kept
