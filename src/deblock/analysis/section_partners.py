"""Sections whose state (``Finding.state``) a section left on the event loop shares stay
there too: the lock serialises a section moved into a thread only with the others so moved.

It weighs findings alone, not trees: a warm run's project pass asks it without importing
the analyzer. A state is named ``Cls.x`` (an instance's ``self.x``), ``Cls.*`` (all of it:
the instance handed to code not seen here), ``?.x`` (a parameter's attribute: the instance
it names may be any) or by a global's name.
"""

from __future__ import annotations

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
