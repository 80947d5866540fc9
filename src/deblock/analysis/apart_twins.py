"""Twin calls between the same two awaits: swapped, each would let other tasks run
between them (Django's ``create`` then ``count`` returned 1..20 under 20 concurrent calls on
the loop, 20 every time with both awaited)."""

from __future__ import annotations

from deblock.findings import Finding, decline
from deblock.rules.twins import SWAPS, TWIN_CALLS


def apart_swaps(findings: list[Finding]) -> list[Finding]:
    """``findings`` of one segment, each twin swap declined (its thread bridge offered as
    unsafe) when another call on a class with twins shares the segment: as a coroutine,
    it would let other tasks run between them."""
    calls = [f for f in findings if f.code in TWIN_CALLS]
    if len(calls) < 2:
        return findings
    kept = []
    for finding in findings:
        if finding in calls and finding.strategy in SWAPS:
            other = next(f for f in calls if f is not finding)
            shown = other.target.rpartition(".")[2]
            why = (
                f"it runs between the same two awaits as `{shown}` (line {other.line}), "
                "another call on a class with twins: awaited, it would let other tasks run "
                "between them"
            )
            finding = decline(finding, why, unsafe=True)
        kept.append(finding)
    return kept


def apart_in_segments(findings: list[Finding]) -> list[Finding]:
    """A module's findings from both passes, ``apart_swaps`` applied to the twin calls of
    each run of statements (``segment``): a module's own class's twin and a library's,
    found by different passes, share it as two of either would. A twin call is in every
    run whose lines hold its line (a fix that moved lines leaves the carried findings'
    runs behind; the lines of the findings themselves move with them)."""
    twins = [i for i, finding in enumerate(findings) if finding.segment is not None]
    found = list(findings)
    for first, last in sorted({findings[i].segment for i in twins}):
        inside = [i for i in twins if first <= found[i].line <= last]
        for i, finding in zip(inside, apart_swaps([found[i] for i in inside]), strict=True):
            found[i] = finding
    return found
