"""What must stay on the event loop's thread: a coroutine's bound nodes, a sync
function's thread data, the process-wide changes a coroutine makes."""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cached_property

from deblock.analysis.nodes import last_name
from deblock.analysis.thread_bound import (
    FRAME_CALLS,
    Bound,
    first_bound_node,
    frame_bound_at,
    thread_bound,
)
from deblock.analysis.walker import FunctionRecord
from deblock.rules.resources import PROCESS_STATE_CALLS, call_bound


class LoopThread:
    """The judge's view of what belongs to the event loop's thread."""

    def _bound(self, record: FunctionRecord) -> Bound:
        """The nodes of coroutine ``record`` that must stay on the event loop's thread."""
        bound = self._bound_nodes.get(record.qualname)
        if bound is None:
            bound = thread_bound(
                record.own_code,
                self._callees,
                self._type_of(record),
                self.thread_locals,
                self._loop_of(record),
                self.context_attributes,
            )
            self._bound_nodes[record.qualname] = bound
        return bound

    def _thread_data(self, record: FunctionRecord) -> tuple:
        """(why, line): the first thing sync function ``record``'s own statements do, but
        the calls judged as they are summarised, that must run on the event loop's thread,
        if any: use thread-local data, change ``os.environ``, set a ``ContextVar`` its
        module holds in an attribute, read the exception its caller handles or let out a
        ``StopIteration`` (``frame_bound_at``). Only functions that can do any of it are
        read: of a module that can hold thread-local data or holds such a ``ContextVar``,
        that set an item in a module that imports ``os``, that call ``next`` or an
        exception reader."""
        found = []
        environ = record.sets_items and "os" in self.imported
        if self.thread_locals or environ or self.context_attributes:
            moves = self._bound(record).moves
            first = first_bound_node((n for n in moves if not self._judged(n)), moves)
            if first is not None:
                found.append((first.lineno, moves[first]))
        if any(_reads_frame_or_steps(c.node) for c in record.calls):
            frame = frame_bound_at(record.node.body, own_frame=False)
            if frame is not None:
                found.append((frame[1].lineno, frame[0]))
        if not found:
            return ()
        line, why = min(found)
        return why, line

    def _judged(self, node: ast.AST) -> bool:
        """Whether ``node`` is a call that a sync function's summary judges as it is made
        (``call_bound``, the async library's own code aside)."""
        return isinstance(node, ast.Call) and call_bound(self._callees.get(node) or "") is not None

    def _loop_of(self, record: FunctionRecord) -> Callable[[str], str | None]:
        """Why a sync function nested in ``record`` must run on the event loop's thread."""

        def loop_of(name: str) -> str | None:
            nested = self.functions.get(f"{record.qualname}.{name}")
            return nested.loop[0] if nested is not None and nested.loop else None

        return loop_of

    def _process_changes(self, record: FunctionRecord) -> dict[ast.AST, str]:
        """What coroutine ``record`` does that changes what the whole process sees
        (``Bound.process``); none unless it calls such a function, or sets or deletes an
        item in a module that names ``environ``."""
        if not (
            (record.sets_items and self._names_environ)
            or any(self._callees.get(c.node) in PROCESS_STATE_CALLS for c in record.calls)
        ):
            return {}
        return self._bound(record).process

    @cached_property
    def _names_environ(self) -> bool:
        return self.lines.mentions("environ")


def _reads_frame_or_steps(node: ast.AST) -> bool:
    """Whether call ``node`` may read the exception being handled (``traceback.format_exc()``,
    ``exc_info=True``) or step an iterator (``next``): worth a look with ``frame_bound_at``."""
    return isinstance(node, ast.Call) and (
        last_name(node.func) in FRAME_CALLS or any(k.arg == "exc_info" for k in node.keywords)
    )
