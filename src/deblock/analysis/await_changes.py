"""Safe fixes whose added await would change the program, declined (offered as
unsafe): cancellation, locks held, deliberate blocking, deadlines."""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import partial

from deblock.analysis.await_hazards import AwaitHazards
from deblock.analysis.cancellation import region_of, scope_regions
from deblock.analysis.state_splits import StateSplits, atomic_reason_at
from deblock.analysis.stateful_managers import exit_code
from deblock.analysis.statement_runs import statement_runs
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.timed_calls import timed_calls, timed_coroutines
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.findings import decline
from deblock.rules.resources import FILE_SYSTEM, PRIVATE_FILE_CODES, resource_of


class AwaitChanges:
    """The judge's calls an await would change, and their sites."""

    def _mark_timed_sites(
        self, deadlines: list[tuple[ast.Call, str]], functions: dict[str, FunctionSummary]
    ) -> None:
        """Tell the call sites whose coroutine runs under the caller's deadline which one
        (``CallSite.timed``): the project pass keeps that coroutine's calls sync."""
        if not deadlines:
            return
        sites = {site.span: site for function in functions.values() for site in function.sites}
        for call, shown in deadlines:
            site = sites.get(self._span(call))
            if site is not None:
                site.timed = shown

    def _file_call_on(self, first: int, last: int) -> str | None:
        """A call found on lines ``first`` to ``last`` that touches the file system (a
        coroutine's finding, or a sync function's blocking call), shown."""
        found = [(f.line, f.target) for f in self.findings if f.resource == FILE_SYSTEM]
        found += [
            (call.lineno, target)
            for code, target, call, _ in self._sync_io
            if resource_of(code, target) == FILE_SYSTEM
        ]
        return next((target for line, target in found if first <= line <= last), None)

    def _file_function(self, qualname: str) -> bool:
        """Whether ``qualname`` is a blocking function of the catalogue that touches the
        file system (a temporary file of its own too)."""
        entry = self.catalogue.blocking(qualname)
        if entry is None:
            return False
        return entry.code in PRIVATE_FILE_CODES or resource_of(entry.code, qualname) == FILE_SYSTEM

    def keep_calls_an_await_would_change(
        self,
        tree: ast.Module,
        facts: ModuleFacts,
        functions: dict[str, FunctionSummary],
        sites_kept: bool,
    ) -> None:
        """Decline, offered as unsafe, the safe fix of a call in cleanup code or a cancel
        scope (``cancellation``: the await it adds could be cancelled), one made while a
        thread lock is held (``held_locks``), or one whose comment says it blocks on
        purpose (``deliberate``), with every call of its section; and unwrapping a bridge
        where the code expects what it runs to raise (``expected_raises``: the bridge
        itself may be what raises). The call sites left to the project pass (``functions``)
        are told the same (``kept``), when ``sites_kept``."""
        reasons: dict[int | tuple[int, int], tuple[str, bool]] = {}  # by finding or section
        deadlines = timed_calls(facts.functions, self._callees, _scope_at(facts))
        self._mark_timed_sites(deadlines, functions)
        if not (self.findings or sites_kept):
            return  # no fix to decline, no site to tell (most modules: no docstring read)
        from deblock.analysis.deliberate import deliberate_comment, deliberate_reason, docstrings
        from deblock.analysis.patches import mocks_from_outside
        from deblock.analysis.raced_cleanup import FileWork
        from deblock.analysis.signal_readers import SignalReaders

        timed = timed_coroutines(facts.functions, self._callees, deadlines)
        documented = docstrings(r.node for r in facts.functions if r.node is not None)
        patching = self.lines.mentions("patch")  # a module that never names one puts none
        outside = mocks_from_outside(tree) if patching else {}
        readers = SignalReaders(tree, facts, self.resolver)  # what a cleanup's signal changes, read
        for record in (r for r in facts.functions if r.is_async):
            safe = [
                (candidate.node, i)
                for candidate in record.calls
                if (i := self._found.get(candidate.node)) is not None
                and self.findings[i].strategy is not None
            ]
            summary = functions.get(record.qualname) if sites_kept else None
            sites = summary.sites if summary is not None else []
            if not (safe or sites):
                continue
            type_of = self._type_of(record)
            hazards = AwaitHazards(
                record,
                facts,
                type_of,
                patching,
                partial(self._module_state, facts),
                FileWork(
                    self._file_call_on,
                    self._same_package,
                    type_of,
                    partial(exit_code, type_of=type_of, helpers=self._helpers(facts)),
                    self._file_function,
                    partial(readers.read_elsewhere, record),
                    self.resolver.functions.get,
                    read_by=readers.read_elsewhere,
                ),
                outside.get(id(record.node), []),
                self.resolver,
            )
            changes = self._process_changes(record) if sites else {}
            handing = [c.node.lineno for c in record.calls if c.node in self._runs_handed]
            writes = sites and (record.state_writes or handing)
            splits = StateSplits(record, self._helpers(facts), handing) if writes else None
            runs = statement_runs(record) if changes or writes else []
            around = [d for d in documented if d[0] <= record.line <= d[1]]  # its own, outer
            for node, i in safe:
                finding = self.findings[i]
                why = (
                    timed.get(record.qualname)
                    or hazards.why(node.lineno, finding.section)
                    or hazards.mocked(node.lineno, finding.strategy)
                    or hazards.raced(node.lineno, finding)
                )
                raises = finding.strategy == "unwrap-bridge" and hazards.raises(node.lineno)
                if raises:
                    reasons[i] = (raises, False)
                elif why is not None:
                    reasons[finding.section or i] = (why, True)
            for site in sites:
                split = None if site.bridged else splits  # unwrapping a bridge adds no await
                comment = deliberate_comment(self.lines.line, site.line)
                site.kept = (
                    (site.bridged and hazards.raises(site.line))
                    or timed.get(record.qualname)
                    or hazards.why(site.line, None)
                    or (comment and deliberate_reason(comment, site.line))
                    or _deliberate_docstring(around, site.line, site.shown)
                    # the module's own findings are declined for it as sections are planned
                    or (runs and atomic_reason_at(runs, site.line, changes, split))
                    or None
                )
                if site.entered:
                    site.stays = self._entered_block_stays(record, site)
        nodes = {i: node for node, i in self._found.items()}
        for i, finding in enumerate(self.findings):
            if finding.strategy is None or reasons.get(i, ("", True))[1] is False:
                continue  # a raise expected there: no fix at all
            comment = deliberate_comment(self.lines.line, finding.line)
            if comment is not None:
                reasons[finding.section or i] = (deliberate_reason(comment, finding.line), True)
            elif isinstance(node := nodes.get(i), ast.Call) and (
                why := _deliberate_docstring(documented, node.lineno, ast.unparse(node.func))
            ):
                reasons[finding.section or i] = (why, True)
        for i, finding in enumerate(self.findings):
            reason = reasons.get(i) or reasons.get(finding.section)
            if reason is not None and finding.strategy is not None:
                self.findings[i] = decline(finding, reason[0], unsafe=reason[1])
        self._decline_unlistable(facts, nodes)
        self._withdraw_subprocesses(facts, nodes)


def _scope_at(facts: ModuleFacts) -> Callable[[FunctionRecord, int], str | None]:
    """Which timeout or cancel scope of a coroutine holds a line of it, if one does."""
    regions: dict[str, list[tuple[int, int, str]]] = {}

    def scope_at(record: FunctionRecord, line: int) -> str | None:
        if record.qualname not in regions:
            regions[record.qualname] = scope_regions(facts.inside(record.node)[0])
        return region_of(regions[record.qualname], line)

    return scope_at


def _deliberate_docstring(documented: list, line: int, written: str) -> str | None:
    """Why the call of ``written`` at ``line`` keeps its blocking: a docstring around it
    (of ``documented``: ``docstrings``) names it and says it is deliberate."""
    from deblock.analysis.deliberate import deliberate_docstring, deliberate_reason

    found = documented and deliberate_docstring(documented, line, written)
    return deliberate_reason(found[1], found[0], "docstring") if found else None
