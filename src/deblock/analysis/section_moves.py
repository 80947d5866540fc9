"""The section planner's moves: the facts a section's findings carry, or why its statements
cannot move into a thread helper; handles' lifetimes as spans; what is left of a declined
section between its calls' own unsafe fixes (mixed into ``sections.SectionPlanner``).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.fix_shapes import SECTION_STRATEGY
from deblock.analysis.nodes import own_nodes, up_to_statement
from deblock.analysis.shared_state import READ
from deblock.analysis.statement_exits import (
    FROM_GENERATOR,
    generator_returns,
    jumps_out,
    returns_in,
)
from deblock.analysis.statement_runs import runs_apart
from deblock.analysis.temporary_files import bound_name
from deblock.analysis.thread_bound import first_bound, frame_bound
from deblock.findings import Finding
from deblock.rules import BY_CODE
from deblock.rules.resources import PRIVATE_FILE_CODES, RESOURCE_OF_CODE, SERVER, resource_of

if TYPE_CHECKING:
    pass


# Strategies whose fix keeps the call on the event loop because what it calls is shared
# with other tasks (a circuit breaker's state): such a call cannot ride along. (A twin's
# sync method can: in the thread it is the thread bridge, an unsafe fix.)
_SHARED_WITH_TASKS = frozenset({"call-async", "unwrap-bridge"})
# Families of project code that blocks: what it touches is not known here.
_OPAQUE_FAMILIES = frozenset({"twins", "project"})


# The phrase of a span that holds a handle's lifetime (``_lifetimes``).
_LIFETIME = "make and use "


def _makes_handle(finding: Finding) -> bool:
    """Whether the blocking call makes a handle on a file, a database or a server the
    standard library's clients talk to (a third-party protocol client's, pika's
    ``BlockingConnection``, is none: ``resource_of``)."""
    resource = RESOURCE_OF_CODE.get(finding.code)
    if resource == SERVER:
        return resource_of(finding.code, finding.target) is not None
    return resource is not None or finding.code in PRIVATE_FILE_CODES


class SectionMoves:
    """Makes a coroutine's sections, or declines them (``SectionPlanner``'s)."""

    def _opaque(self, statement: ast.stmt) -> bool:
        return any(
            self._opaque_finding(self.found[n]) for n in own_nodes(statement) if n in self.found
        )

    def _opaque_finding(self, index: int) -> bool:
        """Project code that blocks (a breaker runs what it is handed: not opaque)."""
        finding = self.findings[index]
        return BY_CODE[finding.code].family in _OPAQUE_FAMILIES and not (
            _SHARED_WITH_TASKS & {finding.strategy, finding.unsafe_strategy}
        )

    def _lifetimes(self, statements: list[ast.stmt]) -> list[tuple[int, int, str]]:
        """Handles a blocking call makes (a temporary file, a descriptor, a connection) that
        only blocking calls of this segment use: from the call to their last use."""
        spans = []
        for i, statement in enumerate(statements):
            if not isinstance(statement, ast.Assign) or statement.value not in self.found:
                continue
            if not _makes_handle(self.findings[self.found[statement.value]]):
                continue
            name = bound_name(statement, statement.value)
            where = {n: j for j, s in enumerate(statements) if j > i for n in own_nodes(s)}
            uses = [
                n
                for n in own_nodes(self.function)
                if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
            ]
            if name and uses and all(u in where and self._only_read_by_io(u) for u in uses):
                spans.append((i, max(where[u] for u in uses), f"{_LIFETIME}`{name}`"))
        return spans

    def _only_read_by_io(self, use: ast.Name) -> bool:
        """Whether a use of a value is a blocking call's, or reads one of its attributes."""
        parent = self.parents.get(use)
        if isinstance(parent, ast.Attribute) and not isinstance(self.parents.get(parent), ast.Call):
            return True  # ``tmp.name``
        return any(node in self.found for node in up_to_statement(use, self.parents))

    def _section(self, statements: list[ast.stmt], indices: list[int], phrases) -> None:
        reason = _phrase(phrases)
        inside = {n for s in statements for n in own_nodes(s)}
        span = (statements[0].lineno, statements[-1].end_lineno)
        # A thread-affine object leaving the section makes every fix wrong: none is offered.
        stranded = self._stranded(inside)
        blocker = None if stranded else self._blocker(statements, indices, inside)
        # Project code carried into the thread may not be thread-safe: the move is unsafe.
        carried = [i for i in indices if not self.findings[i].strategy or self._opaque_finding(i)]
        unsafe = None
        if carried:
            unsafe = (
                f"the statements that {reason} must stay atomic, and moving them into a "
                f"thread carries `{self.findings[carried[0]].target}`, which may not be "
                "thread-safe"
            )
        unshared = not carried and self._unshared(statements, phrases)
        if not (stranded or blocker):
            self.sections.append((indices, inside))
        ahead = self._free_head(statements) if blocker and not stranded else set()
        lazy_reads = self._lazy_reads(inside)
        for index in indices:
            self.placed.add(index)
            if stranded:
                self.decline(index, stranded)
            elif index in ahead:
                continue  # its own fix awaits before every access the section keeps
            elif blocker:
                why = f"the statements that {reason} must stay atomic, but {blocker}"
                self.decline(index, why, unsafe=True)
            else:
                self.findings[index] = self.findings[index]._replace(
                    strategy=None if unsafe else SECTION_STRATEGY,
                    unsafe_strategy=SECTION_STRATEGY if unsafe else None,
                    unfixable=None,
                    section=span,
                    section_reason=reason,
                    unshared=unshared,
                    declined=unsafe if self._own_fix_declined(index) else None,
                    lazy_reads=lazy_reads,
                )
        if blocker and not stranded:
            self.blocked.append(statements)
            entered, free = self._entered(inside)
            if free:
                self.free_turns.append(
                    (entered, f"takes it at once, between statements that {reason}")
                )

    def _unshared(self, statements: list[ast.stmt], phrases: list[str]) -> bool:
        """Whether a section only holds handles' lifetimes (``_lifetimes``) and shares
        nothing with other calls: its calls are its findings, on no resource (a temporary
        file, a database in memory, a client that reads the trust store), each handed what
        a lone thread bridge of it could be (``keep_shared_arguments``), and it reads no
        other state but parameters whole and the callables it calls. Its callers need not
        take turns: each makes and uses its own handles."""
        if not all(p.startswith(_LIFETIME) for p in phrases):
            return False
        for node in (n for s in statements for n in own_nodes(s)):
            if node.__class__ is ast.Call and (
                node not in self.found
                or next(self._resource_access(node), None)
                or self.module_state.handed(self.function, node)
            ):
                return False
            for _, mode in self.state.touches(node):
                if mode != READ or not self._read_whole(node):
                    return False
        return True

    def _read_whole(self, node: ast.AST) -> bool:
        """Whether ``node`` is a name read whole, or the callable of the call it is in, or
        a part of its dotted name (``urllib.request`` of ``urllib.request.urlopen(...)``)."""
        parent = self.parents.get(node)
        if node.__class__ is ast.Name:
            return parent.__class__ not in (ast.Attribute, ast.Subscript)
        while parent.__class__ is ast.Attribute:
            node, parent = parent, self.parents.get(parent)
        return parent.__class__ is ast.Call and parent.func is node

    def _free_head(self, statements: list[ast.stmt]) -> set[int]:
        """The findings of a section that cannot move whose own fixes await before all it
        keeps atomic (``section_heads.free_head``)."""
        from deblock.analysis.section_heads import free_head

        later = [self._accesses(s) for s in statements[1:]]
        if any(self._opaque(s) for s in statements):
            return set()  # project code that blocks may touch anything
        contended = lambda parts: self._contended_in(parts, [False] * len(parts))[1]  # noqa: E731
        head = free_head(statements[0], later, self._accesses, contended)
        return {self.found[n] for s in head for n in own_nodes(s) if n in self.found}

    def _own_fix_declined(self, index: int) -> bool:
        """Whether an unsafe section's reason is finding ``index``'s: it had a safe fix, or
        none of its own (its rule offers none); a rule's own unsafe fix keeps its reason."""
        finding = self.findings[index]
        return bool(finding.strategy or not finding.unsafe_strategy)

    def split_declined(self, findings: list[Finding], found: dict[ast.AST, int]) -> None:
        """Offer as unsafe what is left of each declined section between the calls in it
        with an unsafe fix of their own, once the module's analysis has settled every fix
        (``findings``, ``found``: the module's, sorted since). Each such fix adds an
        ``await`` that splits the section, and ``fix --unsafe-fixes`` analyses the rest
        anew: a section found there is fixed too (telethon 1.45.0's
        ``_FileStream.__aenter__``: ``os.path.getsize`` bridged alone left the ``open``
        beside it a section of its own, to which check had given no fix)."""
        self.findings, self.found = findings, {n: found[n] for n in self.found}
        for statements in self.blocked:
            nodes = [n for s in statements for n in own_nodes(s) if n in self.found]
            apart = [n for n in nodes if self.findings[self.found[n]].unsafe_fix_only]
            if apart and len(apart) < len(nodes):
                for run in runs_apart([statements], apart):
                    self._segment(run, split=True)

    def _split_section(
        self, statements: list[ast.stmt], indices: list[int], phrases: list[str]
    ) -> None:
        """A section of what is left of a declined one (``split_declined``), offered as
        unsafe when it can move, its calls' reason kept; else they stay as they are."""
        inside = {n for s in statements for n in own_nodes(s)}
        if self._stranded(inside) or self._blocker(statements, indices, inside):
            return
        for index in indices:
            self.findings[index] = self.findings[index]._replace(
                unsafe_strategy=SECTION_STRATEGY,
                unfixable=None,
                section=(statements[0].lineno, statements[-1].end_lineno),
                section_reason=_phrase(phrases),
            )

    def _entered(self, inside) -> tuple[ast.AsyncWith | None, bool]:
        """The first ``async with`` among the nodes ``inside`` a run (a free lock's, or a
        manager's that never suspends), and whether it takes a free lock."""
        locks = [n for n in inside if isinstance(n, ast.AsyncWith)]
        entered = min(locks, key=lambda n: (n.lineno, n.col_offset), default=None)
        if entered is None:
            return None, False
        body = (entered.body[0].lineno, entered.body[-1].end_lineno)
        return entered, any(r[:2] == body and not r[3] for r in self.record.free_locks)

    def _blocker(self, statements: list[ast.stmt], indices: list[int], inside) -> str | None:
        """Why these statements cannot move into a thread helper (``None`` when they can)."""
        from deblock.analysis.unbound import unbound_read

        for index in indices:
            finding = self.findings[index]
            if _SHARED_WITH_TASKS & {finding.strategy, finding.unsafe_strategy}:
                return f"`{finding.target}` must stay on the event loop"
        bound = first_bound((n for s in statements for n in own_nodes(s)), self.bound.moves)
        if bound is not None:
            return bound
        # in a run: a free lock's or a manager's that never suspends (``plain_managers``)
        entered, free = self._entered(inside)
        if entered is not None:
            why = "no holder of it ever waits inside it" if free else "its manager never awaits"
            return (
                f"they {'take' if free else 'enter'} `{ast.unparse(entered.items[0].context_expr)}`"
                f" (line {entered.lineno}) with `async with`, which stays on the event loop: "
                f"{why}, so it does not suspend and they run as one"
            )
        # The helper returns what they return; falling off its end must end the coroutine.
        ends = isinstance(statements[-1], ast.Return) or statements[-1] is self.function.body[-1]
        if returns_in(statements) and not ends:
            return "they return midway"
        if generator_returns(self.function, statements):
            return f"they return {FROM_GENERATOR}"
        if jumps_out(statements):
            return "they break out of or continue a loop around them"
        if not self.lines.fills_lines(statements[0], statements[-1]):
            return "they share their lines with code that stays: the fix moves whole lines"
        frame = frame_bound(statements)
        if frame is not None:
            return f"they use {frame}"
        lazy = self._lazy_left(inside)
        if lazy is not None:
            return lazy
        unheld = next((why for reads, why in self.unheld if reads <= inside), None)
        if unheld is not None:
            return f"{unheld} on the event loop, beside the worker thread"
        return unbound_read(self.function, statements, "they bind")


def _phrase(phrases: list[str]) -> str:
    """What a section's statements do, from its spans' phrases (``_segment``)."""
    made = [p.removeprefix(_LIFETIME) for p in phrases if p.startswith(_LIFETIME)]
    return " and ".join(
        [
            *dict.fromkeys(p for p in phrases if not p.startswith(_LIFETIME)),
            *([f"{_LIFETIME}{' and '.join(made)}"] if made else []),
        ]
    )
