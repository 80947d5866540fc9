"""Fixes withheld where they would change the program or cannot be written: calls kept
on the event loop, a fix offered as unsafe, or only the thread's."""

from __future__ import annotations

import ast
from functools import partial

from deblock.analysis.fix_shapes import (
    SUBPROCESS,
    awaits_in,
    holds,
    moves_whole_alone,
    spawns,
    thread_only,
)
from deblock.analysis.lazy_uses import materialise_hazard
from deblock.analysis.nodes import last_name, own_nodes, parents
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.thread_bound import frame_bound
from deblock.analysis.twins import HANDS_A_FUNCTION
from deblock.analysis.walker import ModuleFacts
from deblock.analysis.worded_findings import CALL_ASYNC, LAMBDA_IN_THREAD
from deblock.findings import Finding, decline

# The fix that swaps a sleep for an async one (``report`` keeps its calls to weigh here).
SLEEP = "sleep"


class KeptCalls:
    """The judge's ``keep_*`` filters and the fixes it withdraws."""

    def _withdraw_subprocesses(self, facts: ModuleFacts, nodes: dict[int, ast.AST]) -> None:
        """No ``create-subprocess`` fix for a call it cannot rewrite (``fix_shapes.spawns``)."""
        for i, finding in enumerate(self.findings):
            node = nodes.get(i)
            if finding.unsafe_strategy != SUBPROCESS or not isinstance(node, ast.Call):
                continue
            statement = False
            if finding.target == "subprocess.run":  # its result must be unused
                function = _coroutine_of(facts, node)
                statement = any(
                    s.__class__ is ast.Expr and s.value is node for s in ast.walk(function)
                )
            if not spawns(finding, node, statement):
                self.findings[i] = thread_only(finding)

    def settle_clients(self, tree: ast.Module, facts: ModuleFacts) -> None:
        """No ``async-client`` fix for a client it cannot switch (``client_switch``): the
        thread's stays."""
        if not self._found:
            return
        from deblock.analysis.client_switch import STRATEGY as CLIENT_SWITCH
        from deblock.analysis.client_switch import unswitchable

        found = [
            (i, finding, node)
            for node, i in self._found.items()
            if CLIENT_SWITCH in ((finding := self.findings[i]).strategy, finding.unsafe_strategy)
            and finding.unfixable is None
            and isinstance(node, ast.Call)
        ]
        if not found:
            return
        found.sort(key=lambda entry: (entry[2].lineno, entry[2].col_offset))
        why = unswitchable(tree, found, partial(parents, tree), partial(_creates, self.imported))
        for i in why:
            self.findings[i] = thread_only(self.findings[i])

    def _decline_unlistable(self, facts: ModuleFacts, nodes: dict[int, ast.AST]) -> None:
        """No fix for a lazy result a fix would list in the thread where the coroutine
        does not take it whole (``lazy_uses``)."""
        for i, finding in enumerate(self.findings):
            node = nodes.get(i)
            if not finding.lazy_result or node is None:
                continue
            if not (finding.strategy or finding.unsafe_strategy):
                continue
            reason = materialise_hazard(node, _coroutine_of(facts, node), finding.target)
            if reason is not None:
                self.findings[i] = decline(finding, reason)

    def keep_unproven_delays(self) -> None:
        """Decline, offered as unsafe, the async sleep of a ``time.sleep`` whose delay may be
        negative or NaN (``sleep_delays``); one a section moves stays ``time.sleep``."""
        for candidate in self._sleeps:
            i = self._found[candidate.node]
            if self.findings[i].strategy == SLEEP and self.findings[i].safe_fix:
                from deblock.analysis.sleep_delays import unproven_delay

                node, scope, reaching = candidate.node, candidate.scope, candidate.reaching
                why = unproven_delay(node, scope, reaching, self._callees.get, self.lines.text)
                if why is not None:
                    self.findings[i] = decline(self.findings[i], why, unsafe=True)

    def keep_frame_bound_arguments(self) -> None:
        """A call whose arguments need the coroutine's own frame or thread (``frame_bound``:
        ``traceback.format_exc()``), or suspend (an ``await``, an ``async`` comprehension:
        no thread can run them), or hold a call whose rule's only fix is unsafe
        (``input()``), does not move into its worker thread with them: its arguments stay
        (no ``nested_blocking``), each finding among them fixed on its own."""
        unsafe = [f for f in self.findings if f.unsafe_fix_only and not f.declined]
        for node, i in self._found.items():
            finding = self.findings[i]
            if finding.nested_blocking and (
                awaits_in(node)
                or frame_bound([node])
                or any(f is not finding and holds(finding, f) for f in unsafe)
            ):
                self.findings[i] = finding._replace(nested_blocking=False)

    def keep_late_reads(self, facts: ModuleFacts) -> None:
        """A call whose fix takes its arguments into the thread with it (``lambda:
        json.load(open(self.path))``: nested, lazy, a bridge taken whole) reads the state
        they name there, after the await: where code left on the event loop writes it (even
        rebinding ``self.path``), the thread may read another value than the loop did: the
        call and the findings among its arguments are declined (a section's: with its lock)."""
        whole = {i for i, f in enumerate(self.findings) if moves_whole_alone(f)}
        for record in facts.functions if whole else ():
            for candidate in record.calls if record.is_async else ():
                i = self._found.get(candidate.node)
                if i not in whole:
                    continue
                inside = set(own_nodes(candidate.node))
                why = self._module_state(facts).conflict(record.node, inside)
                held = (j for node, j in self._found.items() if node in inside)
                for j in held if why is not None else ():  # its arguments' findings too
                    if self.findings[j].strategy is not None:
                        self.findings[j] = decline(self.findings[j], why, unsafe=True)

    def keep_racing_lambdas(self, facts: ModuleFacts, functions: dict[str, FunctionSummary]):
        """A breaker's ``call_async`` would run the lambda its ``call`` is handed in a worker
        thread, after an await: where its body uses state that code left on the event loop
        uses too, one of them writing it (``lambda: self.total + 1`` before ``self.total =
        n``), or reads and writes it itself (the other calls' threads would at once, with no
        lock), the thread would see or leave a state no interleaving did. The module's
        finding is declined; a project breaker's site tells the project pass
        (``CallSite.lambda_races``)."""
        for record in facts.functions:
            summary = functions[record.qualname] if record.is_async else None
            sites = {s.span: s for s in summary.sites} if summary else {}
            for candidate in record.calls if summary else ():
                handed = _handed_lambda(candidate.node)
                i = self._found.get(candidate.node)
                site = sites.get(self._span(candidate.node)) if handed else None
                finding = self.findings[i] if i is not None and handed else None
                if finding is None or not _runs_handed(finding):
                    finding = None
                    if site is None or site.handed or site.lambda_calls:
                        continue
                state, inside = self._module_state(facts), set(own_nodes(handed.body))
                # the call's own accesses are its lambda's (``StateAccess._called_through``)
                why = state.conflict(record.node, inside, {candidate.node})
                why = why or state.torn_by_threads(record.node, inside)
                if why is not None and finding is not None:
                    self.findings[i] = decline(finding, f"{LAMBDA_IN_THREAD}{why}", unsafe=True)
                elif why is not None:
                    site.lambda_races = why

    def keep_iterated_calls(self) -> None:
        """A call whose result is iterated where it is made, an iteration that blocks too
        (``for row in conn.execute(q)``), gets no fix of its own: the node holds the
        iteration's finding, which every rule weighs, and the call moves only with it, in
        its loop's section. Alone in a thread it would escape the rules, and an object that
        works only in the thread that made it would be iterated on the event loop."""
        for index in self._iterated.values():
            finding = self.findings[index]
            if finding.strategy or finding.unsafe_strategy:
                from deblock.analysis.affinity import affine_kind, affinity_reason

                kind = affine_kind(finding.target, self.catalogue.call_returns)
                why = "what it returns is iterated where it is made, outside the thread"
                alone = f"{why}: it moves only with the loop that iterates it"
                self.findings[index] = decline(
                    finding, affinity_reason(kind, why) if kind else alone
                )


def _creates(imports: dict[str, str], expr: ast.expr) -> str | None:
    """The class ``expr`` calls, named through the module's imports (``groq.Groq``)."""
    if not isinstance(expr, ast.Call):
        return None
    parts, func = [], expr.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    return ".".join([imports.get(func.id, func.id), *reversed(parts)])


def _handed_lambda(call: ast.AST) -> ast.Lambda | None:
    """The lambda a breaker's ``call`` (a method of that name) is handed first, if any."""
    if call.__class__ is not ast.Call or last_name(call.func) not in HANDS_A_FUNCTION:
        return None
    handed = call.args[0] if call.args else None
    return handed if handed.__class__ is ast.Lambda else None


def _runs_handed(finding: Finding) -> bool:
    """Whether the safe fix of ``finding`` is a breaker's ``call_async`` running what
    ``call`` is handed in a worker thread (not a coroutine function, awaited on the loop)."""
    return finding.strategy == CALL_ASYNC and not finding.handed_coroutine


def _coroutine_of(facts: ModuleFacts, node: ast.AST) -> ast.AST:
    """The coroutine a finding's ``node`` is in: the innermost function whose lines hold it."""
    around = (r.node for r in facts.functions if r.node and _spans(r.node, node))
    return max(around, key=lambda f: f.lineno)


def _spans(function: ast.AST, node: ast.AST) -> bool:
    """Whether ``function``'s lines hold ``node``'s."""
    return function.lineno <= node.lineno and node.end_lineno <= function.end_lineno
