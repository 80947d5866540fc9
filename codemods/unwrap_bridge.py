"""``unwrap-bridge``: remove a thread bridge or nested event loop that must not be there.

- a coroutine function (or async callable) handed to a thread:
  ``asyncio.to_thread(save, p)`` becomes ``save(p)`` (still awaited where it was);
- a pure function in a thread: ``await asyncio.to_thread(os.path.join, a, b)`` becomes
  ``os.path.join(a, b)``;
- a nested loop: ``asyncio.run(main())`` / ``loop.run_until_complete(main())`` in a
  coroutine becomes ``await main()``.
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .bridge import bridged_call
from .context import awaiting
from .imports import release

_NESTED_LOOP = "DBK803"
_NEEDLESS = "DBK805"


class UnwrapBridgeCommand(FindingCodemod):
    DESCRIPTION = "Remove thread bridges around async or pure calls, and nested event loops."
    STRATEGY = "unwrap-bridge"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._unawait: set[cst.Call] = set()

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
        # the analyzer gives no fix to a call it cannot unwrap (``fix_shapes``)
        new = updated.args[0].value if finding.code == _NESTED_LOOP else bridged_call(updated)
        release(self, original.func)
        self.done(finding)
        if finding.code == _NESTED_LOOP:
            return awaiting(original, new, self.parent)
        if finding.code == _NEEDLESS:
            self._unawait.add(original)
        return new.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await):
        if original_node.expression in self._unawait:  # a call needs no parentheses
            return updated_node.expression
        return updated_node
