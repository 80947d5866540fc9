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
from .context import awaiting, is_awaited
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
        new, reason = self._unwrapped(finding.code, original, updated)
        if new is None:
            return reason
        release(self, original.func)
        self.done(finding)
        if finding.code == _NESTED_LOOP:
            return awaiting(original, new, self.parent)
        if finding.code == _NEEDLESS:
            self._unawait.add(original)
        return new.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def _unwrapped(self, code: str, original: cst.Call, updated: cst.Call):
        """(the call without its bridge, ``None``) or (``None``, why not)."""
        args = list(updated.args)
        if any(a.star for a in args):
            return None, "the bridge's arguments are unpacked"
        if code == _NESTED_LOOP:
            if len(args) != 1 or args[0].keyword:
                return None, "the event loop call has options"
            return args[0].value, None
        if code == _NEEDLESS and not is_awaited(original, self.parent):
            return None, "the bridge's awaitable is not awaited in place"
        return bridged_call(updated)

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await):
        if original_node.expression in self._unawait:  # a call needs no parentheses
            return updated_node.expression
        return updated_node
