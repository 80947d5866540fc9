"""``call-twin``: a sync method whose class offers a coroutine twin is swapped for it.

``cache.get(k)`` becomes ``await cache.aget(k)`` (the twin the analyzer names).
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .context import await_blocker, awaiting


class CallTwinCommand(FindingCodemod):
    DESCRIPTION = "Call the coroutine twin of a sync method, awaited."
    STRATEGY = "call-twin"

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        finding = self.finding_at(original_node)
        if finding is None:
            return updated_node
        twin = (finding.twin or "").rpartition(".")[2]
        reason = await_blocker(original_node, self.parent)
        if not isinstance(updated_node.func, cst.Attribute) or not twin.isidentifier():
            reason = "the call is not a method call with a known twin"
        if reason:
            self.decline(finding, reason)
            return updated_node
        self.done(finding)
        func = updated_node.func.with_changes(attr=cst.Name(twin))
        return awaiting(original_node, updated_node.with_changes(func=func), self.parent)
