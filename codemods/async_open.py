"""``async-open``: ``with open(...) as fh:`` in a coroutine, made non-blocking.

The analyzer decides the form (``Finding.open_form``, see
``deblock.analysis.open_forms``): ``aiofiles.open`` makes the block ``async with
aiofiles.open(...) as fh:`` with ``await fh.read()`` (``anyio.open_file``/``trio.open_file``:
``async with await anyio.open_file(...) as fh:``); ``thread`` moves the whole block into a
sync helper run with ``await asyncio.to_thread(...)``.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst
import libcst.matchers as m

from deblock.analysis.open_forms import THREAD
from deblock.findings import Finding

from .base import FindingCodemod
from .blocks import inside, threaded
from .bridge import dotted
from .context import awaiting
from .imports import release


class AsyncOpenCommand(FindingCodemod):
    DESCRIPTION = "Make `with open(...)` blocks in coroutines non-blocking."
    STRATEGY = "async-open"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[cst.With, list[Finding]] = {}
        self._to_await: set[cst.Call] = set()

    def _findings(self, node: cst.With) -> list[Finding]:
        """The findings on the block's ``open`` (its first context manager that has one)."""
        return [f for item in node.items if (f := self.finding_at(item.item))]

    def visit_With(self, node: cst.With) -> bool:
        findings = self._findings(node)
        if not findings:
            return True
        self._plans[node] = findings
        if findings[0].open_form == THREAD:
            return False  # the block moves to a thread untouched
        self.index(node)
        calls = self._handle_calls(node)
        self._to_await.update(calls)
        for call in calls:
            self.also_visit(call)
        return True

    def _handle_calls(self, node: cst.With) -> list[cst.Call]:
        """The method calls on the block's handles (the analyzer found each one awaitable)."""
        handles = {item.asname.name for item in node.items if item.asname}
        names = {h.value for h in handles if isinstance(h, cst.Name)}
        calls = []
        for name in m.findall(node, m.Name()):
            attribute = self.parent(name)
            if not (isinstance(attribute, cst.Attribute) and attribute.value is name):
                continue
            call = self.parent(attribute)
            if name.value in names and isinstance(call, cst.Call) and call.func is attribute:
                calls.append(call)
        return calls

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self._to_await:
            return awaiting(original_node, updated_node, self.parent)
        return updated_node

    def leave_With(self, original_node: cst.With, updated_node: cst.With):
        findings = self._plans.pop(original_node, None)
        if findings is None:
            return updated_node
        form = findings[0].open_form
        if form != THREAD:
            items = [
                item.with_changes(item=self._async_open(item.item, form))
                for item in updated_node.items
            ]
            for finding in findings:
                self.done(finding)
            return updated_node.with_changes(asynchronous=cst.Asynchronous(), items=items)
        handle = updated_node.items[0].asname
        stem = handle.name.value if handle and isinstance(handle.name, cst.Name) else "file"
        return threaded(
            self,
            [original_node],
            [updated_node],
            findings,
            stem.lstrip("_"),
            _note,
            moved=self._in_other_thread_block(original_node),
        )

    def _in_other_thread_block(self, block: cst.With) -> Callable[[cst.CSTNode], bool]:
        """Whether a node is in another block of the coroutine (not of a function nested in
        it) that this rewrite moves into a thread: a name both bind is no local of the
        coroutine any more, and a ``nonlocal`` for it would find no binding."""
        body = self.enclosing_function(block).body
        nested = [[d] for d in m.findall(body, m.FunctionDef())]
        others = [
            [w]
            for w in m.findall(body, m.With())
            if w is not block
            and (f := self._findings(w))
            and f[0].open_form == THREAD
            and not any(inside(w, d, self) for d in nested)
        ]
        return lambda node: any(inside(node, w, self) for w in others)

    def _async_open(self, call: cst.Call, form: str) -> cst.BaseExpression:
        """``aiofiles.open(...)``, or ``await anyio.open_file(...)``/``trio``'s."""
        release(self, call.func)
        self.add_needed_import(form.partition(".")[0])
        opened = call.with_changes(func=dotted(form))
        return opened if form == "aiofiles.open" else cst.Await(opened)


def _note(finding: Finding) -> str:
    return (
        f"`{finding.target}` and the file I/O of this block run in a worker thread: "
        "the handle is used by sync code"
    )
