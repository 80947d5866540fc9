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
rebound in the helper (``out = out or sys.stdout``; ``if out is None: out = sys.stderr``;
``out = default_stdout()``, a project function's call, when that function returns only a
standard stream: ``FunctionSummary.returns_stream``, weighed by the project pass), and a
false constant, handed or left to a default (``FunctionSummary.falsy_defaults``), which
has no file's methods either. A call handing a file, or what nothing types, keeps them."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from deblock.analysis.buffered_calls import no_file
from deblock.analysis.in_memory import BUFFER_MODULES
from deblock.analysis.nodes import argument_places
from deblock.analysis.scopes import Binding, Kind
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
    helper: Callable[[ast.Call, Binding], str | None],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names a call of ``target`` (candidate ``at`` of ``record``) may give the
    parameter (of ``own_parameters(record)``; or one ``record`` rebinds only to itself or
    text, ``data = data or b""``, or to a standard stream) whose object the call calls a
    method of (``out.write(data)``), if it is one, unless the method touches other files
    whatever the object is over (an archive's ``extractall``); and the project functions
    (``helper``: the one a call binding the parameter makes) whose results it is rebound
    to, which must return a standard stream for those names to hold no file."""
    func = at.node.func
    if func.__class__ is not ast.Attribute or func.value.__class__ is not ast.Name:
        return (), ()
    if target in ARCHIVE_FILE_METHODS:
        return (), ()
    name, own = func.value.id, own_parameters(record)
    helpers = None if name in own else _rebound_fileless(record, name, helper)
    if helpers is None:
        return own.get(name, ()), ()
    places = {n: f"#{i}" for i, n in enumerate(positional_parameters(record))}
    return ((name, places[name]) if name in places else (name,)), helpers


def _rebound_fileless(
    record: FunctionRecord, name: str, helper: Callable[[ast.Call, Binding], str | None]
) -> tuple[str, ...] | None:
    """The project functions whose results parameter ``name`` of ``record`` is rebound to
    when it is rebound only as ``name = name or text``, ``name = name or sys.stdout``,
    ``name = sys.stdout`` or ``name = helper()`` (it holds what the call handed, text, a
    standard stream or what those return); None when it is rebound otherwise, or not."""
    scope = record.own_scope
    bindings = scope.bindings.get(name, ()) if scope is not None else ()
    if record.node is None or name not in parameter_names(record):
        return None
    helpers: list[str] = []
    others = 0  # the parameter's own binding, and any other
    for binding in bindings:
        fileless = _fileless(binding, name, helper) if binding.kind is Kind.VALUE else None
        others += fileless is None
        helpers.extend(fileless or ())
    return tuple(dict.fromkeys(helpers)) if others == 1 and len(bindings) > 1 else None


def _fileless(
    binding: Binding, name: str, helper: Callable[[ast.Call, Binding], str | None]
) -> tuple[str, ...] | None:
    """What ``binding`` of parameter ``name`` holds when it holds no file: () for a
    standard stream or ``name`` or one (``name or b""``, ``name or sys.stderr``), the
    project function ``helper`` finds it calls by name (``default_stdout()``; a method's
    call, which an override may take, is not followed); else None."""
    value = binding.expr
    if value.__class__ is ast.BoolOp and value.op.__class__ is ast.Or and len(value.values) == 2:
        kept, value = value.values
        if getattr(kept, "id", None) != name:
            return None
        if _literal(value):
            return ()
    if standard_stream(value, binding.scope):
        return ()
    plain = value.__class__ is ast.Call and value.func.__class__ is ast.Name  # not a method
    called = helper(value, binding) if plain else None
    return None if called is None else (called,)


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
