"""``sleep``: ``time.sleep(x)`` in a coroutine becomes ``await asyncio.sleep(x)``.

``trio.sleep``/``anyio.sleep`` when the module uses that library; the ``time`` import goes
when nothing else uses it.
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .bridge import sleep_function
from .context import awaiting
from .imports import release


class SleepCommand(FindingCodemod):
    DESCRIPTION = "Replace time.sleep in coroutines with an awaited async sleep."
    STRATEGY = "sleep"

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
        release(self, original.func)
        self.done(finding)
        new = updated.with_changes(func=sleep_function(self, self.library))
        return awaiting(original, new, self.parent)
