"""``sleep``: ``time.sleep(x)`` in a coroutine becomes ``await asyncio.sleep(x)``.

``trio.sleep``/``anyio.sleep`` when the module uses that library; the ``time`` import goes
when nothing else uses it.
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .bridge import sleep_function
from .context import await_blocker, awaiting
from .imports import release


class SleepCommand(FindingCodemod):
    DESCRIPTION = "Replace time.sleep in coroutines with an awaited async sleep."
    STRATEGY = "sleep"

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        finding = self.finding_at(original_node)
        if finding is None:
            return updated_node
        reason = await_blocker(original_node, self.parent)
        if reason:
            self.decline(finding, reason)
            return updated_node
        release(self, original_node.func)
        self.done(finding)
        new = updated_node.with_changes(func=sleep_function(self, self.library))
        return awaiting(original_node, new, self.parent)
