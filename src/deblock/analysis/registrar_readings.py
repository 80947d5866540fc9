"""Exit registrars' names on receivers of unknown type, read both ways.

``stack.callback(SENT.append, path)`` on a parameter ``stack`` of no known type reads as an
exit stack's registrar (``EXIT_REGISTRARS``): what it is handed runs at the exit, not now.
A class of another module may define a method of that name that calls it at once
(``Hub.callback``), which the module alone cannot see. The module is analysed again reading
those names as calling at once; a safe fix the two readings decide differently carries the
names (``Finding.registrars``), and the project pass declines it where a project class
defines one (``project.registrar_reads``). What the module writes more when they call at
once (``at_once_writes``) is kept beside its summary, which the project's summaries take in
where a project class defines one (``ModuleSummaries``, ``widened``): another module's fix
is weighed against those writes.
"""

from __future__ import annotations

from dataclasses import replace

from deblock.analysis.summary import ModuleSummary
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


def at_once_writes(summary: ModuleSummary, other: ModuleSummary, names: frozenset[str]) -> tuple:
    """``ModuleSummary.at_once`` of ``summary``, ``other`` the module's summary with ``names``
    read as calling at once: () where it writes, reads and reaches nothing more."""
    functions = tuple(
        (name, _joined(own.writes, function.writes), _joined(own.reads, function.reads))
        for name, function in other.functions.items()
        if (own := summary.functions.get(name)) is not None
        and not (set(function.writes) <= set(own.writes) and set(function.reads) <= set(own.reads))
    )
    reached = {(module, name): writes for module, name, writes in summary.reaches}
    for module, name, writes in other.reaches:
        reached[module, name] = reached.get((module, name), False) or writes
    reaches = tuple(sorted((module, name, writes) for (module, name), writes in reached.items()))
    if not functions and reaches == tuple(sorted(summary.reaches)):
        return ()
    return tuple(sorted(names)), reaches, functions


def widened(summary: ModuleSummary) -> ModuleSummary:
    """``summary`` as read with its ``at_once`` names calling at once (a copy)."""
    _, reaches, functions = summary.at_once
    changed = {
        name: replace(summary.functions[name], writes=writes, reads=reads)
        for name, writes, reads in functions
    }
    return replace(summary, reaches=reaches, functions={**summary.functions, **changed})


def _joined(own: tuple, more: tuple) -> tuple:
    return tuple(sorted({*own, *more}))
