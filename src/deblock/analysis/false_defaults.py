"""Parameters left to a false default (``icon=None``): a call that does not write one passes
a false constant as surely as ``f(icon=None)`` does, so the steps of the function that run
only when it is truthy do not run for that call. With them, what a function's calls hand
their callees (false constants, its own parameters, in-memory buffers, its instance's
attributes): handed on along the chains, and kept apart when the steps are summed up."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deblock.analysis.summary import FunctionSummary


def false_defaults(function: ast.AST, places: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """The names of each parameter of ``function`` whose default is a false constant: its
    own, and its place among the arguments a call writes (``places``: ``#0``), if any."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaulted = [
        *zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=True),
    ]
    return tuple(
        (a.arg, places[a.arg]) if a.arg in places else (a.arg,)
        for a, default in defaulted
        if default.__class__ is ast.Constant and not default.value
    )


def left_false(
    defaults: Sequence[tuple[str, ...]], positional: int, keywords: Sequence[str]
) -> tuple[str, ...]:
    """The names of the parameters of ``defaults`` (``false_defaults``) that a call passing
    ``positional`` arguments by place (-1: not known) and ``keywords`` does not write."""
    if positional < 0 or not defaults:
        return ()
    written = {*keywords, *(f"#{i}" for i in range(positional))}
    return tuple(name for names in defaults if written.isdisjoint(names) for name in names)


def handed_on(passes: dict, handed: dict, step: tuple[str, int], falsy: tuple[str, ...]) -> tuple:
    """The parameters of the callee of ``step`` (callee, line) it passes a false constant:
    one written (``passes``, by step), or one of the caller's own (``falsy``) handed on
    (``handed``: ``FunctionSummary.forwards`` by step). So too for what else a caller's
    parameter may be handed: an in-memory buffer (``buffers``), an event loop."""
    on = tuple(name for name, own in handed.get(step, ()) if any(n in falsy for n in own))
    return passes.get(step, ()) + on


def first_per_callee(summary: FunctionSummary) -> list[tuple[str, int, bool]]:
    """One step of ``summary.calls`` per callee, false keywords passed (``passes``),
    parameters handed on (``forwards``), in-memory buffers (``buffers``) and attributes of
    the instance handed (``handed_self``): the first that always runs, else the first."""
    facts = (summary.passes, summary.forwards, summary.buffers, summary.handed_self)
    by_step = [{(callee, line): value for callee, line, value in steps} for steps in facts]
    chosen: dict[tuple, tuple[str, int, bool]] = {}
    for step in summary.calls:
        key = (step[0], *(known.get(step[:2], ()) for known in by_step))
        known = chosen.get(key)
        if known is None or (step[2] and not known[2]):
            chosen[key] = step
    return sorted(chosen.values(), key=lambda step: step[1])
