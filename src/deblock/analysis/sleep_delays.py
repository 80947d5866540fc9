"""Whether an async sleep would take a ``time.sleep`` delay as ``time.sleep`` does.

``time.sleep`` raises ``ValueError`` for a negative or NaN delay; ``asyncio.sleep`` (and
anyio's, on asyncio) returns at once for a negative one and waits for ever for NaN. The
``sleep`` fix is safe only for a delay its syntax shows to be a number, neither negative
nor NaN: a literal, or what ``+``, ``*``, ``/``, ``//``, ``%`` and ``**`` make of such
delays, ``len(...)``, ``random.random()``, or a ``max`` whose first argument is one (a NaN
after it loses every comparison). Others keep the swap as an unsafe fix. (A delay past
``time.sleep``'s limit, some 292 years, raises ``OverflowError`` there and sleeps on in an
async sleep: not weighed.)
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

from deblock.analysis.scopes import Binding, Kind, Scope

_KEEPING = (ast.Add, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
# Calls giving a number that is neither negative nor NaN, with how many arguments.
_NON_NEGATIVE_CALLS = {"builtins.len": 1, "random.random": 0}
_DEPTH = 4  # how many names deep a delay is followed


def unproven_delay(
    call: ast.Call,
    scope: Scope,
    reaching: dict | None,
    callees: Callable[[ast.AST], str | None],
    text: Callable[[ast.AST], str],
) -> str | None:
    """Why the swap of ``time.sleep(...)`` call ``call`` (in ``scope``, ``reaching``: the
    bindings that reach it) for an async sleep may change what it does, if it may;
    ``callees(node)``: what a call resolves to, when known; ``text(node)``: its source."""
    delay = call.args[0] if len(call.args) == 1 and not call.keywords else None
    if delay is not None and _Delays(callees).non_negative(delay, scope, reaching, _DEPTH):
        return None
    shown = text(delay) if delay is not None else "its delay"
    return (
        f"`{shown}` may be negative or NaN: `time.sleep` raises `ValueError` for it, where "
        "`asyncio.sleep` returns at once (or waits for ever)"
    )


class _Delays:
    """Shows an expression a number, neither negative nor NaN, by its syntax: literals, what
    ``+ * / // % **`` make of such, ``len``, ``random.random()``, a ``max`` led by one, and
    names every binding of which reaching it is one, or an element of a ``range`` from one
    (stepping up)."""

    def __init__(self, callees: Callable[[ast.AST], str | None]):
        self.callees = callees

    def non_negative(self, expr: ast.expr, scope: Scope, reaching, depth: int) -> bool:
        if isinstance(expr, ast.Constant):
            value = expr.value
            return isinstance(value, int | float) and math.isfinite(value) and value >= 0
        if isinstance(expr, ast.UnaryOp):
            return isinstance(expr.op, ast.UAdd) and self.non_negative(
                expr.operand, scope, reaching, depth
            )
        if isinstance(expr, ast.BinOp):
            parts = (expr.left, expr.right)
            return isinstance(expr.op, _KEEPING) and all(
                self.non_negative(p, scope, reaching, depth) for p in parts
            )
        if isinstance(expr, ast.Call) and not expr.keywords:
            called = self.callees(expr)
            if called == "builtins.max":
                return bool(expr.args) and self.non_negative(expr.args[0], scope, reaching, depth)
            return _NON_NEGATIVE_CALLS.get(called) == len(expr.args)
        if isinstance(expr, ast.Name) and depth > 0:
            bindings = scope.lookup(expr.id, reaching)[0]
            return bool(bindings) and all(self._bound(b, depth - 1) for b in bindings)
        return False

    def _bound(self, binding: Binding, depth: int) -> bool:
        """Whether ``binding`` gives its name such a number."""
        expr, scope, reaching = binding.expr, binding.scope, binding.reaching
        if expr is None or scope is None:
            return False
        if binding.kind is Kind.VALUE:
            return self.non_negative(expr, scope, reaching, depth)
        if binding.kind is not Kind.ELEMENT or binding.part or not isinstance(expr, ast.Call):
            return False
        ranged = isinstance(expr.func, ast.Name) and scope.lookup(expr.func.id, reaching)[0]
        if not ranged or any(b.qualname != "builtins.range" for b in ranged) or expr.keywords:
            return False
        if len(expr.args) == 1:
            return True  # from 0 up
        steps = expr.args[::2] if len(expr.args) == 3 else expr.args[:1]  # start, step
        return all(self.non_negative(a, scope, reaching, depth) for a in steps)
