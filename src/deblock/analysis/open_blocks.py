"""Whether a ``with open(...) as fh:`` block in a coroutine may open async files instead:
every use of its handles is a file method call to await in the block, or a plain
attribute (there, or after it). ``open_forms`` decides the fix's form from it.
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import parents
from deblock.rules import catalogue_with

OPEN_TARGETS = frozenset({"builtins.open", "io.open"})
_FILE = "io.IOBase."
# The catalogue's blocking file methods: aiofiles, anyio and trio await them all but
# iteration (``async for``), and add ``read1``.
_METHODS = frozenset(
    e.target.removeprefix(_FILE) for e in catalogue_with().entries if e.target.startswith(_FILE)
) - {"__iter__"} | {"read1"}
_ATTRIBUTES = frozenset({"name", "mode", "closed", "encoding", "errors", "newlines"})


def async_handles(function: ast.AST, block: ast.With) -> bool:
    """Whether every use of ``block``'s handles is a file method call to await in the
    block, or a plain attribute (there, or after it): the block may open async files."""
    from deblock.analysis.moved_blocks import handle_reads_after

    handles = [item.optional_vars for item in block.items if item.optional_vars is not None]
    if not all(isinstance(h, ast.Name) for h in handles):
        return False
    above = parents(function)
    names = {h.id for h in handles}
    inside = [
        n for n in ast.walk(block) if isinstance(n, ast.Name) and n.id in names and n not in handles
    ]
    return all(_awaitable_use(n, above) for n in inside) and all(
        _plain_attribute(n, above) for n in handle_reads_after(function, block)
    )


def _awaitable_use(name: ast.Name, above: dict) -> bool:
    attribute = above.get(name)
    if not isinstance(attribute, ast.Attribute) or attribute.value is not name:
        return False
    call = above.get(attribute)
    if isinstance(call, ast.Call) and call.func is attribute:
        return (
            attribute.attr in _METHODS
            and not isinstance(above.get(call), ast.Await)
            and _await_may_go(call, above)
        )
    return attribute.attr in _ATTRIBUTES


def _plain_attribute(name: ast.Name, above: dict) -> bool:
    attribute = above.get(name)
    call = above.get(attribute)
    return (
        isinstance(attribute, ast.Attribute)
        and attribute.attr in _ATTRIBUTES
        and not (isinstance(call, ast.Call) and call.func is attribute)
    )


def _await_may_go(node: ast.AST, above: dict) -> bool:
    """Whether ``await`` may be added at ``node``: not in a nested sync function, a
    lambda, a class body or a generator expression (its first iterable runs outside it)."""
    child, up = node, above.get(node)
    while up is not None:
        if isinstance(up, ast.comprehension) and child is up.iter:
            outer = above[up]
            if isinstance(outer, ast.GeneratorExp) and outer.generators[0] is up:
                child, up = outer, above.get(outer)
                continue
        if isinstance(up, ast.GeneratorExp) or (isinstance(up, ast.Lambda) and child is up.body):
            return False
        if isinstance(up, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
            child in up.body
        ):
            return isinstance(up, ast.AsyncFunctionDef)
        child, up = up, above.get(up)
    return True
