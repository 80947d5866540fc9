"""Attribute reads that load their object: a boto3 resource made without data
(``obj = s3.Object(b, k)``, ``bucket.Object(k)``) loads it, one request, as one of its shape's
attributes is read (``obj.content_length``; ``rules.boto3_loaded``), and answers from the
data after, until an action clears it.

Reported only where the read loads on some run for certain: on such a call's result
(``s3.Object(b, k).e_tag``), or on a name bound, by every binding that reaches it, to what
a capitalised method makes (``Obj.path``) in the read's own scope, by an assignment whose
block holds the read's statement later, with nothing using the name from there to the end
of that statement but the read (a load, a read of another attribute, an action, or a
hand-off would leave the data loaded or unknown); no function, lambda or class nested in
the coroutine uses it (a closure called between would not name it), and the read is not
awaited (an async resource's attribute is: evidence).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import parents, up_to_statement, walk
from deblock.analysis.scopes import Kind
from deblock.analysis.symbols import Obj

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver
    from deblock.analysis.walker import Candidate, FunctionRecord
    from deblock.rules import Catalogue

_NESTING = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_BLOCKS = ("body", "orelse", "finalbody")


def loading_reads(
    record: FunctionRecord, resolver: Resolver, catalogue: Catalogue
) -> list[tuple[Candidate, str]]:
    """The coroutine ``record``'s attribute reads that load their object, each with the
    qualified name of what it reads (``...ServiceResource.Object.content_length``)."""
    awaited = {id(node.value) for node in record.suspensions if node.__class__ is ast.Await}
    typed = [
        (candidate, target)
        for candidate in record.reads
        if id(candidate.node) not in awaited
        and (target := _loaded(candidate, resolver, catalogue)) is not None
    ]
    if not typed:
        return []
    up = parents(record.node) if any(c.node.value.__class__ is ast.Name for c, _ in typed) else {}
    return [
        (c, target)
        for c, target in typed
        if (
            _made(c.node.value) if c.node.value.__class__ is ast.Call else _first_use(c, record, up)
        )
    ]


def _loaded(candidate: Candidate, resolver: Resolver, catalogue: Catalogue) -> str | None:
    """What the read reads, when its object is made by a capitalised method and the
    attribute loads it (``Catalogue.loads_on_read``)."""
    read = candidate.node
    found = resolver.resolve(read.value, candidate.scope, candidate.reaching)
    if found.__class__ is not Obj or found.others or not found.path:
        return None
    made = f"{found.cls}.{found.path.rpartition('.')[2]}"
    return f"{made}.{read.attr}" if catalogue.loads_on_read(made, read.attr) else None


def _first_use(candidate: Candidate, record: FunctionRecord, up: dict) -> bool:
    """Whether the read is the first use of its name after each binding reaching it, on a
    path from that binding (see the module's docstring)."""
    read = candidate.node
    name = read.value.id
    if name in candidate.scope.global_names or name in record.nonlocals:
        return False
    bindings = (candidate.reaching or {}).get(name, ())
    if not bindings or not all(_made_here(b, candidate) for b in bindings):
        return False
    uses = [n for n in walk(record.node) if n.__class__ is ast.Name and n.id == name]
    if any(_nested(use, record.node, up) for use in uses):
        return False
    statement = up_to_statement(read, up)[-1]
    for binding in bindings:
        made = up_to_statement(binding.expr, up)[-1]
        if not _holds_later(made, statement, up):
            return False
        if any(
            use is not read.value and _end(made) <= _start(use) <= _end(statement) for use in uses
        ):
            return False
    return True


def _made_here(binding, candidate: Candidate) -> bool:
    """Whether ``binding`` assigns the name, in the read's scope, what a capitalised method
    makes."""
    return binding.kind is Kind.VALUE and binding.scope is candidate.scope and _made(binding.expr)


def _made(value: ast.expr) -> bool:
    """Whether ``value`` calls a capitalised method (``s3.Object(b, k)``)."""
    return (
        value.__class__ is ast.Call
        and value.func.__class__ is ast.Attribute
        and value.func.attr[:1].isupper()
    )


def _holds_later(made: ast.stmt, statement: ast.stmt, up: dict) -> bool:
    """Whether a statement after ``made`` in its block is or holds ``statement``."""
    above = up.get(made)
    block = next((b for f in _BLOCKS if made in (b := getattr(above, f, ()))), None)
    if block is None:
        return False
    later = {id(s) for s in block[block.index(made) + 1 :]}
    node = statement
    while node is not None and id(node) not in later:
        node = up.get(node)
    return node is not None


def _nested(use: ast.AST, function: ast.AST, up: dict) -> bool:
    """Whether ``use`` is in a function, lambda or class nested in ``function``."""
    node = up.get(use)
    while node is not None and node is not function:
        if node.__class__ in _NESTING:
            return True
        node = up.get(node)
    return False


def _start(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _end(node: ast.AST) -> tuple[int, int]:
    return node.end_lineno, node.end_col_offset
