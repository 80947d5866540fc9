"""Streams that only a parameter's annotation types (``out: IO[bytes]``, ``BinaryIO``,
``TextIO``): an in-memory buffer (``io.BytesIO``) is as much an ``IO[bytes]`` as a file is,
and its reads and writes never block. A call that hands the parameter a buffer is evidence
that beats the annotation: for that call, the chains skip the blocking calls the function
makes on the parameter (``BlockingChains``); a call handing a file, or what nothing types,
keeps them."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import argument_places
from deblock.analysis.symbols import Obj, Symbol

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver
    from deblock.analysis.walker import Candidate

# The classes whose instances hold their data in memory: no call of theirs does I/O.
IN_MEMORY = frozenset({"io.BytesIO", "io.StringIO"})


def stream_parameter(call: ast.Call, own: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The names a call may give the parameter (of ``own``: ``own_parameters``) whose
    object ``call`` calls a method of (``out.write(data)``), if it is one."""
    func = call.func
    if func.__class__ is ast.Attribute and func.value.__class__ is ast.Name:
        return own.get(func.value.id, ())
    return ()


def handed_buffers(call: ast.Call, resolver: Resolver, at: Candidate) -> tuple[str, ...]:
    """The parameters ``call`` (of candidate ``at``) hands an in-memory buffer on every
    path, by place (``#0``) or keyword."""
    return tuple(
        place
        for place, value in argument_places(call)
        if in_memory(resolver.resolve(value, at.scope, at.reaching))
    )


def in_memory(symbol: Symbol | None) -> bool:
    """Whether ``symbol`` is an in-memory buffer on every path."""
    return symbol.__class__ is Obj and all(
        not option.path and option.cls in IN_MEMORY for option in symbol.options()
    )
