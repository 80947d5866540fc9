"""Sections whose state (``Finding.state``) a section left on the event loop shares stay
there too, and so do the calls on a shared resource that one left there may run beside: the
lock serialises a section moved into a thread only with the others so moved.

It weighs findings alone, not trees: a warm run's project pass asks it without importing
the analyzer. A state is named ``Cls.x`` (an instance's ``self.x``), ``Cls.*`` (all of it:
the instance handed to code not seen here), ``?.x`` (a parameter's attribute: the instance
it names may be any) or by a global's name.
"""

from __future__ import annotations

from deblock.analysis.lone_tests import Lines, in_lines
from deblock.findings import Finding, decline

ANY = "*"  # ``self.*``: every attribute of the instance (handed to code not seen here)
# The owner of a parameter's attribute (``journal.log``): the instance it names may be any.
PARAMETER = "?"


def keep_partners(findings: list[Finding]) -> bool:
    """Decline the safe fixes of the sections that share state (``Finding.state``) with a
    section left on the event loop: the lock serialises a section moved into a thread only
    with the others so moved. Whether any was declined."""
    declined = False
    while True:
        moving = {f.section for f in findings if f.section and f.safe_fix}
        staying = [f for f in findings if f.state and f.section not in moving]
        found = False
        for i, finding in enumerate(findings):
            if not (finding.safe_fix and finding.state):
                continue
            stays = next((f for f in staying if _meet(f.state, finding.state)), None)
            if stays is None:
                continue
            shared = _meet(stays.state, finding.state)
            owner, _, attribute = shared.rpartition(".")
            name = f"a parameter's `{attribute}`" if owner == PARAMETER else f"`{shared}`"
            why = (
                f"the statements that {finding.section_reason} must stay atomic, but {name} is"
                f" also used by the section at line {stays.section[0]}, which stays on the event"
                " loop, where the lock that serialises the threads does not reach"
            )
            findings[i] = decline(finding, why, unsafe=True)
            found = declined = True
        if not found:
            return declined


def _meet(ours: tuple[str, ...], theirs: tuple[str, ...]) -> str | None:
    """The first state of ``ours`` that may be one of ``theirs`` (``Cls.*``: any attribute)."""
    for name in ours:
        owner, _, attribute = name.rpartition(".")
        for other in theirs:
            their_owner, _, their_attribute = other.rpartition(".")
            anything = owner and owner == their_owner and ANY in (attribute, their_attribute)
            if other == name or anything:
                return name
    return None


def unlocked(findings: list[Finding], resource: str, lone: Lines = ()) -> None:
    """Decline the safe fixes of calls touching a shared ``resource`` when one of them
    stays on the event loop beside them: the lock does not serialise it with the threads.
    A call a lone test leaves there never runs beside another lone test's (``lone``: their
    lines); a fix declined leaves its calls there too."""
    while True:
        stays = [f for f in findings if f.resource == resource and not f.safe_fix]
        if not stays:
            return
        units: dict[object, list[int]] = {}  # a section moves whole, a lone call alone
        for i, finding in enumerate(findings):
            if finding.safe_fix and resource in (finding.resource, *finding.lazy_reads):
                units.setdefault(finding.section or i, [])
        for i, finding in enumerate(findings):
            unit = finding.section if finding.section in units else i
            if finding.safe_fix and unit in units:
                units[unit].append(i)
        beside = [f for f in stays if not in_lines(f.line, lone)]
        declined = False
        for members in units.values():
            alone = all(in_lines(findings[i].line, lone) for i in members)
            conflicting = beside if alone else stays
            if not conflicting:
                continue
            why = (
                f"line {conflicting[0].line} touches {resource} too and stays on the event "
                "loop, where the lock that serialises the threads does not reach"
            )
            for i in members:
                findings[i] = decline(findings[i], why, unsafe=True)
            declined = True
        if not declined:
            return


def keep_unlocked(before: list[Finding], after: list[Finding], lone: Lines = ()) -> list[Finding]:
    """``after``: a module's findings once the project pass declined some of ``before``
    (its own analysis had weighed them as moving); a call so left on the event loop, on a
    resource the module writes, declines the safe fixes on it that it may run beside, as
    in the module's own analysis (``unlocked``), and a section so left the sections that
    share its state (``keep_partners``)."""
    written = {f.resource for f in after if f.writes}
    settled = list(after)
    while True:
        pairs = zip(before, settled, strict=True)
        left = {a.resource for b, a in pairs if b.safe_fix and not a.safe_fix}
        for resource in sorted(r for r in left & written if r):
            unlocked(settled, resource, lone)
        if not keep_partners(settled):
            return settled
