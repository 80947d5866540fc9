"""Fixes that would move into a worker thread a call of a sync function that must run on
the event loop's thread, in the caller's module or another, or a call that acts on the
loop's thread or context through what another module made (``CURRENT.set(...)`` of a
``ContextVar`` it imports: set in the thread's copy of the context, the value was lost):
withdrawn, safe or unsafe, as a call's own fix is (``project.findings``): in the thread,
the call raises or acts on what the program never sees.

A module's analysis marks the call sites a fix moves into a thread (``CallSite.moved``);
the project's summaries tell whether the function called must run on the loop's thread
(``FunctionSummary.loop``), itself or through the project functions it calls: it needs
the event loop (in a thread it finds none running, or another: tornado's
``IOLoop.current()`` makes one, or acts on the loop from a thread it does not know), acts
on the thread or context (``threading.current_thread()``, ``signal.signal``, a
``ContextVar``'s ``set``), or changes what the whole process sees (``os.environ``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deblock.analysis.false_defaults import handed_on
from deblock.analysis.section_partners import keep_unlocked
from deblock.findings import Finding, decline
from deblock.rules.resources import call_bound, needs_loop

if TYPE_CHECKING:  # a warm run reads the moves back and only declines them
    from deblock.analysis.lone_tests import Lines
    from deblock.project.index import ProjectIndex
    from deblock.project.summaries import ModuleSummaries

# A fix to decline: the line and column of the finding whose fix moves the call, the call's
# line and column, why, and the callee as its module writes it.
Move = tuple[int, int, int, int, str, str]


def loop_moves(source: ModuleSummaries) -> dict[str, list[Move]]:
    """By path, the fixes that would move into a thread a call needing the event loop, or
    its thread or context."""
    from deblock.project.index import ProjectIndex

    index = ProjectIndex(source)
    memo: dict[tuple[str, bool], tuple[str, ...] | None] = {}
    found: dict[str, list[Move]] = {}
    for summary in list(source.summaries):
        for function in summary.functions.values():
            for site in function.sites:
                if not site.moved or site.bridged:
                    continue
                why = _loop_thread_reason(index, site, memo)
                if why is not None:
                    move = (*site.moved, site.line, site.col, why, site.callee)
                    found.setdefault(summary.path, []).append(move)
    return found


def _loop_thread_reason(index: ProjectIndex, site, memo) -> str | None:
    """Why call ``site`` must stay on the event loop's thread, if it must."""
    called = site.callee.removesuffix("()")  # a call, or what a call gives, iterated
    named = site.iterated and called == site.callee  # a name iterated, not called
    target = index.normalize(called) if named else index.called(called)
    why = _resolved_call_bound(target)
    if why is not None:
        return f"`{site.shown}` must run on the event loop's thread: {why}"
    steps = loop_chain(index, target, site.iterated, memo)
    return None if steps is None else loop_reason(site.shown, steps)


def _resolved_call_bound(target: str) -> str | None:
    """Why a call its module could not resolve (``CURRENT.set`` of a ``ContextVar`` another
    module made), resolved to ``target``, acts on the thread or context that runs it, or on
    what the whole process sees, if it does (the calls that need the loop, its module
    judged)."""
    return None if needs_loop(target) else call_bound(target)


def loop_reason(shown: str, steps: tuple[str, ...]) -> str:
    """Why a call of ``shown``, which reaches ``steps`` (``loop_chain``), must stay on the
    event loop's thread."""
    return f"`{shown}` must run on the event loop's thread: {' → '.join(steps)}"


def moves_in(functions: dict[str, dict], moves: list[Move]) -> list[Move]:
    """``moves`` found again in a module's summary (``functions``: its JSON form) by the
    callees of the sites a fix moves: where a fix moved their lines."""
    needs = {callee: why for *_, why, callee in moves}
    return [
        (*site["moved"], site["line"], site["col"], needs[site["callee"]], site["callee"])
        for function in functions.values()
        for site in function["sites"]
        if site.get("moved") and site["callee"] in needs
    ]


def decline_loop_bound(
    findings: list[Finding], moves: list[Move], lone: Lines = ()
) -> list[Finding]:
    """``findings`` of one module, the fixes that ``moves`` name withdrawn: a section's,
    a call's whose arguments move with it; a ``with`` block that would move stays on the
    event loop instead (``open_forms.staying``: its calls open to other fixes); and the
    fixes the calls so left on the loop may run beside (``section_partners.keep_unlocked``;
    ``lone``: the lines of the module's lone tests)."""
    from deblock.analysis.open_forms import staying

    at = {(f.line, f.col): f for f in findings if f.fixable} if moves else {}
    sections: dict[tuple[int, int], str] = {}
    calls: dict[tuple[int, int], str] = {}
    blocks: dict[tuple[int, int], str] = {}
    for line, col, site_line, site_col, why, _ in moves:
        finding = at.get((line, col))
        if finding is None:
            continue
        if finding.section is not None:
            sections.setdefault(finding.section, why)
        elif (site_line, site_col) < (finding.end_line, finding.end_col):
            calls.setdefault((line, col), why)
        else:
            blocks.setdefault((line, col), f"in a thread, {why}")
    if not (sections or calls or blocks):
        return findings
    kept = []
    for finding in findings:
        where = (finding.line, finding.col)
        if finding.fixable and finding.section in sections:
            why = sections[finding.section]
            reason = f"the statements that {finding.section_reason} must stay atomic, but {why}"
            finding = decline(finding, reason)
        elif finding.fixable and where in calls:
            finding = decline(finding, f"in a thread, {calls[where]}")
        elif where in blocks:
            finding = staying(finding, blocks[where])
        kept.append(finding)
    return keep_unlocked(findings, kept, lone)


def loop_chain(
    index: ProjectIndex,
    qualname: str,
    iterated: bool,
    memo: dict[tuple, tuple[str, ...] | None],
    active: set[str] | None = None,
    given: tuple[str, ...] = (),
) -> tuple[str, ...] | None:
    """``("forward", "schedule", "`asyncio.get_running_loop` must stay on the event loop
    (app/timing.py:8)")``: how sync project function ``qualname`` reaches what must run on
    the event loop's thread (``FunctionSummary.loop``), if it does (a
    generator's body runs only when what it returns is ``iterated``; a class, through the
    ``__init__`` its call runs). ``given``: the parameters the call hands an event loop
    (``handed_loops``): ``loop or asyncio.get_running_loop()`` on one of them does not
    need the running loop."""
    active = set() if active is None else active
    key = (qualname, iterated, given)
    if key in memo:
        return memo[key]
    found = index.function(qualname)
    if found is None and (init := index.constructor(qualname)) is not None:
        qualname, found = init, index.function(init)
    if found is None or found[1].is_async or found[1].is_generator != iterated:
        return None
    if qualname in active:
        return None
    summary, function = found
    name = qualname.removeprefix(summary.module + ".")
    result = None
    if function.loop and not any(n in given for n in function.loop_unless):
        why, line = function.loop
        result = (name, f"{why} ({summary.path}:{line})")
    else:
        active.add(qualname)
        loops = _handing_loops(index, qualname, function, given)
        for callee, line, _ in function.calls:
            iterates = callee.endswith("()")
            target = index.called(callee.removesuffix("()"))
            why = _resolved_call_bound(target)
            if why is not None:
                result = (name, f"{why} ({summary.path}:{line})")
                break
            deeper = loop_chain(
                index, target, iterates, memo, active, loops.get((callee, line), ())
            )
            if deeper is not None:
                result = (name, *deeper)
                break
        active.discard(qualname)
    memo[key] = result
    return result


def _handing_loops(index: ProjectIndex, qualname: str, function, given: tuple[str, ...]) -> dict:
    """The parameters each call of ``function`` (method or function ``qualname``, handed
    loops as ``given``) hands an event loop, by (callee, line): its own parameters handed
    one, passed on (``forwards``), and attributes its instance binds only to a loop
    (``ClassSummary.loops``, of its class's hierarchy; ``handed_self``)."""
    if not (given or function.handed_self):
        return {}
    owner = qualname.rpartition(".")[0]
    bound = {a for c in index.mro(owner) if (cls := index.cls(c)) for a in cls.loops}
    attributes = {
        (callee, line): tuple(place for place, attribute in pairs if attribute in bound)
        for callee, line, pairs in function.handed_self
    }
    forwards = {(callee, line): pairs for callee, line, pairs in function.forwards}
    steps = {(callee, line) for callee, line, _ in function.calls}
    return {step: handed_on(attributes, forwards, step, given) for step in steps}
