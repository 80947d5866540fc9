"""An ordered lock's body run on, with no suspension, into another ``async with`` on an
asyncio lock.

A task holding an asyncio lock that some holder suspends in (``FunctionRecord.ordered_locks``)
and running its body through without an await leaves it and comes to the next ``async
with`` on an asyncio lock that it reaches with no suspension between (the ``finally`` right
after, a block after the first): the same lock, which it finds free and takes again
without suspending when no task waited for it meanwhile, its two bodies running as one
hold, or another, which it asks for while the tasks that came before it already wait
there. An await a fix adds in the first body keeps the first lock taken while other tasks
ask for it: on the same lock they come before the task's second body (the lock hands
itself on in the order it was asked; fix_fuzz ``--supers`` 196125); on another, they are
held back behind the first, and the task comes to the second before them. An await a fix
adds between the two blocks changes the order in which tasks come to the second too; a body
that ends with its await goes on the same way from there, so the run that starts right
after the block counts from it.

The body may run through awaits of the project's coroutines, which the module pass takes
as suspensions: one that never suspends runs whole, and a fix in it (or the coroutine's
own fix before it) adds the await (``awaited_reentries``; fix_fuzz ``--turns`` 267415).
Which of them never suspend is the project pass's to tell (``project.reentered_awaits``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from deblock.analysis.free_locks import ORDERED_SHOWN
from deblock.analysis.joined_runs import in_body, joined_chains, preceding
from deblock.analysis.positions import lines_within

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord


def reentered(
    chain: list[list[ast.stmt]], ordered: list[ast.AsyncWith], before: dict[int, ast.stmt]
) -> tuple[ast.AsyncWith, ast.AsyncWith] | None:
    """The ordered lock's block whose body holds the first of ``chain``'s runs (joined runs,
    ``joined_runs.joined_chains``), or that the run's first statement comes right after
    (``before``: ``joined_runs.preceding``; a body that ends with its await runs on there
    after it), and another ``async with`` on an asyncio lock whose body holds its last and
    not its first, the first's not its last; None if there are none."""
    if len(ordered) < 2:
        return None
    first, last = chain[0][0], chain[-1][0]
    holding = [
        block
        for block in ordered
        if (in_body(block, first) or before.get(id(first)) is block) and not in_body(block, last)
    ]
    for taken in holding:
        for again in ordered:
            if again is not taken and in_body(again, last) and not in_body(again, first):
                return taken, again
    return None


def before_second(chain: list[list[ast.stmt]], again: ast.AsyncWith) -> list[list[ast.stmt]]:
    """The runs of ``chain`` (``reentered``) that come before the second block's body: an
    await there would change the order in which tasks come to it."""
    return [run for run in chain if not in_body(again, run[0])]


def awaited_reentries(
    record: FunctionRecord,
    runs: list[list[ast.stmt]],
    through: frozenset[ast.AST],
    contended: Callable[[list[ast.stmt]], list[str]],
) -> tuple[tuple[int, int, tuple[int, ...], int, int, int, str], ...]:
    """(first line, last line, the lines of the awaits crossed, the first block's line, the
    last line of its body, the second's line, what its body touches) of each chain's runs
    before the second body (``before_second``) that run on across awaits of ``through``
    (coroutine ``record``'s awaits of the project's coroutines; ``runs``: its runs of
    statements with no other suspension, ``statement_runs``) from an ordered
    lock's body into another ``async with`` on an asyncio lock (``reentered``), whose body
    touches what other tasks may change (``contended``: those resources, sorted). The
    chains no such await crosses are the module pass's (``sections``)."""
    ordered = record.ordered_locks
    if len(ordered) < 2 or not through:
        return ()
    found = {}
    before = preceding(record.node.body)
    for chain, _, _ in joined_chains(record.node.body, runs, ordered):
        pair = reentered(chain, ordered, before)
        if pair is None:
            continue
        taken, again = pair
        runs_before = before_second(chain, again)
        within = [lines_within(run) for run in runs_before]
        crossed = tuple(sorted({n.lineno for n in through if any(w(n.lineno) for w in within)}))
        touched = contended(again.body) if crossed else ()
        if touched:
            first, last = runs_before[0][0].lineno, runs_before[-1][-1].end_lineno
            held = taken.body[-1].end_lineno
            found.setdefault((first, last, crossed, taken.lineno, held, again.lineno), touched[0])
    return tuple((*key, touched) for key, touched in found.items())


def reentry_reason(
    runs: str, taken: int, who: str, again: int, between: str, touched: str, left: bool = False
) -> str:
    """Why a fix that ``runs`` (``it runs in``) in the ``async with`` at line ``taken`` is
    declined: ``who`` (``the coroutine``) leaves it for the ``async with`` at line ``again``
    with ``between`` (``no await``) between, whose body touches ``touched`` (as a reason
    shows it); ``left``: the fix runs after the first block is left, among those awaits."""
    held = "" if left else "keep the first taken while other tasks ask for it, and "
    return (
        f"{runs} the `async with` at line {taken}, which {who} leaves for the `async with` at "
        f"line {again} with {between} between, on {ORDERED_SHOWN} that hands itself on in the "
        f"order it was asked: an await there would {held}change the order in which "
        f"{'tasks' if left else 'they'} come to the second, whose body touches {touched}"
    )
