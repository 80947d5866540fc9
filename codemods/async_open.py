"""``async-open``: ``with open(...) as fh:`` in a coroutine, made non-blocking.

When every use of the handle in the block is a method call that can be awaited, the
block becomes ``async with aiofiles.open(...) as fh:`` with ``await fh.read()``
(``anyio.open_file``/``trio.open_file`` in modules on those libraries). When the handle
escapes to sync code (``json.dump(data, fh)``, ``for line in fh``), or the project does
not depend on aiofiles (its import would fail where aiofiles is not installed), the whole
block moves into a sync helper run with ``await asyncio.to_thread(...)``.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from deblock.findings import Finding
from deblock.rules import catalogue_with

from .base import FindingCodemod
from .blocks import movable, threaded
from .bridge import dotted
from .context import await_blocker, awaiting, is_awaited
from .imports import release

_OPEN_TWINS = ("builtins.open", "io.open")
_FILE = "io.IOBase."
# The catalogue's blocking file methods: aiofiles, anyio and trio await them all but
# iteration (``async for``), and add ``read1``.
_METHODS = frozenset(
    e.target.removeprefix(_FILE) for e in catalogue_with().entries if e.target.startswith(_FILE)
) - {"__iter__"} | {"read1"}
_ATTRIBUTES = frozenset({"name", "mode", "closed", "encoding", "errors", "newlines"})


class AsyncOpenCommand(FindingCodemod):
    DESCRIPTION = "Make `with open(...)` blocks in coroutines non-blocking."
    STRATEGY = "async-open"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[cst.With, tuple[bool, list[Finding]]] = {}
        self._to_await: set[cst.Call] = set()

    def visit_With(self, node: cst.With) -> bool:
        findings = [f for item in node.items if (f := self.finding_at(item.item))]
        if not findings:
            return True
        self.index(node)
        awaits = self._awaitable_uses(node, findings)
        if awaits is None:
            if movable(self, node, findings):
                self._plans[node] = (False, findings)
                return False  # the block moves to a thread untouched
            return True
        self._plans[node] = (True, findings)
        self._to_await.update(awaits)
        for call in awaits:
            self.also_visit(call)
        return True

    def _awaitable_uses(self, node: cst.With, findings: list[Finding]) -> list[cst.Call] | None:
        """The handle method calls to await, or ``None`` when the block must go to a thread."""
        if len(findings) < len(node.items) or node.asynchronous:
            return None
        if any(f.target not in _OPEN_TWINS for f in findings):
            return None
        if self.library == "asyncio" and not (self.imports is None or "aiofiles" in self.imports):
            return None  # the project does not depend on aiofiles: a thread needs nothing new
        awaits: list[cst.Call] = []
        for item in node.items:
            if item.asname is None:
                continue
            if not isinstance(item.asname.name, cst.Name):
                return None
            handle = item.asname.name.value
            for name in m.findall(node, m.Name(handle)):
                if name is item.asname.name:
                    continue
                call = self._awaitable_use(name)
                if call is False:
                    return None
                if call is not None:
                    awaits.append(call)
        return awaits

    def _awaitable_use(self, name: cst.Name) -> cst.Call | None | bool:
        """The call to await for one use of the handle; ``None`` for a plain attribute,
        ``False`` when the use escapes to sync code."""
        attribute = self.parent(name)
        if not isinstance(attribute, cst.Attribute) or attribute.value is not name:
            return False
        call = self.parent(attribute)
        if isinstance(call, cst.Call) and call.func is attribute:
            ok = attribute.attr.value in _METHODS and not is_awaited(call, self.parent)
            return call if ok and await_blocker(call, self.parent) is None else False
        return None if attribute.attr.value in _ATTRIBUTES else False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self._to_await:
            return awaiting(original_node, updated_node, self.parent)
        return updated_node

    def leave_With(self, original_node: cst.With, updated_node: cst.With):
        plan = self._plans.pop(original_node, None)
        if plan is None:
            return updated_node
        awaitable, findings = plan
        if awaitable:
            items = [
                item.with_changes(item=self._async_open(item.item)) for item in updated_node.items
            ]
            for finding in findings:
                self.done(finding)
            return updated_node.with_changes(asynchronous=cst.Asynchronous(), items=items)
        handle = updated_node.items[0].asname
        stem = handle.name.value if handle and isinstance(handle.name, cst.Name) else "file"
        return threaded(self, [original_node], [updated_node], findings, stem.lstrip("_"), _note)

    def _async_open(self, call: cst.Call) -> cst.BaseExpression:
        release(self, call.func)
        if self.library in ("trio", "anyio"):
            self.add_needed_import(self.library)
            return cst.Await(call.with_changes(func=dotted(f"{self.library}.open_file")))
        self.add_needed_import("aiofiles")
        return call.with_changes(func=dotted("aiofiles.open"))


def _note(finding: Finding) -> str:
    return (
        f"`{finding.target}` and the file I/O of this block run in a worker thread: "
        "the handle is used by sync code"
    )
