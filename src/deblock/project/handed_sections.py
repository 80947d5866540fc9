"""Sections that move a parameter's state into a thread while the caller's module writes it.

A coroutine's section of safe fixes may move its parameter's state into a worker thread
(``owner.count = n + 1`` of ``async def bump(owner, ...)``, ``FunctionSummary.moves``);
its module weighs it against its own code on the event loop. Another module awaiting it
hands it its own state (``await helpers.bump(self, ...)``: ``owner.count`` is the caller's
``self.count``, ``CallSite.arguments``); when that module writes it
(``FunctionSummary.loop_writes``: ``self.count += 1`` in the caller's class), its write on
the loop may come between the thread's read and its write, as no interleaving of the
original let it: the section's safe fixes are declined, offered as unsafe. So too when the
coroutine the caller awaits hands its parameter on to the one whose section moves it.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.atomic_runs import ARGUMENT
from deblock.analysis.section_partners import ANY, PARAMETER
from deblock.analysis.summary import CallSite
from deblock.project.index import ProjectIndex
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def handed_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the lines of sections moving a parameter's state that a caller in another
    module hands and writes."""
    index = ProjectIndex(source)
    moves = _Moves(index)
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in source.summaries:
        for qualname, function in summary.functions.items():
            if not function.loop_writes:
                continue
            for site, callee in index.awaited_as(qualname):
                parameters = index.function(callee)[1].parameters
                for path, first, last, key, mover, moved in moves.of(callee):
                    mine = handed_key(site, parameters, key)
                    if path != summary.path and mine and _written(mine, function.loop_writes):
                        caller = qualname.rpartition(".")[2]
                        why = (
                            f"`{moved}` is the caller's `{mine}` (`{caller}`, "
                            f"{summary.path}:{site.line}), which `{summary.module}` writes "
                            "on the event loop, beside the worker thread"
                        )
                        spans[path].append((first, last, why, mover, None))
    return spans


class _Moves:
    """The parameters' state each coroutine's sections move, or those of the coroutines it
    awaits handing them its parameters' (``helpers.count(owner)`` awaiting
    ``bump(owner)``)."""

    def __init__(self, index: ProjectIndex):
        self.index = index
        self._of: dict[str, tuple] = {}

    def of(self, qualname: str) -> tuple[tuple[str, int, int, str, str, str], ...]:
        """(path, first line, last line, the state as ``qualname`` names its parameter's,
        ``owner.count``, the coroutine whose section moves it and its name there) of each
        such section."""
        if qualname not in self._of:
            self._of[qualname] = ()  # a cycle of awaits adds nothing more
            summary, function = self.index.function(qualname)
            found = [
                (summary.path, first, last, key[1:], qualname, key[1:])
                for first, last, key, _ in function.moves
            ]
            for site, callee in self.index.awaited_as(qualname):
                parameters = self.index.function(callee)[1].parameters
                for path, first, last, key, *mover in self.of(callee):
                    mine = handed_key(site, parameters, key)
                    if mine and mine.startswith(ARGUMENT):
                        found.append((path, first, last, mine[1:], *mover))
            self._of[qualname] = tuple(found)
        return self._of[qualname]


def handed_key(site: CallSite, parameters: tuple[str, ...], key: str) -> str | None:
    """The caller's state that the state ``key`` of a parameter of a coroutine (``owner.x``,
    ``log``; ``parameters``: those its arguments bind by place) is, passed at call ``site``
    (``CallSite.arguments``): the parameter's ``x`` is ``self.x`` when the caller passes its
    instance, its own parameter's ``x`` when it passes that parameter whole; the whole
    argument otherwise (``self.log``, a global); None when the argument is none of its
    state."""
    name, _, attribute = key.partition(".")
    passed = dict(site.arguments)
    place = f"#{parameters.index(name)}" if name in parameters else None
    argument = passed.get(place) or passed.get(name)
    if argument == "self":
        return f"self.{attribute or ANY}"
    whole = argument and argument.startswith(ARGUMENT) and "." not in argument
    return f"{argument}.{attribute}" if whole and attribute else argument


def _written(state: str, written: tuple[str, ...]) -> bool:
    """Whether the caller's module writes ``state`` (``self.x``, ``self.*``: any of it, or
    all of it written, ``self.*`` handed to other code; a
    parameter's ``@p.x``: ``x`` of any instance), of its ``written``
    (``FunctionSummary.loop_writes``)."""
    if state.endswith(f".{ANY}"):
        return any(w.startswith(state[:-1]) for w in written)
    if state.startswith("self.") and f"self.{ANY}" in written:
        return True
    if state.startswith(ARGUMENT):
        state = f"{PARAMETER}.{state.partition('.')[2]}"
    return state in written
