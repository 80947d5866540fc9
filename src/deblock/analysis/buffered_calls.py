"""Calls that read or write the file they are handed (``Blocking.over``: ``json.load``'s,
``zipfile.ZipFile``'s, ``pandas.read_csv``'s): handed an in-memory buffer there
(``io.BytesIO``, on every path), they do no I/O; handed a standard stream
(``json.dump(x, sys.stdout)``), they write it as ``sys.stdout.write`` does, which deblock
does not count as blocking (``standard_streams``). Only a module importing a module a
buffer comes from can hand one, only one importing ``sys`` a stream."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.in_memory import BUFFER_MODULES, in_memory
from deblock.analysis.nodes import first_handed
from deblock.analysis.standard_streams import standard_stream

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver
    from deblock.analysis.walker import Candidate, ModuleFacts


def mark_buffered_calls(facts: ModuleFacts, resolver: Resolver) -> None:
    """Mark, in place, the calls handing no file (``no_file``) where their catalogue entry
    reads or writes one as not blocking."""
    buffers = not BUFFER_MODULES.isdisjoint(resolver.imported_roots)
    if not buffers and "sys" not in resolver.imported_roots:
        return
    catalogue = resolver.catalogue
    names = catalogue.over_names
    for record in facts.functions:
        for candidate in record.calls:
            call = candidate.node
            func = call.func if call.__class__ is ast.Call else None
            if (getattr(func, "attr", None) or getattr(func, "id", None)) not in names:
                continue
            callee = resolver.resolve(func, candidate.scope, candidate.reaching)
            entry = catalogue.blocking(callee.qualname) if callee is not None else None
            file = first_handed(call, entry.over) if entry is not None else None
            if file is not None and no_file(file, resolver, candidate, buffers):
                candidate.nonblocking = True


def no_file(value: ast.expr, resolver: Resolver, at: Candidate, buffers: bool) -> bool:
    """Whether ``value``, handed by candidate ``at`` where a file may be, is none: a
    standard stream, or (``buffers``: its module imports one's) an in-memory buffer on every
    path."""
    return standard_stream(value, at.scope, at.reaching) or (
        buffers and in_memory(resolver.resolve(value, at.scope, at.reaching))
    )
