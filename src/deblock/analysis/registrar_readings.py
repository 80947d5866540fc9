"""Exit registrars' names on receivers of unknown type, read both ways.

``stack.callback(SENT.append, path)`` on a parameter ``stack`` of no known type reads as an
exit stack's registrar (``EXIT_REGISTRARS``): what it is handed runs at the exit, not now.
A class of another module may define a method of that name that calls it at once
(``Hub.callback``), which the module alone cannot see. The module is analysed again reading
those names as calling at once; a safe fix the two readings decide differently carries the
names (``Finding.registrars``), and the project pass declines it where a project class
defines one (``project.registrar_reads``).
"""

from __future__ import annotations

from deblock.findings import Finding


def read_both_ways(
    first: list[Finding], at_once: list[Finding], names: frozenset[str]
) -> list[Finding]:
    """``first`` (registrars read as such), each safe fix whose decision differs when
    ``names`` are read as calling at once (``at_once``' findings) marked with them."""
    other = {_place(f): f for f in at_once}
    registrars = tuple(sorted(names))
    return [
        f._replace(registrars=registrars)
        if f.safe_fix and _decision(f) != _decision(other.get(_place(f)))
        else f
        for f in first
    ]


def _place(finding: Finding) -> tuple:
    return finding.line, finding.col, finding.code, finding.target


def _decision(finding: Finding | None) -> tuple | None:
    """What a safe fix does (None: there is none)."""
    if finding is None or not finding.safe_fix:
        return None
    return finding.strategy, finding.section, finding.block, finding.open_form, finding.twin
