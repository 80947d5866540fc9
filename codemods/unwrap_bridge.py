"""``unwrap-bridge``: remove a thread bridge or nested event loop that must not be there.

- a coroutine function (or async callable) handed to a thread:
  ``asyncio.to_thread(save, p)`` becomes ``save(p)``, still awaited where the program
  dropped what the thread gave (``await asyncio.to_thread(save, p)``, a statement); where it
  uses it (``coro = await asyncio.to_thread(save, p)``, then ``await coro``), the await goes
  too: ``save(p)`` gives the coroutine the thread gave;
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
        if finding.code == _NEEDLESS or self._kept(original):
            self._unawait.add(original)
        return new.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def _kept(self, call: cst.Call) -> bool:
        """Whether the program uses what the awaited bridge ``call`` gives: its await is no
        statement of its own."""
        up = self.parent(call)
        return isinstance(up, cst.Await) and not isinstance(self.parent(up), cst.Expr)

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await):
        if original_node.expression in self._unawait:  # a call needs no parentheses
            return updated_node.expression
        return updated_node
