"""``async-for``: iterate with ``async for`` over an object that supports it.

``for note in Note.objects.filter(x):`` becomes ``async for note in Note.objects.filter(x):``
(a Django query set runs its query in a worker thread then); a list, set or dict
comprehension in the coroutine gets ``async for`` the same way, and a builtin that
consumes it gets a list made with ``async for``: ``list(qs)`` becomes
``[item async for item in qs]``, ``sorted(qs)`` ``sorted([item async for item in qs])``.
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod


class AsyncForCommand(FindingCodemod):
    DESCRIPTION = "Iterate with `async for` over objects that support it (Django query sets)."
    STRATEGY = "async-for"

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        return self._asynchronous(original_node, updated_node)

    def leave_CompFor(self, original_node: cst.CompFor, updated_node: cst.CompFor) -> cst.CompFor:
        return self._asynchronous(original_node, updated_node)

    def _asynchronous(self, original, updated):
        finding = self.finding_at(original.iter)
        if finding is None or original.asynchronous is not None:
            return updated
        self.done(finding)
        return updated.with_changes(asynchronous=cst.Asynchronous())

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call) -> cst.Call:
        return updated  # iterated by the call around it (``list(...)``), rewritten there

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        updated = super().leave_Call(original_node, updated_node)
        args = original_node.args
        finding = self.finding_at(args[0].value) if args else None
        if finding is None or not isinstance(updated, cst.Call):
            return updated
        item = cst.Name(self.fresh_name("item"))
        iterated = updated.args[0].value
        listed = cst.ListComp(
            elt=item, for_in=cst.CompFor(item, iterated, asynchronous=cst.Asynchronous())
        )
        self.done(finding)
        func = updated.func
        if isinstance(func, cst.Name) and func.value == "list" and len(updated.args) == 1:
            return listed
        first = updated.args[0].with_changes(value=listed)
        return updated.with_changes(args=[first, *updated.args[1:]])
