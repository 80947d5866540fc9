"""``create-subprocess`` (unsafe): wait for a child process without blocking the loop.

``subprocess.call(["git", "fetch"], cwd=repo)`` becomes
``await (await asyncio.create_subprocess_exec("git", "fetch", cwd=repo)).wait()``: both
return the exit status. ``subprocess.run([...])`` whose result is unused becomes the same.
Applied only in asyncio modules, for a literal argument list and no options besides
``cwd``/``env``, where the semantics carry over; unsafe because a cancelled coroutine no
longer waits for the child.
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .bridge import dotted
from .context import awaiting

_KEYWORDS = frozenset({"cwd", "env"})


class CreateSubprocessCommand(FindingCodemod):
    DESCRIPTION = "Run subprocess.call/run in coroutines with asyncio.create_subprocess_exec."
    STRATEGY = "create-subprocess"

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
        reason = self._reason(finding.target, original)
        if reason:
            return reason
        command, *options = updated.args
        program = [cst.Arg(e.value) for e in command.value.elements]
        options = [o.with_changes(comma=cst.MaybeSentinel.DEFAULT) for o in options]
        self.add_needed_import("asyncio")
        spawn = cst.Await(
            cst.Call(dotted("asyncio.create_subprocess_exec"), [*program, *options]),
            lpar=[cst.LeftParen()],
            rpar=[cst.RightParen()],
        )
        self.done(finding)
        wait = cst.Call(cst.Attribute(spawn, cst.Name("wait")))
        return awaiting(original, wait, self.parent)

    def _reason(self, target: str, call: cst.Call) -> str | None:
        """Why the call's semantics would not carry over (``None`` when they do)."""
        if self.library != "asyncio":
            return "the module does not run on asyncio"
        if target == "subprocess.run" and not isinstance(self.parent(call), cst.Expr):
            return "its CompletedProcess result is used"
        if target not in ("subprocess.call", "subprocess.run"):
            return "only `subprocess.call` and `subprocess.run` carry over"
        command, *options = call.args or [None]
        if (
            command is None
            or command.keyword
            or command.star
            or not isinstance(command.value, (cst.List, cst.Tuple))
            or any(isinstance(e, cst.StarredElement) for e in command.value.elements)
        ):
            return "the command is not a literal argument list"
        if any(o.keyword is None or o.keyword.value not in _KEYWORDS for o in options):
            return "it passes options besides `cwd` and `env`"
        return None
