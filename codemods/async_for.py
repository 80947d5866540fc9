"""``async-for``: iterate with ``async for`` over an object that supports it.

``for note in Note.objects.filter(x):`` becomes ``async for note in Note.objects.filter(x):``
(a Django query set runs its query in a worker thread then); a list, set or dict
comprehension in the coroutine gets ``async for`` the same way.
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
