"""Whether a sync function returns an object other calls share (a getter): what a caller
then calls on its result is called on that object, not on one made for the caller."""

from __future__ import annotations

import ast

from deblock.analysis.scopes import shared_object
from deblock.analysis.standard_streams import standard_stream
from deblock.analysis.walker import FunctionRecord


def returns_shared(record: FunctionRecord) -> bool:
    """Whether sync function ``record`` may return a global of its module or of one it
    imports, or an attribute of one or of its instance (``return CHANNEL``, ``return
    brokers.CHANNEL``, ``return self.channel``: ``scopes.shared_object``), by the values of
    its ``return`` statements the walk kept (``FunctionRecord.returned``)."""
    return any(
        shared_object(returned.expr, returned.scope, record.self_name)
        for returned in record.returned
    )


def returns_stream(record: FunctionRecord) -> bool:
    """Whether sync function ``record`` returns a standard stream and nothing else but
    ``None`` (``return sys.stdout``, ``return sys.stderr if err else sys.stdout``, ``return
    sys.stdout.buffer``: ``standard_streams``): a parameter rebound to its result holds no
    file (``handed_streams``)."""
    values = [r for r in record.returned if not _none(r.expr)]
    return (
        not record.is_generator
        and bool(values)
        and all(standard_stream(r.expr, r.scope, r.reaching) for r in values)
    )


def _none(value: ast.expr) -> bool:
    return value.__class__ is ast.Constant and value.value is None
