"""What a fix moves into a worker thread: the ``with`` blocks that must stay on the
event loop, an open block's form, and the call sites a fix moves."""

from __future__ import annotations

import ast

from deblock.analysis.fix_shapes import SECTION_STRATEGY, holds, takes_whole
from deblock.analysis.nodes import own_nodes
from deblock.analysis.open_blocks import OPEN_TARGETS, async_handles
from deblock.analysis.summary import CallSite, FunctionSummary
from deblock.analysis.thread_bound import first_bound
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.findings import Finding, decline
from deblock.rules.twins import LOOP_SIDE_STRATEGIES

# An ``open(...)`` the async-open fix cannot rewrite.
_NO_BLOCK = "it opens no `with` block of the coroutine: the file's fix rewrites only those"


class FixMoves:
    """The judge's blocks that stay and call sites that move."""

    def mark_blocks_that_stay(self, facts: ModuleFacts) -> None:
        """Tell the findings that open a ``with`` block that must stay on the event loop
        (it holds a call whose fix keeps it there, or what belongs to the loop's thread, or
        state the loop uses too, or it cannot leave the coroutine: ``move_blocker``): the
        block must not move into a thread. An ``async-open`` finding learns whether its
        block may open async files instead (``open_blocks``); one that opens no block has
        no fix."""
        at = {(f.line, f.col, f.end_line, f.end_col): i for i, f in enumerate(self.findings)}
        for function, block in ((f, b) for f in facts.functions for b in f.blocks):
            spans = (self._span(item.context_expr) for item in block.items)
            opened = [i for span in spans if (i := at.get(span)) is not None]
            if opened:
                from deblock.analysis.open_forms import staying

                alone = [i for i in opened if not _section_moves(self.findings[i], block)]
                reason = self._block_stays(function, block) if alone else None
                for i in alone if reason is not None else ():
                    self.findings[i] = staying(self.findings[i], reason)
                self._mark_open_block(function.node, block, opened)
        for i, finding in enumerate(self.findings):
            if self._opens_no_block(finding):
                self.findings[i] = decline(finding, finding.declined or _NO_BLOCK)

    def _opens_no_block(self, finding: Finding) -> bool:
        """Whether ``finding`` has an ``async-open`` fix but opens no ``with`` block (the
        fix rewrites only those), and no other finding's fix takes it along (a bridge whose
        fix was declined takes none, nor one whose arguments stay: ``nested_blocking``)."""
        from deblock.analysis.open_forms import STRATEGY as OPEN_STRATEGY

        return (
            finding.open_form is None
            and OPEN_STRATEGY in (finding.strategy, finding.unsafe_strategy)
            and not any(
                (o.line, o.col) <= (finding.line, finding.col)
                and (finding.end_line, finding.end_col) <= (o.end_line, o.end_col)
                for o in self.findings
                if o is not finding and o.nested_blocking and (o.strategy or o.unsafe_strategy)
            )
        )

    def _mark_open_block(self, function: ast.AST, block: ast.With, opened: list[int]) -> None:
        """Tell a block's ``async-open`` findings whether it may open async files (every
        item opens a file, ``open``, and every use of the handles can be awaited), and
        which lines the block holds."""
        from deblock.analysis.open_forms import ASYNC, THREAD
        from deblock.analysis.open_forms import STRATEGY as OPEN_STRATEGY

        mine = [
            i
            for i in opened
            if OPEN_STRATEGY in (self.findings[i].strategy, self.findings[i].unsafe_strategy)
        ]
        if not mine:
            return
        files = len(mine) == len(block.items) and all(
            self.findings[i].target in OPEN_TARGETS for i in mine
        )
        form = ASYNC if files and async_handles(function, block) else THREAD
        lines = (block.lineno, block.end_lineno)
        for i in mine:
            self.findings[i] = self.findings[i]._replace(open_form=form, block=lines)

    def _entered_block_stays(self, function: FunctionRecord, site: CallSite) -> str | None:
        """Why the ``with`` block whose context manager call ``site`` makes must stay on
        the event loop, as for the module's own findings (``_block_stays``)."""
        block = next(
            (
                b
                for b in function.blocks
                if any(self._span(i.context_expr) == site.span for i in b.items)
            ),
            None,
        )
        return None if block is None else self._block_stays(function, block)

    def _block_stays(self, function: FunctionRecord, block: ast.With) -> str | None:
        from deblock.analysis.moved_blocks import move_blocker
        from deblock.analysis.unbound import unbound_read

        start, end = self._span(block.body[0])[:2], self._span(block.body[-1])[2:]
        kept = next(
            (
                f
                for f in self.findings
                if LOOP_SIDE_STRATEGIES & {f.strategy, f.unsafe_strategy}
                and start <= (f.line, f.col)
                and (f.end_line, f.end_col) <= end
            ),
            None,
        )
        if kept is not None:
            shown = ".".join(kept.target.split(".")[-2:])
            return f"the block holds `{shown}`, whose fix keeps it on the event loop"
        nodes = set(own_nodes(block))
        bound = first_bound(nodes, self._bound(function).moves)
        if bound is not None:
            return f"in a thread, {bound}"
        unbound = unbound_read(function.node, [block], "the block binds")
        if unbound is not None:
            return unbound
        conflict = None if self._state is None else self._state.conflict(function.node, nodes)
        return conflict or move_blocker(function.node, block)

    def mark_moved_sites(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]) -> None:
        """Tell each call site that a fix (safe or unsafe) moves into a worker thread the
        line and column of that fix's finding (``CallSite.moved``): its section's, the
        ``with`` block it opens, or its call, whose receiver and arguments move with it
        (``takes_whole``: a lazy result listed in the thread too). The project pass
        withdraws the fix when the callee needs the event loop (``project.loop_bound``)."""
        movers = [f for f in self.findings if f.fixable]
        if not movers:
            return
        at = {(f.line, f.col, f.end_line, f.end_col): f for f in movers if not f.block_stays}
        whole = [f for f in movers if takes_whole(f)]
        for record in facts.functions:
            sites = functions[record.qualname].sites if record.is_async else ()
            if not sites:
                continue
            spans = [
                (f.section[0], f.section[1], f)
                for f in movers
                if f.section and record.line <= f.line <= functions[record.qualname].end_line
            ]
            for block in record.blocks:
                opener = next(
                    (f for i in block.items if (f := at.get(self._span(i.context_expr)))), None
                )
                if opener is not None:
                    spans.append((block.lineno, block.end_lineno, opener))  # its items too
            for site in sites:
                mover = next((f for first, last, f in spans if first <= site.line <= last), None)
                mover = mover or next((f for f in whole if holds(f, site)), None)
                if mover is not None:
                    site.moved = (mover.line, mover.col)


def _section_moves(finding: Finding, block: ast.With) -> bool:
    """Whether ``finding``'s fix is a section that moves ``block`` whole: whether the block
    could move alone does not matter then (the section was planned for what it holds)."""
    section = finding.section
    return (
        section is not None
        and SECTION_STRATEGY in (finding.strategy, finding.unsafe_strategy)
        and section[0] <= block.lineno
        and block.end_lineno <= section[1]
    )
