"""``call-async``: a circuit breaker's sync ``call`` in a coroutine becomes ``call_async``.

``breaker.call(fn, *args)`` becomes
``await breaker.call_async(functools.partial(asyncio.to_thread, fn, *args))``: the
breaker awaits the thread, so a failure is still counted by the breaker. When ``fn`` is a
coroutine function (the analyzer says so, across modules too) it is awaited directly:
``await breaker.call_async(functools.partial(fn, *args))`` (or ``fn`` alone).
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .bridge import dotted, thread_call
from .context import awaiting


class CallAsyncCommand(FindingCodemod):
    DESCRIPTION = "Route circuit-breaker calls in coroutines through call_async."
    STRATEGY = "call-async"

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
        twin = (finding.twin or "call_async").rpartition(".")[2]
        fn, *rest = updated.args
        if finding.handed_coroutine:
            call = cst.Call(fn.value, rest)
        else:
            call = thread_call(self, self.library, fn.value, rest)
        self.done(
            finding,
            f"`{finding.target}` now awaits the protected call through "
            f"`{twin}`, in a worker thread when it is synchronous",
        )
        func = updated.func.with_changes(attr=cst.Name(twin))
        new = updated.with_changes(func=func, args=[cst.Arg(_deferred(self, call))])
        return awaiting(original, new, self.parent)


def _deferred(codemod: FindingCodemod, call: cst.Call) -> cst.BaseExpression:
    """A zero-argument callable making ``call``: ``fn`` itself, else ``functools.partial``."""
    if not call.args:
        return call.func
    codemod.add_needed_import("functools")
    args = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in call.args]
    return cst.Call(dotted("functools.partial"), [cst.Arg(call.func), *args])
