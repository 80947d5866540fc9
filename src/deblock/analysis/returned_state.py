"""Whether a sync function returns an object other calls share (a getter): what a caller
then calls on its result is called on that object, not on one made for the caller."""

from __future__ import annotations

from deblock.analysis.scopes import shared_object
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
