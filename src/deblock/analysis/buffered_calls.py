"""Calls that read or write the file they are handed (``Blocking.over``: ``json.load``'s,
``zipfile.ZipFile``'s, ``pandas.read_csv``'s): handed an in-memory buffer there
(``io.BytesIO``, on every path), they do no I/O. Only a module importing a module a buffer
comes from can hand one."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.in_memory import BUFFER_MODULES, in_memory
from deblock.analysis.nodes import first_handed

if TYPE_CHECKING:
    from deblock.analysis.resolver import Resolver
    from deblock.analysis.walker import ModuleFacts


def mark_buffered_calls(facts: ModuleFacts, resolver: Resolver) -> None:
    """Mark, in place, the calls handing an in-memory buffer as the file their catalogue
    entry reads or writes as not blocking."""
    if BUFFER_MODULES.isdisjoint(resolver.imported_roots):
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
            if file is not None and in_memory(
                resolver.resolve(file, candidate.scope, candidate.reaching)
            ):
                candidate.nonblocking = True
