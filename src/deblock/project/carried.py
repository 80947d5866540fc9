"""A fix that runs its call's receiver and arguments in its worker thread too (a lazy
result listed there, a call whose arguments block too, a bridge taken whole:
``fix_shapes.takes_whole``) carries into the thread the calls among them that the project
pass found blocking: ``lambda: list(Path(base()).iterdir())`` runs ``base()`` there; and
those whose rule's only fix is unsafe (``subprocess.run(cmd, input=input().encode())``); a
bridge taken whole (DBK806, ``to_thread(json.load, open(p))``) also those of the module whose
own safe fix was declined: the bridge's fix runs them in its thread after its await too (not
a lazy result's whose list in the thread was withdrawn: the bridge lists nothing). It is
safe when each one's own fix is a safe thread's; withdrawn when one's fix is declined for
what the call does (it needs the loop, its object its thread); else offered as unsafe. The
fix takes them whole (``nested_blocking``): no other rewrite writes an ``await`` into its thread. So
does a section (statements that move into one thread under the module's lock) with the
calls in its lines: the lock serialises the module's sections, not the carried call's
callers elsewhere, on the event loop; a section moves whole or not at all. A ``with
open(...)`` block that would move whole into a thread (``open_forms``) holding such a call
stays on the event loop instead (``open_forms.staying``: its calls open to their own fixes).
"""

from __future__ import annotations

from collections.abc import Sequence

from deblock.analysis.fix_shapes import holds, takes_whole
from deblock.findings import Finding, decline

_THREAD = "to-thread"
_BRIDGE_WHOLE = "bridge-whole"
_CARRIED = "its fix would carry into the worker thread `{shown}`, {why}"
_UNSAFE = "which gets no safe thread fix of its own"


def carry_found(own: Sequence[Finding], across: Sequence[Finding]) -> list[Finding]:
    """A module's findings (``own``: its analysis's; ``across``: the project pass's), each
    fix that takes a call of ``across``, or one of ``own`` whose rule's only fix is unsafe
    (``input()``) or, for a bridge taken whole, whose safe fix was declined, into its
    thread judged by that call's."""
    movable = [*across, *(f for f in own if f.unsafe_fix_only and not f.declined)]
    declined = [f for f in own if f.declined and not _listed_elsewhere(f)]
    if not (movable or declined):
        return list(own)
    judged = []
    for finding in [*own, *across]:
        carriable = [*movable, *declined] if _bridged_whole(finding) else movable
        inner = [f for f in carriable if f is not finding and holds(finding, f)]
        for carried in inner if _moves(finding) else ():
            finding = _carrying(finding._replace(nested_blocking=True), carried)
        judged.append(_block_carrying(finding, movable))
    sections = {}  # a section's lines -> the first call it carries that declines it
    for finding in judged:
        if finding.section and finding.safe_fix and finding.section not in sections:
            carried = _unsafe_within(across, finding.section)
            if carried is not None:
                sections[finding.section] = carried
    if not sections:
        return judged
    from deblock.analysis.section_partners import keep_partners  # seldom needed

    judged = [
        _carrying(f, sections[f.section]) if f.safe_fix and f.section in sections else f
        for f in judged
    ]
    keep_partners(judged)  # a section so left on the loop keeps those sharing its state there
    return judged


def moved_along(finding: Finding, fixed: Sequence[Finding]) -> bool:
    """Whether ``finding`` went into the thread of a ``fixed`` call that took it whole."""
    return any(f.nested_blocking and holds(f, finding) for f in fixed)


def _moves(finding: Finding) -> bool:
    return finding.fixable and finding.section is None and takes_whole(finding)


def _bridged_whole(finding: Finding) -> bool:
    """Whether ``finding`` is a hand-written bridge whose fix takes its arguments whole into
    the thread (DBK806): what they call runs there after the await, not on the loop before
    it, as the declined safe fix of each of them would."""
    return finding.strategy == _BRIDGE_WHOLE


def _listed_elsewhere(finding: Finding) -> bool:
    """Whether ``finding``'s fix was withdrawn for a list its thread would make of its lazy
    result where other code takes that (``lazy_uses``): a thread that takes its call whole
    hands its result on as it is."""
    return finding.lazy_result and not finding.fixable


def _thread_safe(finding: Finding) -> bool:
    """Whether ``finding``'s own fix moves its call into a worker thread, safely."""
    return finding.safe_fix and finding.strategy == _THREAD


def _carrying(finding: Finding, carried: Finding) -> Finding:
    if _thread_safe(carried):
        return finding
    withdrawn = carried.declined and not carried.unsafe_fix_only  # for what it does
    if not (withdrawn or finding.strategy):
        return finding
    return decline(finding, _carried_reason(carried), unsafe=not withdrawn)


def _block_carrying(finding: Finding, movable: Sequence[Finding]) -> Finding:
    """``finding``, whose fix may move the ``with`` block it opens into a thread, kept on
    the event loop when the block holds a call of ``movable`` not safe in a thread."""
    from deblock.analysis.open_forms import ASYNC, THREAD, staying

    if finding.block is None or finding.open_form not in (ASYNC, THREAD):
        return finding  # no block, or one that opens async files on the loop
    carried = _unsafe_within(movable, finding.block)
    if carried is None:
        return finding
    reason = _carried_reason(carried)
    if finding.open_form == ASYNC:  # ``open_forms`` may yet choose async files
        return staying(finding, reason)
    return decline(finding._replace(open_form=None), finding.declined or reason)


def _unsafe_within(found: Sequence[Finding], lines: tuple[int, int]) -> Finding | None:
    """The first of ``found`` on ``lines`` (first and last) not safe in a thread."""
    first, last = lines
    return next((f for f in found if first <= f.line <= last and not _thread_safe(f)), None)


def _carried_reason(carried: Finding) -> str:
    shown = carried.message.split("`")[1] if "`" in carried.message else carried.target
    if carried.declined and not carried.unsafe_fix_only:
        return _CARRIED.format(shown=shown, why=f"whose fix is declined: {carried.declined}")
    return _CARRIED.format(shown=shown, why=_UNSAFE)
