"""Loops over shared state that an await in their body would open to other tasks.

``for key, path in self.pending.items(): os.remove(path)`` runs to its end on the event
loop: no other task can change ``self.pending`` meanwhile. An await a fix adds in the body
lets other tasks run at every step: a dict or set changed during the iteration raises
``RuntimeError``, a list skips or repeats items, and the loop sees what it never saw on
the loop. So the body of such a loop (or a comprehension) is no place for an await when
the module's code writes what it iterates (``ModuleState``). A loop that already awaits
allowed all that.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.nodes import SCOPES
from deblock.analysis.shared_state import ModuleState

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord

# Builtins that take what they are given whole before the loop starts.
_MATERIALISING = frozenset({"list", "tuple", "sorted", "set", "frozenset", "dict"})


class SharedIterations:
    """The loops of coroutine ``record`` that an await at a line would open to other
    tasks; ``state()``: the module's uses of shared state, made only when a loop around a
    line in question iterates some."""

    def __init__(self, record: FunctionRecord, state: Callable[[], ModuleState]):
        self.record, self.state = record, state
        self._why: dict[ast.AST, str | None] = {}

    @cached_property
    def _loops(self) -> list[tuple[ast.AST, list[ast.expr], tuple[int, int]]]:
        return _own_loops(self.record)

    def why(self, line: int, section: tuple[int, int] | None) -> str | None:
        """Why an await at ``line`` (in ``section``, which may take a whole loop into its
        thread, where the await is outside it) would change the program, if it would."""
        for loop, iterables, (first, last) in self._loops:
            whole = (
                section is not None and section[0] <= loop.lineno <= loop.end_lineno <= section[1]
            )
            if first <= line <= last and not whole:
                if loop not in self._why:
                    self._why[loop] = self._reason(loop, iterables)
                if self._why[loop] is not None:
                    return self._why[loop]
        return None

    def _reason(self, loop: ast.AST, iterables: list[ast.expr]) -> str | None:
        """Why the loop must not await: it never suspends, and the module writes what it
        iterates."""
        start, end = (loop.lineno, loop.col_offset), (loop.end_lineno, loop.end_col_offset)
        if any(start <= (n.lineno, n.col_offset) <= end for n in self.record.suspensions):
            return None
        for iterated in (i for iterable in iterables for i in _iterated(iterable)):
            changed = self.state().writer(self.record.node, iterated)
            if changed is not None:
                resource, where, line = changed
                return (
                    f"the loop around it iterates `{resource}`, which `{where}` (line {line}) "
                    "changes: an await in its body would let that change come during the "
                    "iteration"
                )
        return None


def _own_loops(record: FunctionRecord) -> list[tuple[ast.AST, list[ast.expr], tuple[int, int]]]:
    """The coroutine's ``for`` loops and comprehensions (``FunctionRecord.loops``), each with
    what it iterates and the lines that run at each step (a comprehension's all)."""
    loops = []
    for node in record.loops:
        if isinstance(node, ast.For):
            loops.append((node, [node.iter], (node.body[0].lineno, node.body[-1].end_lineno)))
        else:
            iterables = [generator.iter for generator in node.generators]
            loops.append((node, iterables, (node.lineno, node.end_lineno)))
    return loops


def _iterated(expr: ast.expr) -> list[ast.expr]:
    """What a ``for`` steps through as it goes: the object of ``x.items()``, the arguments
    of ``enumerate(x)`` or ``zip(a, b)``, or the expression itself; nothing that a builtin
    takes whole first (``list(x)``, ``sorted(x)``)."""
    if not isinstance(expr, ast.Call):
        return [expr] if not isinstance(expr, SCOPES) else []
    if isinstance(expr.func, ast.Attribute):
        return [expr.func.value]
    if isinstance(expr.func, ast.Name) and expr.func.id not in _MATERIALISING:
        return [a for arg in expr.args for a in _iterated(arg)]
    return []
