"""The section planner's chains: runs of a coroutine that run on into each other across the
edges of blocks (``joined_chains``), the fixes an await among them would wrong, and the turns
they take at an ordered lock (mixed into ``sections.SectionPlanner``).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.free_locks import ORDERED_SHOWN
from deblock.analysis.joined_runs import in_body, joined_chains, preceding
from deblock.analysis.nodes import own_nodes
from deblock.analysis.shared_state import WRITE
from deblock.analysis.statement_runs import statement_runs
from deblock.analysis.zero_sleeps import zero_sleeps
from deblock.rules.resources import shown_resource

if TYPE_CHECKING:
    pass


class SectionChains:
    """Weighs the chains of a coroutine's runs (``SectionPlanner``'s)."""

    def keep_chains(self) -> None:
        """Weigh each chain of runs that run on into each other across the edges of blocks
        (``joined_chains``): its fixes (``_keep_joined``, ``_keep_reentered``; ``_keep_slept``
        for those across a zero sleep, but in a lone test, whose statements no other task
        runs), and the turns it takes at an ordered lock (``turns``)."""
        touched: dict[int, dict[str, list[str]]] = {}
        ordered = self.record.ordered_locks
        before = preceding(self.function.body) if len(ordered) > 1 else {}
        zeros = zero_sleeps(self.record, self.callees.get) if self.record.suspensions else []
        for chain, block, by_lock in joined_chains(
            self.function.body, self.segments, ordered, self.record.plain_withs, zeros
        ):
            if block.__class__ is ast.Expr:  # a zero sleep's
                if not self.lone:
                    self._keep_slept(chain, block)
                continue
            ends = []
            for run in (chain[0], chain[-1]):
                if id(run) not in touched:
                    touched[id(run)] = self.run_accesses(run)
                ends.append(touched[id(run)])
            self._keep_joined(chain, ends, block, by_lock)
            self._keep_reentered(chain, ordered, before)

    def run_accesses(
        self, run: list[ast.stmt], private: frozenset[str] = frozenset()
    ) -> dict[str, list[str]]:
        """Each resource the statements of ``run`` touch, with one mode per access;
        ``private``: more names of temporary files than ``self.private``, such as
        parameters a caller handed its own."""
        touched: dict[str, list[str]] = {}
        for statement in run:
            for resource, modes in self._accesses(statement, private).items():
                touched.setdefault(resource, []).extend(modes)
        return touched

    def _keep_joined(
        self,
        chain: list[list[ast.stmt]],
        touched: list[dict[str, list[str]]],
        block: ast.stmt,
        by_lock: bool,
    ) -> None:
        """Decline the safe fixes of a chain of runs that run on into each other across the
        edges of blocks (``joined_chains``, from ``block``; ``by_lock``: in one order, around
        an ``asyncio.Lock``) when its first and last runs (what they touch: ``touched``)
        both touch a resource and one of them writes it, or both read one that other tasks
        may change, or each touches another that they may change (``_contended``): no
        section holds them, and a fix's await in any of its runs would let other tasks in
        between; but for those in the lock's body, where no other holder comes in."""
        paired = self._paired(touched)
        if paired is None:
            return
        does, says = paired
        if any(block is lock for lock in self.record.ordered_locks):
            self.turns.append((block, says))
        why = (
            f"the statements that {does} run on into each other across the "
            f"edge of the block at line {block.lineno}, with no await between: no section "
            "can hold them, and an await there would let other tasks in"
        )
        span = (block.body[0].lineno, block.body[-1].end_lineno) if by_lock else (0, -1)
        inside = [span[0] <= run[0].lineno <= span[1] for run in chain]
        if by_lock:
            where = f"{'in' if inside[0] else 'before'} and {'in' if inside[-1] else 'after'}"
            again = ""
            if chain[0] is chain[-1]:  # come back to at the loop's next round
                where = "in" if inside[0] else "before"
                again = f" and {where} it at the loop's next round"
            why = (
                f"the statements that {does} {where} the `async with` at line "
                f"{block.lineno}{again}, on {ORDERED_SHOWN} that hands itself on in the order it "
                "was asked, come in one order across tasks: an await there would let other "
                "tasks' come in between"
            )
        runs = [run for run, held in zip(chain, inside, strict=True) if not held]
        for node in (n for run in runs for s in run for n in own_nodes(s) if n in self.found):
            if self.findings[self.found[node]].strategy is not None:
                self.decline(self.found[node], why, unsafe=True)

    def _paired(self, touched: list[dict[str, list[str]]]) -> tuple[str, str] | None:
        """What two pieces of a coroutine (``touched``: what each touches) do that other
        tasks' same pieces may come between, when they both touch a resource and one of them
        writes it, or both read one that other tasks may change, or each touches another
        that they may change (``_contended``): the phrase after "the statements that", and
        after "the chain". None when they do nothing of the kind."""
        modes = {
            r: [*touched[0].get(r, []), *touched[1].get(r, [])] for r in (*touched[0], *touched[1])
        }
        both = touched[0].keys() & touched[1].keys()
        written = sorted(r for r in both if WRITE in modes[r])
        reread = sorted(r for r in both if self._contended(r, modes[r]))
        contended = [sorted(r for r in t if self._contended(r, modes[r])) for t in touched]
        pair = next(((a, b) for a in contended[0] for b in contended[1] if a != b), None)
        if written:
            shown = shown_resource(written[0])
            return f"read and write {shown}", f"reads and writes {shown}"
        if reread:
            shown = shown_resource(reread[0])
            return f"read {shown} twice", f"reads {shown} twice"
        if pair:
            shown = f"{shown_resource(pair[0])} and {shown_resource(pair[1])}"
            return f"touch {shown}", f"touches {shown}"
        return None

    def _keep_slept(self, chain: list[list[ast.stmt]], zero: ast.stmt) -> None:
        """Decline each safe fix in a chain of runs joined across zero sleeps (from the one
        at ``zero``; ``joined_chains``) whose await would come between statements of the
        chain that touch what other tasks' same statements touch (``_paired``), one of them
        in another run: tasks come back from a zero sleep in the order they went in, so
        every task's statements before it and after it come in one order, and the fix's
        await hands tasks on in the order their threads end. What the fix moves into its
        thread runs in that order too (the sections' lock is taken in any order), so it is
        weighed with the statements after it against the earlier runs. Its own run's
        statements before it, against those it moves and after, are its sections' to keep
        (``_segment``)."""
        for k, run in enumerate(chain):
            runs = [[s for r in chain[:k] for s in r], [s for r in chain[k + 1 :] for s in r]]
            for node in (n for s in run for n in own_nodes(s) if n in self.found):
                finding = self.findings[self.found[node]]
                if finding.strategy is None:
                    continue
                first = finding.section[0] if finding.section else finding.line
                head = [s for s in run if s.end_lineno < first]
                from_fix = [s for s in run if s.end_lineno >= first]
                paired = self._paired(
                    [self.run_accesses([*runs[0], *head]), self.run_accesses(runs[1])]
                ) or self._paired([self.run_accesses(runs[0]), self.run_accesses(from_fix)])
                if paired is not None:
                    why = (
                        f"the statements that {paired[0]} before and after the zero sleep at "
                        f"line {zero.lineno} (`asyncio.sleep(0)`), which hands tasks back in "
                        "the order they came, come in one order across tasks: an await "
                        "between them would let other tasks' come in between"
                    )
                    self.decline(self.found[node], why, unsafe=True)

    def _keep_reentered(
        self, chain: list[list[ast.stmt]], ordered: list[ast.AsyncWith], before: dict
    ) -> None:
        """Decline the safe fixes of a chain's runs from an ordered lock's body (or right
        after it) up to another ``async with`` on an asyncio lock (``lock_reentries.
        reentered``; ``before``: ``joined_runs.preceding``) whose body touches what other
        tasks may change (``_contended``): an await in the first body, or between the two,
        would change the order in which tasks come to the second."""
        from deblock.analysis.lock_reentries import before_second, reentered, reentry_reason

        found = reentered(chain, ordered, before)
        if found is None:
            return
        taken, again = found
        contended = self.contended_in(again.body)
        if not contended:
            return
        shown = shown_resource(contended[0])
        for run in before_second(chain, again):
            left = not in_body(taken, run[0])
            why = reentry_reason(
                f"it runs {'after' if left else 'in'}",
                taken.lineno,
                "the coroutine",
                again.lineno,
                "no await",
                shown,
                left,
            )
            for node in (n for s in run for n in own_nodes(s) if n in self.found):
                if self.findings[self.found[node]].strategy is not None:
                    self.decline(self.found[node], why, unsafe=True)

    def contended_in(self, statements: list[ast.stmt]) -> list[str]:
        """The resources ``statements`` touch that other tasks may change (``_contended``),
        sorted."""
        accesses = self.run_accesses(statements)
        return sorted(r for r, modes in accesses.items() if self._contended(r, modes))

    def reentries(self, sites: dict[ast.AST, int]) -> tuple[tuple, ...]:
        """The coroutine's runs from an ordered lock's body on into another ``async with``
        on an asyncio lock across its awaits of ``sites`` (its awaited call sites, by call),
        whose body touches what other tasks may change (``lock_reentries.awaited_reentries``)."""
        from deblock.analysis.lock_reentries import awaited_reentries

        suspensions = self.record.suspensions
        through = frozenset(n for n in suspensions if n.__class__ is ast.Await and n.value in sites)
        runs = statement_runs(self.record, through) if through else []
        return awaited_reentries(self.record, runs, through, self.contended_in)
