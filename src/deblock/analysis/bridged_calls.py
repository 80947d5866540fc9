"""Thread bridges judged by what they are handed: a coroutine, async, pure or blocking
function, whose arguments may block on the loop before the thread starts."""

from __future__ import annotations

import ast

from deblock.analysis.fix_shapes import unwritable
from deblock.analysis.modules import maybe_project
from deblock.analysis.scopes import Kind
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.symbols import Obj, Ref, Symbol
from deblock.analysis.walker import Candidate
from deblock.rules.bridges import ALREADY_ASYNC, HELPER_BRIDGES, PARTIALS, PURE
from deblock.rules.model import Blocking

# A thread bridge that leaves blocking work on the event loop, and what it leaves.
_PARTIAL_BRIDGE = "DBK806"
_LAZY_DETAIL = (
    "it only builds a lazy iterator: the I/O happens as it is iterated, "
    "once the thread has returned"
)
_ARGUMENTS_DETAIL = "its arguments block on the event loop before the thread starts"


class BridgedCalls:
    """The judge's thread bridges (``bridge_index``)."""

    def _bridge(
        self, candidate: Candidate, index: int, bridge: Symbol | None, summary: FunctionSummary
    ) -> None:
        """Judge what a thread bridge (of callee ``bridge``, handing its ``index``-th
        argument) is handed: a coroutine, async or pure function."""
        args = candidate.node.args
        if len(args) <= index or isinstance(args[index], ast.Starred):
            return
        handed = self.resolver.resolve(args[index], candidate.scope, candidate.reaching)
        if handed is None:
            return
        code = self._bridge_code(handed)
        shown = self.lines.text(args[index])
        entry = self.catalogue.blocking(handed.qualname)
        made = self._made_in_thread(candidate, index, bridge) if code == "DBK805" else ()
        if any(self.hands_blocking(call, candidate) for call in made):
            return  # a key or a lazy result that blocks: the thread is needed
        if code is not None:
            self.report(Blocking(handed.qualname, code), handed.qualname, shown, candidate)
        elif entry is not None and lazy_on(entry, candidate.python):
            lazy = Blocking(handed.qualname, _PARTIAL_BRIDGE, lazy_result=True)
            self.report(lazy, handed.qualname, shown, candidate, detail=_LAZY_DETAIL)
        elif entry is not None:
            self._bridges.append((candidate, args[index], handed.qualname))
        elif maybe_project(handed.qualname):
            site = self.site(handed.qualname, args[index], candidate)
            site.bridged = True  # the project pass unwraps it if it hands a coroutine
            why = unwritable("unwrap-bridge", "DBK802", candidate.node, candidate.awaited)
            site.unfixable = site.unfixable or why
            summary.sites.append(site)

    def _made_in_thread(
        self, candidate: Candidate, index: int, bridge: Symbol | None
    ) -> list[ast.Call]:
        """The calls ``candidate``'s thread bridge (of callee ``bridge``) may make in the
        thread: the function at ``index`` called with the arguments after it, and with the
        bridge's keywords where it forwards them (``asyncio.to_thread``; not
        ``run_in_executor``, whose first argument is the executor); a ``functools.partial``'s
        function, made there or by a binding of the name handed, with the arguments it bound
        first (``run_in_executor(None, partial(sorted, key=size), ps)`` calls ``sorted(ps,
        key=size)``)."""
        call = candidate.node
        function, args = call.args[index], call.args[index + 1 :]
        forwards = bridge is not None and HELPER_BRIDGES.get(bridge.qualname, (None, False))[1]
        keywords = call.keywords if forwards else []
        made = []
        for value in self._values(function, candidate):
            bound = value.args[0] if value.__class__ is ast.Call and value.args else None
            if bound is None or bound.__class__ is ast.Starred:
                continue
            maker = self.resolver.called(value.func, candidate.scope, candidate.reaching)
            if maker is not None and maker.qualname in PARTIALS:
                made.append(ast.Call(bound, [*value.args[1:], *args], [*value.keywords, *keywords]))
        return made or [ast.Call(function, list(args), list(keywords))]

    def _values(self, function: ast.expr, candidate: Candidate) -> list[ast.expr]:
        """``function``, or the values a name handed holds where it is handed."""
        if function.__class__ is not ast.Name:
            return [function]
        bindings = candidate.scope.lookup(function.id, candidate.reaching)[0] or ()
        return [b.expr for b in bindings if b.kind is Kind.VALUE]

    def settle_bridges(self) -> None:
        """Report the bridges of blocking functions whose arguments block on the loop (the
        findings inside them), before the thread starts; not for a call whose rule's only
        fix is unsafe (``input()``): a thread is no safe place for it either."""
        movable = [f for f in self.findings if not (f.unsafe_fix_only and not f.declined)]
        for candidate, function, handed in self._bridges:
            start = self._span(function)[2:]
            end = self._span(candidate.node)[2:]
            if any(start <= (f.line, f.col) and (f.end_line, f.end_col) <= end for f in movable):
                shown = self.lines.text(function)
                entry = Blocking(handed, _PARTIAL_BRIDGE)
                self.report(entry, handed, shown, candidate, detail=_ARGUMENTS_DETAIL)

    def _bridge_code(self, handed: Ref | Obj) -> str | None:
        qualname = handed.qualname
        if qualname in ALREADY_ASYNC:
            return "DBK804"
        if qualname in PURE:
            return "DBK805"
        return "DBK802" if self.resolver.is_coroutine(handed) else None


def lazy_on(entry: Blocking, python: tuple[int, ...]) -> bool:
    """Whether ``entry``'s result is lazy on Python ``python`` (the least version known)."""
    return entry.lazy_result and not (entry.eager_from and python >= entry.eager_from)
