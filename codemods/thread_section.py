"""``thread-section``: statements that must stay atomic move into one worker thread together.

The analyzer marks a section (its first and last line) when a coroutine's statements read
and write a shared resource between two awaits, or make and use a thread-affine value:
bridging each call on its own would let other tasks run between them (or use a sqlite3
connection from another thread). The statements move into one sync helper, run in a
worker thread under the module's ``threading.Lock`` (one for all its sections, the one an
earlier fix made when there is one): one section of the module runs at a time, as on the
event loop, so two coroutines that update the same file (add and remove) stay serialised
too, whether they were fixed in one run or in two:

    _sections_lock = threading.Lock()

    async def append(path, event):
        def _append_in_thread():
            with _sections_lock:
                with open(path) as fh:
                    data = json.load(fh)
                ...
        await asyncio.to_thread(_append_in_thread)

A section that only makes and uses handles of its own (``Finding.unshared``: a temporary
file, a database in memory, a client) shares nothing with other calls: it takes no lock.
A module whose findings name a common lock (``Finding.lock``: the project pass gave the
sections of several modules of one package one lock) imports it instead, ``from
pkg._deblock_lock import lock as _sections_lock``, in place of a lock an earlier fix made.
"""

from __future__ import annotations

import re
from functools import partial

import libcst as cst
import libcst.matchers as m
from libcst.metadata import PositionProvider

from deblock.findings import Finding
from deblock.rules.resources import FIX_HELPER, LOCK_MODULE, LOCK_NAME

from .base import FindingCodemod
from .blocks import threaded

_LOCK = "_sections_lock"
_LOCK_NAME = re.compile(rf"{_LOCK}(?:_\d+)?")
_LOCK_ASSIGNMENT = m.SimpleStatementLine(
    [
        m.Assign(
            [m.AssignTarget(m.Name())],
            m.Call(m.Attribute(m.Name("threading"), m.Name("Lock")), args=[]),
        )
    ]
)

_COMMON_IMPORT = m.SimpleStatementLine(
    [
        m.ImportFrom(
            module=m.Attribute(attr=m.Name(LOCK_MODULE)),
            names=[m.ImportAlias(m.Name(LOCK_NAME), asname=m.AsName(m.Name()))],
            relative=[],
        )
    ]
)


def section_note(finding: Finding) -> str:
    """The ``--explain-bridges`` comment for a section."""
    first, last = finding.section
    turns = "" if finding.unshared else ", one call at a time"
    return f"lines {first}-{last} {finding.section_reason}; they run in one worker thread{turns}"


class ThreadSectionCommand(FindingCodemod):
    DESCRIPTION = "Move statements that must stay atomic into one locked worker thread."
    STRATEGY = "thread-section"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sections: dict[tuple[int, int], list[Finding]] = {}
        self._lock: str | None = None
        self._made_lock = False  # whether this rewrite adds the lock (none was there)
        self._common: str | None = None  # the module of the package's common lock, if any
        self._rebound: int | None = None  # the top-level index of a lock it replaces
        self._tops: set[cst.CSTNode] = set()  # top-level statements holding sections
        self._spans: set[tuple[int, int]] = set()  # every section's lines

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        given = self._given if self._given is not None else self._analyze(tree.code)
        self._given = given
        for finding in given:
            if self.STRATEGY in (finding.strategy, finding.unsafe_strategy) and finding.section:
                self._sections.setdefault(finding.section, []).append(finding)
                self._common = self._common or finding.lock
        self._spans = set(self._sections)
        return super().transform_module_impl(tree)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        return updated_node  # whole statements move, in leave_IndentedBlock

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        lines = [self._lines(s) for s in original_node.body]
        body: list[cst.BaseStatement] = []
        i = 0
        while i < len(lines):
            first = lines[i][0]
            ends = [j for j in range(i, len(lines)) if (first, lines[j][1]) in self._sections]
            if not ends:
                body.append(updated_node.body[i])
                i += 1
                continue
            j = ends[0]
            findings = self._sections.pop((first, lines[j][1]))
            body.extend(
                self._moved(
                    original_node.body[i : j + 1], updated_node.body[i : j + 1], findings
                ).nodes
            )
            i = j + 1
        return updated_node.with_changes(body=body)

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.If:
        """A section that is an ``elif`` (with what follows it) moves under an ``else``."""
        branch = original_node.orelse
        if not isinstance(branch, cst.If) or self._lines(branch) not in self._sections:
            return updated_node
        findings = self._sections.pop(self._lines(branch))
        moved = updated_node.orelse.with_changes(leading_lines=[])
        nodes = self._moved([branch], [moved], findings).nodes
        otherwise = cst.Else(cst.IndentedBlock(list(nodes)), leading_lines=branch.leading_lines)
        return updated_node.with_changes(orelse=otherwise)

    def _lines(self, statement: cst.CSTNode) -> tuple[int, int]:
        pos = self.get_metadata(PositionProvider, statement)
        return pos.start.line, pos.end.line

    def _moved(self, original, updated, findings: list[Finding]) -> cst.FlattenSentinel:
        function = self.enclosing_function(original[0])
        stem = function.name.value.strip("_") or "section"
        span = findings[0].section

        def moved(node: cst.CSTNode) -> bool:  # in another section of this rewrite
            line = self.get_metadata(PositionProvider, node).start.line
            return any(first <= line <= last for first, last in self._spans - {span})

        guard = None if findings[0].unshared else partial(self._guard, function)
        return threaded(self, original, updated, findings, stem, section_note, guard, moved)

    def _guard(self, function: cst.FunctionDef) -> cst.Name:
        """The module's sections' lock (made or imported on the first section that moves),
        noting the top-level statement holding ``function`` for the lock's place."""
        if self._lock is None:
            self._lock = self._existing_lock()
        if self._lock is None:
            self._lock = self.fresh_name(_LOCK)
            self._made_lock = self._common is None
            if self._common is None:
                self.add_needed_import("threading")
            else:
                self.add_needed_import(self._common, LOCK_NAME, self._lock)
        top = function
        while not isinstance(self.parent(top), cst.Module):
            top = self.parent(top)
        self._tops.add(top)
        return cst.Name(self._lock)

    def _existing_lock(self) -> str | None:
        """The lock an earlier fix gave the module's sections, if any: ``_sections_lock =
        threading.Lock()`` at its top level (rebound to the common lock when the sections
        take one), or the common lock's import, used only by the ``with`` of thread helpers
        a fix made (a lock of the program's own might be held where a section would wait)."""
        module = self.context.module
        for i, statement in enumerate(module.body):
            name = self._lock_bound(statement)
            if name is None or not _LOCK_NAME.fullmatch(name):
                continue
            guard = m.With(items=[m.WithItem(m.Name(name))])
            helpers = [
                f for f in m.findall(module, m.FunctionDef()) if FIX_HELPER.fullmatch(f.name.value)
            ]
            guarded = sum(len(m.findall(f.body, guard)) for f in helpers)
            if len(m.findall(module, m.Name(name))) != 1 + guarded:
                continue
            if self._common is not None and m.matches(statement, _LOCK_ASSIGNMENT):
                self._rebound = i
                self.add_needed_import(self._common, LOCK_NAME, name)
                self.released.add("threading")
            return name
        return None

    def _lock_bound(self, statement: cst.CSTNode) -> str | None:
        """The name a lock statement binds: ``NAME = threading.Lock()``, or ``from M import
        lock as NAME`` (``M``: any module holding a common lock)."""
        if m.matches(statement, _LOCK_ASSIGNMENT):
            return statement.body[0].targets[0].target.value
        if m.matches(statement, _COMMON_IMPORT):
            return statement.body[0].names[0].asname.name.value
        return None

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self._rebound is not None:
            body = list(updated_node.body)
            del body[self._rebound]
            return updated_node.with_changes(body=body)
        if not self._made_lock:
            return updated_node
        body = list(updated_node.body)
        first = next(i for i, stmt in enumerate(original_node.body) if stmt in self._tops)
        assign = cst.Assign(
            [cst.AssignTarget(cst.Name(self._lock))], cst.parse_expression("threading.Lock()")
        )
        comments = [line for line in body[first].leading_lines if line.comment is not None]
        blank = [cst.EmptyLine(), cst.EmptyLine()]
        body[first] = body[first].with_changes(leading_lines=[*blank, *comments])
        body.insert(first, cst.SimpleStatementLine([assign], leading_lines=blank))
        return updated_node.with_changes(body=body)
