"""``call-twin``: a sync method whose class offers a coroutine twin is swapped for it.

``cache.get(k)`` becomes ``await cache.aget(k)`` (the twin the analyzer names).
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .context import awaiting


class CallTwinCommand(FindingCodemod):
    DESCRIPTION = "Call the coroutine twin of a sync method, awaited."
    STRATEGY = "call-twin"

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
        twin = (finding.twin or "").rpartition(".")[2]
        self.done(finding)
        func = updated.func.with_changes(attr=cst.Name(twin))
        return awaiting(original, updated.with_changes(func=func), self.parent)
