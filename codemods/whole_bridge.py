"""``bridge-whole``: a thread bridge that leaves blocking work on the event loop takes it all.

``await asyncio.to_thread(os.walk, root)`` only builds the walk in the thread (the caller
iterates it on the loop); it becomes
``await asyncio.to_thread(lambda: list(os.walk(root)))``. Arguments evaluated before the
thread starts move into it: ``await asyncio.to_thread(json.load, open(p))`` becomes
``await asyncio.to_thread(lambda: json.load(open(p)))``.
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .bridge import bridged_call, deferred, function_index, materialised


class BridgeWholeCommand(FindingCodemod):
    DESCRIPTION = (
        "Move all of a half-moved expression, or the iteration of a lazy result, into its thread."
    )
    STRATEGY = "bridge-whole"

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
        call = bridged_call(updated)  # the analyzer left no bridge it cannot write out
        body = materialised(call) if finding.lazy_result else deferred(call)
        index = function_index(updated)
        self.done(finding)
        return updated.with_changes(args=[*updated.args[:index], cst.Arg(body)])
