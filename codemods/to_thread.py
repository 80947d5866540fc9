"""``to-thread``: a blocking call runs in a worker thread, awaited by the coroutine.

``os.makedirs(p, exist_ok=True)`` becomes ``await asyncio.to_thread(os.makedirs, p,
exist_ok=True)``; an awaited sync call (it returns an awaitable) keeps its ``await``:
``await (await asyncio.to_thread(make_task, x))``; a method call bridges the bound method
(``await asyncio.to_thread(self.client.chat.completions.create, model=m)``); a lazy result
is materialised inside the thread (``lambda: list(...)``), and so is a call whose
receiver or arguments block too (``lambda: json.load(open(p))``); a blocking context manager
(``with tempfile.NamedTemporaryFile() as tmp:``) moves its whole block to a thread; an
``async with`` block stays, what makes its context manager runs in the thread
(``async with await asyncio.to_thread(Journal, p) as j:``).
trio and anyio modules get ``to_thread.run_sync`` (``functools.partial`` for keywords).
"""

from __future__ import annotations

import libcst as cst

from deblock.findings import Finding

from .base import FindingCodemod
from .blocks import threaded
from .bridge import deferred, materialised, thread_call
from .context import awaiting, is_awaited


def bridge_note(finding: Finding) -> str:
    """The ``--explain-bridges`` comment for a bridged finding."""
    return f"`{finding.target}` blocks ({finding.code}); it runs in a worker thread"


class ToThreadCommand(FindingCodemod):
    DESCRIPTION = "Run blocking calls in coroutines in a worker thread."
    STRATEGY = "to-thread"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._blocks: dict[cst.With, list[Finding]] = {}
        self._whole: set[cst.Call] = set()

    def visit_Call(self, node: cst.Call) -> bool:
        finding = self.finding_at(node)
        if finding is not None and finding.nested_blocking:
            self._whole.add(node)  # its blocking arguments go into the thread with it
        return True

    def visit_With(self, node: cst.With) -> bool:
        if node.asynchronous is not None:  # ``async with``: only what makes it is bridged
            return True
        findings = [f for item in node.items if (f := self.finding_at(item.item))]
        if findings:  # the analyzer declined those whose block must stay (block_stays)
            self._blocks[node] = findings
            return False  # the block moves to a thread untouched
        return True

    def leave_With(self, original_node: cst.With, updated_node: cst.With):
        findings = self._blocks.pop(original_node, None)
        if not findings:
            return updated_node
        return threaded(self, [original_node], [updated_node], findings, "block", bridge_note)

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
        if self._whole.intersection(self._path):
            return updated  # moved with the call around it
        plain = updated.with_changes(lpar=[], rpar=[])
        if finding.lazy_result:
            bridge = thread_call(self, self.library, materialised(plain))
        elif original in self._whole:
            bridge = thread_call(self, self.library, deferred(plain))
        else:
            bridge = thread_call(
                self, self.library, plain.func, plain.args, plain.whitespace_before_args
            )
        self.done(finding, bridge_note(finding))
        if is_awaited(original, self.parent):  # the coroutine awaited what the call returned
            return cst.Await(bridge, lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return awaiting(original, bridge, self.parent)
