"""Streams that only a parameter's annotation types (``out: IO[bytes]``, ``BinaryIO``,
``TextIO``): an in-memory buffer (``io.BytesIO``) is as much an ``IO[bytes]`` as a file is,
and its reads and writes never block. A call that hands the parameter a buffer is evidence
that beats the annotation: for that call, the chains skip the blocking calls the function
makes on the parameter (``BlockingChains``); so does one handing text (a string or bytes
literal, an f-string, or a name bound only to those), which has no file's methods: a helper
taking ``str | bytes | BinaryIO`` reads only a file it is handed (minio's ``sha256_hash`` of
the canonical request). A call handing a file, or what nothing types, keeps them."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import argument_places
from deblock.analysis.scopes import Kind
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
    """The parameters ``call`` (of candidate ``at``) hands an in-memory buffer or text on
    every path, by place (``#0``) or keyword."""
    return tuple(
        place
        for place, value in argument_places(call)
        if _text(value, at) or in_memory(resolver.resolve(value, at.scope, at.reaching))
    )


def _text(value: ast.expr, at: Candidate) -> bool:
    """Whether ``value`` is text: a string or bytes literal, an f-string, or a name every
    binding of which reaching it is one."""
    if value.__class__ is ast.Name:
        bindings, _ = at.scope.lookup(value.id, at.reaching)
        return bool(bindings) and all(b.kind is Kind.VALUE and _literal(b.expr) for b in bindings)
    return _literal(value)


def _literal(value: ast.expr) -> bool:
    return value.__class__ is ast.JoinedStr or (
        value.__class__ is ast.Constant and isinstance(value.value, str | bytes)
    )


def in_memory(symbol: Symbol | None) -> bool:
    """Whether ``symbol`` is an in-memory buffer on every path."""
    return symbol.__class__ is Obj and all(
        not option.path and option.cls in IN_MEMORY for option in symbol.options()
    )
