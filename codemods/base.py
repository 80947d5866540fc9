"""The base of every deblock codemod: map the analyzer's findings to LibCST nodes."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Sequence
from typing import ClassVar

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.metadata import ParentNodeProvider, PositionProvider

from deblock.analysis.modules import module_name
from deblock.findings import Finding

from .imports import edit_imports, names_in
from .own_names import Unshared
from .wrap import line_length, wrapped

Span = tuple[int, int, int, int]


def span_of(finding: Finding) -> Span:
    """A finding's place as LibCST counts it: 1-based lines, 0-based character columns."""
    return (finding.line, finding.col - 1, finding.end_line, finding.end_col - 1)


class FindingCodemod(VisitorBasedCodemodCommand):
    """Rewrites the findings whose fix strategy is ``STRATEGY``; decides nothing else.

    The engine hands the findings in; run by ``python -m libcst.tool codemod`` the command
    asks the analyzer itself. ``fixed`` lists the findings rewritten, ``declined`` the
    ones left with the reason.
    """

    STRATEGY: ClassVar[str]
    METADATA_DEPENDENCIES: ClassVar[tuple] = (PositionProvider,)
    # Skip statements holding no finding (their subtrees are left as they are).
    PRUNE: ClassVar[bool] = True

    def __init__(
        self,
        context: CodemodContext,
        findings: Sequence[Finding] | None = None,
        library: str | None = None,
        explain_bridges: bool = False,
        imports: frozenset[str] | None = None,
    ) -> None:
        super().__init__(context)
        self._given = findings
        self.library = library or "asyncio"
        self.imports = imports  # run alone: the packages a fix may import (None: any)
        self.bridge: str | None = None  # the project's own thread bridge, from the findings
        self.explain_bridges = explain_bridges
        self.fixed: list[Finding] = []
        self.declined: list[tuple[Finding, str]] = []
        self._targets: dict[Span, Finding] = {}
        self._notes: list[list[str]] = []
        self._names: set[str] | None = None
        self._starts: list[tuple[int, int]] = []
        self._needed: list[tuple[str, str | None, str | None]] = []
        self._parents: dict[cst.CSTNode, cst.CSTNode | None] = {}
        self._path: list[cst.CSTNode] = []
        self.released: set[str] = set()
        # Earlier helpers' names a move made their own: helper → names (own_names.py).
        self.unshared: dict[str, set[str]] = {}

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        findings = self._given
        if findings is None:
            findings = self._analyze(tree.code)
        self._targets = {
            span_of(f): f
            for f in findings
            if f.unfixable is None and self.STRATEGY in (f.strategy, f.unsafe_strategy)
        }
        if not self._targets:
            return tree
        self.bridge = next((f.bridge for f in self._targets.values() if f.bridge), None)
        self._starts = sorted((line, col) for line, col, _, _ in self._targets)
        return super().transform_module_impl(tree)

    def transform_module(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename or "."
        package = module_name(filename)[0].partition(".")[0]
        new = super().transform_module(tree)
        if self.unshared:
            new = new.visit(Unshared(self.unshared))
        new = edit_imports(tree, new, self._needed, self.released, package)
        if not self.fixed:
            return new
        return wrapped(new, tree.code, line_length(filename))

    def add_needed_import(
        self, module: str, obj: str | None = None, asname: str | None = None, relative: int = 0
    ) -> None:
        """Schedule ``import module`` / ``from module import obj`` / ``from module import
        obj as asname`` (see ``imports``; deblock's fixes use no relative imports)."""
        self._needed.append((module, obj, asname))

    def _analyze(self, code: str) -> list[Finding]:
        from deblock.analysis import AnalysisOptions
        from deblock.fixer.alone import analyze_alone

        given = None if self.library == "asyncio" else self.library
        path = self.context.filename or "<module>"
        findings, library = analyze_alone(code, path, AnalysisOptions(), self.imports, given)
        self.library = library or "asyncio"
        return findings

    def finding_at(self, node: cst.CSTNode) -> Finding | None:
        """The finding of this codemod's strategy that spans exactly ``node``."""
        pos = self.get_metadata(PositionProvider, node, None)
        if pos is None:
            return None
        return self._targets.get((pos.start.line, pos.start.column, pos.end.line, pos.end.column))

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The parent of a visited (or ``index``-ed) node of the original tree.

        Tracked during the walk: LibCST's ``ParentNodeProvider`` walks the whole module
        on every pass, which codemods that prune do not need.
        """
        if node in self._parents:
            return self._parents[node]
        if ParentNodeProvider in self.METADATA_DEPENDENCIES:
            return self.get_metadata(ParentNodeProvider, node, None)
        return None

    def index(self, node: cst.CSTNode) -> None:
        """Record the parents of the nodes below ``node`` before they are visited."""
        todo = [node]
        while todo:
            current = todo.pop()
            for child in current.children:
                self._parents[child] = current
                todo.append(child)

    def also_visit(self, node: cst.CSTNode) -> None:
        """Do not prune the statement holding ``node`` (a rewrite outside any finding)."""
        pos = self.get_metadata(PositionProvider, node)
        insort(self._starts, (pos.start.line, pos.start.column))

    def _holds_target(self, node: cst.CSTNode) -> bool:
        pos = self.get_metadata(PositionProvider, node)
        i = bisect_left(self._starts, (pos.start.line, pos.start.column))
        return i < len(self._starts) and self._starts[i] <= (pos.end.line, pos.end.column)

    def enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        """The innermost ``def`` around ``node``."""
        up = self.parent(node)
        while up is not None and not isinstance(up, cst.FunctionDef):
            up = self.parent(up)
        return up

    def fresh_name(self, stem: str) -> str:
        """A name not used anywhere in the module: ``stem``, ``stem_2``, ..."""
        if self._names is None:
            self._names = names_in(self.context.module.code) or set()
        name, n = stem, 1
        while name in self._names:
            n += 1
            name = f"{stem}_{n}"
        self._names.add(name)
        return name

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        finding = self.finding_at(original_node)
        if finding is None:
            return updated_node
        result = self.rewrite_call(finding, original_node, updated_node)
        if isinstance(result, str):
            self.decline(finding, result)
            return updated_node
        return result

    def rewrite_call(
        self, finding: Finding, original: cst.Call, updated: cst.Call
    ) -> cst.BaseExpression | str:
        """The fixed form of the call ``finding`` spans, or why there is none."""
        return "this codemod does not rewrite calls"

    def decline(self, finding: Finding, reason: str) -> None:
        self.declined.append((finding, reason))

    def done(self, finding: Finding, note: str | None = None) -> None:
        """Record a rewritten finding; ``note`` becomes a comment with ``--explain-bridges``."""
        self.fixed.append(finding)
        if note and self.explain_bridges and self._notes:
            self._notes[-1].append(note)

    # Bridge comments attach to the innermost statement holding the bridge.
    def on_visit(self, node: cst.CSTNode) -> bool:
        self._parents[node] = self._path[-1] if self._path else None
        self._path.append(node)
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self._notes.append([])
            # A def's or class's range leaves out its decorators: never pruned.
            if (
                self.PRUNE
                and not isinstance(node, (cst.FunctionDef, cst.ClassDef))
                and (not self._holds_target(node))
            ):
                return False
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):
        self._path.pop()
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            notes = self._notes.pop()
            if notes:
                result = with_comments(result, notes)
        return result


def with_comments(result, notes: list[str]):
    """``result`` with one ``# deblock: ...`` line per note above its last statement."""
    if isinstance(result, cst.FlattenSentinel):
        *head, last = result.nodes
        return cst.FlattenSentinel([*head, with_comments(last, notes)])
    if not isinstance(result, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return result
    comments = [cst.EmptyLine(comment=cst.Comment(f"# deblock: {note}")) for note in notes]
    return result.with_changes(leading_lines=[*result.leading_lines, *comments])
