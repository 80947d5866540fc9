"""Where a fix's rewrite cannot be written, judged from the call's syntax.

The codemods rewrite every finding given their strategy; what their rewrite needs of the
call's form is decided here, so that `deblock check` calls fixable exactly what `deblock
fix` rewrites. A bridge's call is written out again (``to_thread(f, a, k=1)`` becomes
``f(a, k=1)``): not when its arguments are unpacked, its function is not positional or its
keywords configure the thread; a nested loop's call gives its coroutine only when it has
no options; a breaker's ``call_async`` takes the protected function first. A fix that
moves a call's arguments into a worker thread (a lazy result listed there, a bridge that
takes its whole expression) cannot move an ``await`` or a ``yield``. A child process's
``asyncio.create_subprocess_exec`` (unsafe) stands for ``subprocess.call`` and for a
``subprocess.run`` whose result is unused, given a literal argument list and no options
besides ``cwd`` and ``env``, in a module on asyncio (its own library or its project's,
known once the run has weighed the project: ``settle_subprocesses``); elsewhere the
thread's fix stays.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import child_nodes, last_name
from deblock.findings import Finding, decline

if TYPE_CHECKING:
    from deblock.analysis.summary import CallSite

SUBPROCESS = "create-subprocess"
_THREAD = "to-thread"
SECTION_STRATEGY = "thread-section"  # statements moved whole, under the module's lock
_SPAWNED = frozenset({"subprocess.call", "subprocess.run"})
_SPAWN_OPTIONS = frozenset({"cwd", "env"})
_IN_THREAD = "DBK802"
_NESTED_LOOP = "DBK803"
_NEEDLESS = "DBK805"
# The fixes that move a call with its arguments into a worker thread.
_MOVES = frozenset({"to-thread", "bridge-whole"})
_SUSPENDS = (ast.Await, ast.Yield, ast.YieldFrom)
_BRIDGES = frozenset({"unwrap-bridge", "bridge-whole"})
_MOVED = "its fix would move them into the worker thread"
_ITERATES = "async-for"  # the one strategy that rewrites an iteration itself
# Why an iteration that blocks gets no fix of its own: a bridge would move the call that
# makes what is iterated, or nothing (a name). A section may still move its loop whole.
ITERATION = "the iteration blocks, not the call: iterate it in a worker thread by hand"
_AWAITING = f"its arguments await: they must stay on the event loop, and {_MOVED}"


def fix_shape(finding: Finding, call: ast.AST, awaited: bool) -> Finding:
    """``finding`` at ``call`` (``awaited``: the operand of an ``await``), unfixable when its
    fix cannot be written there, or without the fixes that would move an await."""
    finding = _iteration_shape(finding)
    if finding.unfixable is not None or not isinstance(call, ast.Call):
        return finding
    why = unwritable(finding.strategy, finding.code, call, awaited)
    if why is not None:
        return finding._replace(unfixable=why)  # these strategies have no unsafe alternative
    if not _moves(finding):
        return finding
    if awaits_in(call):
        return _without_moves(finding, _AWAITING)
    # imported here: a run reads this module for ``settle_subprocesses``, and a warm run,
    # which analyses nothing, then need not import the walker behind ``frame_bound``
    from deblock.analysis.thread_bound import frame_bound

    frame = frame_bound([call])
    if frame is not None:
        return _without_moves(finding, f"its arguments use {frame}; {_MOVED}")
    return finding


def site_shape(finding: Finding, shown: str, awaits: bool) -> Finding:
    """``finding``, made by the project pass at a call site whose callee's source is
    ``shown`` and whose call awaits (``awaits``), judged as ``fix_shape`` judges the
    module's own: a twin it learned is swapped only on a method call; a client it reached
    through another module is not one the module creates (``client_switch``)."""
    from deblock.analysis.client_switch import STRATEGY as CLIENT_SWITCH

    finding = _iteration_shape(finding)
    if finding.unfixable is not None:
        return finding
    if finding.unsafe_strategy == CLIENT_SWITCH:
        finding = thread_only(finding)
    if finding.strategy == "call-twin":
        callee = ast.parse(f"({shown})", mode="eval").body
        why = unwritable(finding.strategy, finding.code, ast.Call(callee, [], []), False)
        if why is not None:
            return finding._replace(unfixable=why)
    return _without_moves(finding, _AWAITING) if awaits and _moves(finding) else finding


def _iteration_shape(finding: Finding) -> Finding:
    """``finding``, unfixable when it reports an iteration (``X.__iter__``) that none of its
    strategies rewrites."""
    rewritten = _ITERATES in (finding.strategy, finding.unsafe_strategy)
    if finding.target.endswith(".__iter__") and finding.unfixable is None and not rewritten:
        return finding._replace(unfixable=ITERATION)
    return finding


def awaits_in(call: ast.Call) -> bool:
    """Whether ``call`` (its callee or its arguments) awaits or yields, an ``async``
    comprehension's ``async for`` too (it awaits with no ``await`` written)."""
    todo: list[ast.AST] = [call]
    while todo:
        node = todo.pop()
        if node.__class__ in _SUSPENDS or getattr(node, "is_async", 0):
            return True
        todo += child_nodes(node)
    return False


def holds(finding: Finding, inner: Finding | CallSite) -> bool:
    """Whether the span of ``finding`` holds that of ``inner`` (a finding or a call site)."""
    start, end = (finding.line, finding.col), (finding.end_line, finding.end_col)
    return start <= (inner.line, inner.col) and (inner.end_line, inner.end_col) <= end


def takes_whole(finding: Finding) -> bool:
    """Whether a fix of ``finding`` (safe or unsafe) runs its call's receiver and arguments
    in its worker thread too: a lazy result listed there, a call whose arguments block too
    (``nested_blocking``), a bridge taken whole."""
    fixes = (finding.strategy, finding.unsafe_strategy)
    lazy = finding.lazy_result and _THREAD in fixes
    return finding.nested_blocking or lazy or "bridge-whole" in fixes


def moves_whole_alone(finding: Finding) -> bool:
    """Whether the safe fix of ``finding`` runs its call's receiver and arguments in its
    worker thread (``takes_whole``) on its own: a section's moves its statements whole,
    under the module's lock, weighed as such (``sections.plan_module_sections``)."""
    return finding.strategy not in (None, SECTION_STRATEGY) and takes_whole(finding)


def _moves(finding: Finding) -> bool:
    """Whether a fix of ``finding`` would move its call's arguments into a worker thread."""
    return finding.strategy == "bridge-whole" or finding.lazy_result


def _without_moves(finding: Finding, why: str) -> Finding:
    if finding.strategy in _MOVES:
        kept = finding.unsafe_strategy is not None and finding.unsafe_strategy not in _MOVES
        return decline(finding, why, unsafe=kept)
    if finding.unsafe_strategy in _MOVES:
        return decline(finding, finding.declined or why)
    return finding


def unwritable(strategy: str | None, code: str, call: ast.Call, awaited: bool) -> str | None:
    """Why fix ``strategy`` of a ``code`` finding cannot rewrite ``call``, if it cannot."""
    if strategy in _BRIDGES:
        return _bridge_shape(call, code, awaited)
    if strategy == "call-async" and not (
        isinstance(call.func, ast.Attribute)
        and call.args
        and not isinstance(call.args[0], ast.Starred)
    ):
        return "the protected function is not the first positional argument"
    if strategy == "call-twin" and not isinstance(call.func, ast.Attribute):
        return "the call is not a method call: its twin is found on the object called"
    return None


def spawns(finding: Finding, call: ast.Call, statement: bool) -> bool:
    """Whether ``call`` (``statement``: its result unused) is what ``create-subprocess``
    rewrites: ``subprocess.call``, or ``subprocess.run`` as a statement, of a literal
    argument list, with no options besides ``cwd`` and ``env``."""
    if finding.target not in _SPAWNED or (finding.target == "subprocess.run" and not statement):
        return False
    if len(call.args) != 1 or not isinstance(call.args[0], (ast.List, ast.Tuple)):
        return False
    if any(isinstance(e, ast.Starred) for e in call.args[0].elts):
        return False
    return all(k.arg in _SPAWN_OPTIONS for k in call.keywords)


def settle_subprocesses(findings: list[Finding], library: str | None) -> list[Finding]:
    """``findings`` of a module on ``library`` (None: asyncio): asyncio's child processes
    are no fix in a module on another."""
    if library in (None, "asyncio"):
        return findings
    return [thread_only(f) if f.unsafe_strategy == SUBPROCESS else f for f in findings]


def thread_only(finding: Finding) -> Finding:
    """``finding`` without its unsafe fix (``create-subprocess``, ``async-client``): the
    thread's stays (offered as unsafe where the safe fix was declined)."""
    return finding._replace(unsafe_strategy=None if finding.strategy else _THREAD)


def _bridge_shape(call: ast.Call, code: str, awaited: bool) -> str | None:
    args = call.args
    if any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None for k in call.keywords):
        return "the bridge's arguments are unpacked"
    if code == _NESTED_LOOP:
        return "the event loop call has options" if len(args) != 1 or call.keywords else None
    if code == _NEEDLESS and not awaited:
        return "the bridge's awaitable is not awaited in place"
    if code == _IN_THREAD and not awaited:  # ``create_task(asyncio.to_thread(save, p))``
        return (
            "the bridge's awaitable is not awaited in place: what awaits it would get what "
            "the coroutine returns instead of the coroutine the thread made"
        )
    name = last_name(call.func)  # ``asyncio.to_thread``, or ``to_thread`` imported from it
    index = 1 if name == "run_in_executor" else 0
    if len(args) <= index:
        return "the bridged function is not a positional argument"
    if index == 0 and call.keywords and name != "to_thread":
        return "the bridge's keywords configure the thread, not the function"
    return None
