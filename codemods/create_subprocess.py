"""``create-subprocess`` (unsafe): wait for a child process without blocking the loop.

``subprocess.call(["git", "fetch"], cwd=repo)`` becomes
``await (await asyncio.create_subprocess_exec("git", "fetch", cwd=repo)).wait()``: both
return the exit status. ``subprocess.run([...])`` whose result is unused becomes the same.
The analyzer offers it only where the semantics carry over (``fix_shapes``: asyncio
modules, a literal argument list, no options besides ``cwd``/``env``); unsafe because a
cancelled coroutine no longer waits for the child.
"""

from __future__ import annotations

import libcst as cst

from .base import FindingCodemod
from .bridge import dotted
from .context import awaiting


class CreateSubprocessCommand(FindingCodemod):
    DESCRIPTION = "Run subprocess.call/run in coroutines with asyncio.create_subprocess_exec."
    STRATEGY = "create-subprocess"

    def rewrite_call(self, finding, original: cst.Call, updated: cst.Call):
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
