"""A function's summary for the project pass: what its calls do, judged one by one,
and a sync function's blocking steps and the parameters they depend on."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from deblock.analysis.bridged_calls import lazy_on
from deblock.analysis.coroutine_calls import iterated_argument
from deblock.analysis.exempt_calls import exempt
from deblock.analysis.false_defaults import false_defaults, first_per_callee, left_false
from deblock.analysis.handed_loops import handed_attributes, loop_unless
from deblock.analysis.handed_streams import handed_buffers, stream_parameter
from deblock.analysis.loop_guards import loop_guard_line
from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import argument_places, reached
from deblock.analysis.parameter_calls import calls_on_parameters
from deblock.analysis.passed_arguments import (
    falsy_arguments,
    handed_values,
    keyword_names,
    positional,
)
from deblock.analysis.returned_state import returns_shared, returns_stream
from deblock.analysis.scopes import Binding, self_attribute
from deblock.analysis.shared_state import positional_parameters
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.symbols import Symbol, first_option
from deblock.analysis.walker import Candidate, FunctionRecord
from deblock.rules import BY_CODE, blocks_outside_coroutines
from deblock.rules.model import Blocking
from deblock.rules.resources import (
    ARGUMENT_CHANGERS,
    ENTERS_ARGUMENT,
    TOKEN_TAKERS,
    call_bound,
    needs_loop,
)

# A read of an attribute that loads its object (``loaded_reads``): no codemod rewrites one.
_LOADS = "reading it loads the object first: load it in a thread, `await asyncio.to_thread(...)`"
# The library calls of a sync function kept by name for ``StateAccess``: what changes or takes
# an argument, and the managers that enter to one (``nullcontext(helpers.LOG) as box``).
_NAMED_CALLEES = frozenset({*ARGUMENT_CHANGERS, *TOKEN_TAKERS, *ENTERS_ARGUMENT})


class FunctionSummaries:
    """The judge's summary of each function, its sync steps."""

    def function(self, record: FunctionRecord) -> FunctionSummary:
        returned = self.resolver.function_result(record)
        summary = FunctionSummary(
            self.resolver.gives_awaitable(record), record.line, returned and returned.qualname
        )
        summary.is_generator = record.is_generator
        summary.end_line = record.node.end_lineno if record.node else record.line
        self._entered = {id(item.context_expr) for block in record.blocks for item in block.items}
        self._prefixed = self._prefixes(record) if record.prefixes else {}
        self._handed_to.update(
            (id(value), (outer, place))
            for outer in (record.calls if record.is_async else ())
            if outer.awaited and outer.node.__class__ is ast.Call
            for place, value in argument_places(outer.node)
        )
        self._needing_loop: list[ast.AST] = []
        for candidate in record.calls:
            if candidate.entered is not None and candidate.node.__class__ is not ast.Call:
                self._entering(candidate, summary, record)
            elif record.is_async:
                self._in_coroutine(candidate, summary, record)
            elif candidate.iteration:
                self._iterated_in_sync_function(candidate, summary)
            else:
                self._in_sync_function(candidate, summary, record)
        if record.reads:
            self._loading_reads(record)
        if not record.is_async:
            if summary.loop and not self._thread_data(record):
                own = self._own_parameters(record)
                summary.loop_unless = loop_unless(record.node, self._needing_loop, own)
            summary.loop = summary.loop or self._thread_data(record)
            summary.lazy_return = self._lazy_return(record)
            summary.returns_shared = returns_shared(record)
            summary.returns_stream = returns_stream(record)
            _drop_past_a_loop_guard(summary, record.node)
            if record.guards:  # none found: the default, as the summary's JSON reads back
                summary.only_if = _only_if(record, summary, self._own_parameters(record)) or ()
            if summary.only_if or summary.forwards or summary.on_parameters:
                summary.falsy_defaults = self._false_defaults(record)
        summary.calls = first_per_callee(summary)
        return summary

    def _loading_reads(self, record: FunctionRecord) -> None:
        """Report the coroutine's reads of an attribute that loads its object, a request
        (``loaded_reads``), without a fix: only boto3's modules are walked with reads."""
        from deblock.analysis.loaded_reads import loading_reads

        for candidate, target in loading_reads(record, self.resolver, self.catalogue):
            entry = self.catalogue.blocking(target)
            if entry is not None:
                read = replace(candidate, unfixable=candidate.unfixable or _LOADS)
                self.report(entry, target, self.lines.text(candidate.node), read)

    def _in_sync_function(
        self, candidate: Candidate, summary: FunctionSummary, record: FunctionRecord
    ) -> None:
        callee = self.resolver.called(candidate.node.func, candidate.scope, candidate.reaching)
        if candidate.node.__class__ is ast.Call and (
            called_on := calls_on_parameters(
                candidate.node,
                callee,
                record,
                self._own_parameters(record),
                partial(self.resolver.called, scope=candidate.scope, reaching=candidate.reaching),
            )
        ):
            summary.calls_on = [*summary.calls_on, *called_on]
        if callee is None:
            return
        runs = self.resolver.defining(callee)  # a base's method by the base's name
        if runs in _NAMED_CALLEES or runs in self.resolver.functions:
            self._callees[candidate.node] = runs  # what it writes, takes or enters to
        consumed, _ = iterated_argument(candidate.node, callee)
        if consumed is not None:
            self._iterated_in_sync_function(replace(candidate, node=consumed), summary)
        entry, callee = first_option(
            callee, lambda option: self.catalogue.blocking(option.qualname)
        )
        step = (callee.qualname, candidate.node.lineno, not candidate.conditional)
        if entry is None:
            why = call_bound(callee.qualname)
            if why and not (needs_loop(callee.qualname) and self._same_package(callee.qualname)):
                summary.loop = summary.loop or (why, step[1])  # not the async library's own
                self._needing_loop.append(candidate.node)
            elif maybe_project(callee.qualname):
                summary.calls.append(step)
                self._sync_calls[candidate.node] = callee.qualname
                falsy = falsy_arguments(candidate.node) + self._left_false(callee, candidate.node)
                if falsy:
                    summary.passes = [*summary.passes, (callee.qualname, step[1], falsy)]
                own = partial(self._own_parameters, record)
                forwarded = _forwarded(candidate.node, record, own)
                if forwarded:
                    summary.forwards = [*summary.forwards, (callee.qualname, step[1], forwarded)]
                if handed_on := _handed_on(candidate.node, record, own):
                    summary.hands_on = [*summary.hands_on, (callee.qualname, handed_on)]
                if buffers := handed_buffers(candidate.node, self.resolver, candidate):
                    summary.buffers = [*summary.buffers, (callee.qualname, step[1], buffers)]
                if handed := handed_attributes(candidate.node, record.self_name):
                    summary.handed_self = [*summary.handed_self, (*step[:2], handed)]
        elif blocks_outside_coroutines(entry) and not (
            exempt(entry, candidate, self._prefixed) or self._made_in_memory(candidate)
        ):
            self._sync_io.append((entry.code, callee.qualname, candidate.node, record.qualname))
            attribute = self_attribute(candidate.node.func, record.self_name)
            if attribute is not None:
                summary.through_self.append((len(summary.blocking), attribute))
            named, helpers = stream_parameter(
                candidate, self._own_parameters, record, callee.qualname, self._project_call
            )
            if named:
                summary.on_parameters = [*summary.on_parameters, (len(summary.blocking), named)]
            if helpers:
                summary.stream_helpers = [*summary.stream_helpers, (len(summary.blocking), helpers)]
            summary.blocking.append(step)
            self._note_silenced(entry, step[0], candidate, summary)

    def _prefixes(self, record: FunctionRecord) -> dict[str, list[tuple[str, int, int]]]:
        """The parameters of ``record`` its body never rebinds that its guards make start
        with a prefix: (prefix, first line, last line) by name (``FunctionRecord.prefixes``)."""
        own = self._own_parameters(record)
        prefixed: dict[str, list[tuple[str, int, int]]] = {}
        for name, prefix, first, last in record.prefixes:
            if name in own:
                prefixed.setdefault(name, []).append((prefix, first, last))
        return prefixed

    def _own_parameters(self, record: FunctionRecord) -> dict[str, tuple[str, ...]]:
        """``own_parameters(record)``, kept while the calls of ``record`` are judged."""
        if self._own is None or self._own[0] is not record:
            self._own = (record, own_parameters(record))
        return self._own[1]

    def _left_false(self, callee: Symbol, call: ast.Call) -> tuple[str, ...]:
        """The parameters a call of a function (or class) of this module leaves to a false
        default (``false_defaults``); those of other modules' are known to the project pass
        for a coroutine's calls only."""
        if not callee.qualname.startswith(self._prefix):
            return ()
        functions = self.resolver.functions
        record = functions.get(callee.qualname) or functions.get(f"{callee.qualname}.__init__")
        if record is None or record.node is None or record.is_async:
            return ()
        return left_false(self._false_defaults(record), positional(call), keyword_names(call))

    def _false_defaults(self, record: FunctionRecord) -> tuple[tuple[str, ...], ...]:
        """``false_defaults`` of sync function ``record`` (computed once)."""
        defaults = self._defaults.get(record.node)
        if defaults is None:
            defaults = self._defaults[record.node] = false_defaults(record.node, _places(record))
        return defaults

    def _project_call(self, call: ast.Call, binding: Binding) -> str | None:
        """The project function ``call`` (bound by ``binding``) calls, if it is one."""
        callee = self.resolver.called(call.func, binding.scope, binding.reaching)
        return callee.qualname if callee is not None and maybe_project(callee.qualname) else None

    def _lazy_return(self, record: FunctionRecord) -> str | None:
        """The blocking call of the standard library or the catalogue whose lazy result
        sync function ``record`` returns as it is (``return Path(root).glob("*")``)."""
        for returned in record.returned:
            value = returned.expr
            if value.__class__ is ast.Call:
                callee = self.resolver.called(value.func, returned.scope, returned.reaching)
                entry = callee and self.catalogue.blocking(callee.qualname)
                if entry is not None and lazy_on(entry, ()):
                    return callee.qualname
        return None

    def _iterated_in_sync_function(self, candidate: Candidate, summary: FunctionSummary) -> None:
        """What a project function returns, iterated in a sync function: a step of its
        chains written ``pkg.rows.read()`` (a generator's body runs then)."""
        if not isinstance(candidate.node, ast.Call | ast.Name):
            return  # an attribute holds no generator a call of this module made
        produced = self._produced(candidate)
        if produced is not None and produced.endswith("()") and maybe_project(produced):
            summary.calls.append((produced, candidate.node.lineno, not candidate.conditional))

    def _note_silenced(
        self, entry: Blocking, target: str, candidate: Candidate, summary: FunctionSummary
    ) -> None:
        """Note the blocking step (``target``, line) of a sync function in ``silenced`` if a
        ``# noqa`` on its call's first or last line silences it: bare, naming its rule's code,
        the flake8-async code of the call (picked from its arguments, as for a finding), or
        DBK801, the code its callers report it with. That is where the comment acts."""
        if not self.lines.noqa:
            return
        from deblock.analysis.argument_codes import with_argument_code
        from deblock.noqa import span_silenced

        node = candidate.node
        resolve = partial(self.resolver.resolve, scope=candidate.scope, reaching=candidate.reaching)
        entry = with_argument_code(entry, node, resolve)
        codes = (entry.code, entry.async_equivalent or BY_CODE[entry.code].async_equivalent)
        if span_silenced(self.lines.noqa, node.lineno, node.end_lineno, *codes, "DBK801"):
            summary.silenced = (*summary.silenced, (target, node.lineno))


def _drop_past_a_loop_guard(summary: FunctionSummary, function: ast.AST | None) -> None:
    """Keep, of sync ``function``'s steps, those before a guard that raises where an event
    loop runs (``loop_guards``): called from a coroutine, it never gets past the guard."""
    guard = loop_guard_line(function) if isinstance(function, ast.FunctionDef) else None
    if guard is None:
        return
    kept = [i for i, (_, line, _) in enumerate(summary.blocking) if line < guard]
    new_index = {old: new for new, old in enumerate(kept)}
    summary.through_self = [(new_index[i], a) for i, a in summary.through_self if i in new_index]
    summary.on_parameters = [(new_index[i], n) for i, n in summary.on_parameters if i in new_index]
    summary.blocking = [summary.blocking[i] for i in kept]
    summary.calls = [step for step in summary.calls if step[1] < guard]
    summary.silenced = tuple(step for step in summary.silenced if step[1] < guard)


def _only_if(
    record: FunctionRecord, summary: FunctionSummary, own: dict[str, tuple[str, ...]]
) -> list[tuple[int, str]]:
    """(line, parameter) for the steps of sync function ``record`` that run only when a
    parameter the body never rebinds (``own``) is truthy (``record.guards``), under each
    of its names."""
    found = []
    for line in sorted({line for _, line, _ in (*summary.blocking, *summary.calls)}):
        for name, first, last in record.guards:
            if first <= line <= last and name in own:
                found += [(line, written) for written in own[name]]
    return list(dict.fromkeys(found))


def own_parameters(record: FunctionRecord) -> dict[str, tuple[str, ...]]:
    """The parameters of ``record`` its body never rebinds, each with the names a call may
    give it: its own, and its place among the arguments the call writes (``#0``, as
    ``falsy_arguments`` names it)."""
    if record.node is None:
        return {}
    bindings = record.own_scope.bindings if record.own_scope is not None else {}
    places = _places(record)
    args = record.node.args
    return {
        a.arg: (a.arg, places[a.arg]) if a.arg in places else (a.arg,)
        for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if len(bindings.get(a.arg, ())) == 1
    }


def _forwarded(
    call: ast.Call, record: FunctionRecord, own: Callable[[], dict[str, tuple[str, ...]]]
) -> tuple:
    """The parameters of the caller ``record`` (``own()``: ``own_parameters``) that ``call``
    hands on as they are (``is_file(path)``, also through a local bound once to one,
    ``handed_values``): the callee's name for each (its place, ``#0``, or keyword), with
    the caller's names."""
    named = [
        (keyword or f"#{i}", value.id)
        for i, keyword, value in handed_values(call, record)
        if value.__class__ is ast.Name
    ]
    if not named:
        return ()
    parameters = own()
    return tuple((written, parameters[name]) for written, name in named if name in parameters)


def _handed_on(
    call: ast.Call, record: FunctionRecord, own: Callable[[], dict[str, tuple[str, ...]]]
) -> tuple:
    """The attributes or items of the parameters of the caller ``record`` (``own()``:
    ``own_parameters``) that ``call`` hands on (``bump(ledger.inner)``, also through a local
    bound once to one, ``handed_values``): the callee's name for each (its place, ``#0``,
    or keyword), the caller's names of the parameter, and the attribute (``""``: an
    item)."""
    reaching = [
        (keyword or f"#{i}", *reached(value))
        for i, keyword, value in handed_values(call, record)
        if value.__class__ in (ast.Attribute, ast.Subscript)
    ]
    bases = [(written, base.id, a) for written, base, a in reaching if base.__class__ is ast.Name]
    if not bases:
        return ()
    parameters = own()
    return tuple(
        (written, parameters[name], attribute or "")
        for written, name, attribute in bases
        if name in parameters
    )


def _places(record: FunctionRecord) -> dict[str, str]:
    """The parameters of ``record`` a call may pass by position, each with its place among
    the arguments the call writes (``#0``: the first; ``self`` and ``cls`` are not written)."""
    return {name: f"#{i}" for i, name in enumerate(positional_parameters(record))}
