"""Streams that only a parameter's annotation types (``out: IO[bytes]``, ``BinaryIO``,
``TextIO``): an in-memory buffer (``io.BytesIO``) is as much an ``IO[bytes]`` as a file is,
and its reads and writes never block. A call that hands the parameter a buffer is evidence
that beats the annotation: for that call, the chains skip the blocking calls the function
makes on the parameter (``BlockingChains``); so does one handing an archive opened over a
buffer (``IN_MEMORY``), but for its methods that touch other files (``extractall``), and one
handing text (a string or bytes literal, an f-string, or a name bound only to those), which
has no file's methods: a helper taking ``str | bytes | BinaryIO`` reads only a file it is
handed (minio's ``sha256_hash`` of the canonical request). So is a standard stream
(``sys.stdout``, ``sys.stderr``), whose writes deblock does not count as blocking, handed or
rebound in the helper (``out = out or sys.stdout``; ``if out is None: out = sys.stderr``),
and a false constant, handed or left to a default (``FunctionSummary.falsy_defaults``), which
has no file's methods either. A call handing a file, or what nothing types, keeps them."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from deblock.analysis.buffered_calls import no_file
from deblock.analysis.in_memory import BUFFER_MODULES
from deblock.analysis.nodes import argument_places
from deblock.analysis.scopes import Kind, Scope
from deblock.analysis.shared_state import parameter_names, positional_parameters
from deblock.analysis.standard_streams import standard_stream
from deblock.rules.os_io import ARCHIVE_FILE_METHODS

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver
    from deblock.analysis.walker import Candidate, FunctionRecord


def stream_parameter(
    at: Candidate,
    own_parameters: Callable[[FunctionRecord], dict[str, tuple[str, ...]]],
    record: FunctionRecord,
    target: str,
) -> tuple[str, ...]:
    """The names a call of ``target`` (candidate ``at`` of ``record``) may give the
    parameter (of ``own_parameters(record)``; or one ``record`` rebinds only to itself or
    text, ``data = data or b""``, or to a standard stream) whose object the call calls a
    method of (``out.write(data)``), if it is one, unless the method touches other files
    whatever the object is over (an archive's ``extractall``)."""
    func = at.node.func
    if func.__class__ is not ast.Attribute or func.value.__class__ is not ast.Name:
        return ()
    if target in ARCHIVE_FILE_METHODS:
        return ()
    name, own = func.value.id, own_parameters(record)
    if name in own or not _rebound_fileless(record, name):
        return own.get(name, ())
    places = {n: f"#{i}" for i, n in enumerate(positional_parameters(record))}
    return (name, places[name]) if name in places else (name,)


def _rebound_fileless(record: FunctionRecord, name: str) -> bool:
    """Whether parameter ``name`` of ``record`` is rebound only as ``name = name or text``,
    ``name = name or sys.stdout`` or ``name = sys.stdout``: it holds what the call handed,
    text or a standard stream."""
    scope = record.own_scope
    bindings = scope.bindings.get(name, ()) if scope is not None else ()
    rebound = [b for b in bindings if b.kind is Kind.VALUE and _fileless(b.expr, name, b.scope)]
    named = record.node is not None and name in parameter_names(record)
    return named and bool(rebound) and len(bindings) == len(rebound) + 1


def _fileless(value: ast.expr, name: str, scope: Scope) -> bool:
    """Whether ``value``, bound to parameter ``name``, is a standard stream or ``name`` or
    one (``name or b""``, ``name or sys.stderr``)."""
    if value.__class__ is ast.BoolOp and value.op.__class__ is ast.Or and len(value.values) == 2:
        kept, other = value.values
        return getattr(kept, "id", None) == name and (
            _literal(other) or standard_stream(other, scope)
        )
    return standard_stream(value, scope)


def handed_buffers(call: ast.Call, resolver: Resolver, at: Candidate) -> tuple[str, ...]:
    """The parameters ``call`` (of candidate ``at``) hands an in-memory buffer, text or a
    standard stream on every path, by place (``#0``) or keyword. A module importing no
    module a buffer comes from makes none: its arguments are not resolved (each call's
    were, ~3 % of the bench corpus's module pass; what else is resolved is the same, the
    resolver's memo being order-free)."""
    buffers = not BUFFER_MODULES.isdisjoint(resolver.imported_roots)
    return tuple(
        place
        for place, value in argument_places(call)
        if _text(value, at) or no_file(value, resolver, at, buffers)
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
