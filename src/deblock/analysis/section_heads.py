"""The head of a section that cannot move: what a ``with`` block runs before the rest.

A section whose statements must stay atomic but cannot move into a thread (its block calls
``super()`` without arguments, say) declines each finding in it. Yet a ``with`` block that
starts the section may first run statements whose awaits could come before every access
the atomicity is about: ``with open(path) as fh: text = fh.read(); super().apply(text)``,
then ``return len(self.text)``. The read's own fix awaits before the write of ``self.text``
and the read after it, which stay one run. That head (the block's items and its first body
statements) may keep its findings' own fixes when nothing it touches is contended (no task
may change it meanwhile) and nothing it touches is touched again in the rest of the
section. A finding in the block's items is not the head's: its fix changes the block, whose
exit comes after the rest of its body.
"""

from __future__ import annotations

import ast
from collections.abc import Callable


def free_head(
    block: ast.stmt,
    later: list[dict[str, list[str]]],
    accesses: Callable[[ast.AST], dict[str, list[str]]],
    contended: Callable[[list[dict[str, list[str]]]], list[str]],
) -> list[ast.stmt]:
    """The body statements of ``block`` (a section's first statement) whose findings keep
    their own fixes: the longest run of its first ones that, with its items, touch nothing
    ``contended`` (of all the section's accesses) and nothing the statements after them
    touch (``later``: the accesses of the section's statements after ``block``).
    ``accesses``: each resource a statement or a ``with`` item touches, with its modes."""
    if block.__class__ is not ast.With:
        return []
    parts = [accesses(p) for p in (*block.items, *block.body)]
    busy = set(contended(parts + later))
    items = len(block.items)
    for k in range(len(parts) - 1, items, -1):
        head = {r for touched in parts[:k] for r in touched}
        rest = {r for touched in (*parts[k:], *later) for r in touched}
        if not head & (busy | rest):
            return block.body[: k - items]
    return []
