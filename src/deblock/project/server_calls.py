"""Calls on a shared client of a third-party library that name no resource, and the server
they touch beside another call of their run.

The project pass's finding on such a client (pika's channel got through another module's
getter, or a coroutine's parameter) names no resource: pika is no ``SERVER_MODULES``
client. The module pass counts a call on a shared client beside an own client's call of its
library in one run, or beside a project function's call on the server, as one on the server
(``SectionAccesses._through_own``): both may talk to one server. The project pass weighs the
members of a run so: its findings (``helper_writes``), a caller's events (``atomic_callers``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from deblock.findings import Finding
from deblock.rules.resources import READS, SERVER, resource_of

ANY_LIBRARY = ""  # the library of a server call not known: a project function's


class ServerCalls(NamedTuple):
    """What a member of a run does with servers: its calls on shared clients that name no
    resource (``kept``: each library's, with whether one writes the server), and the
    libraries of its calls on the server (``ANY_LIBRARY``: one not known)."""

    kept: tuple[tuple[str, bool], ...] = ()
    libraries: frozenset[str] = frozenset()


def server_calls(found: Iterable[Finding]) -> ServerCalls:
    """The server calls of a member whose findings are ``found``: a project function's call
    (a chain) names no library."""
    kept: dict[str, bool] = {}
    libraries = set()
    for finding in found:
        library = finding.target.partition(".")[0]
        if finding.resource == SERVER:
            libraries.add(ANY_LIBRARY if finding.chain else library)
        elif finding.resource is None and resource_of(finding.code, finding.target, True) == SERVER:
            kept[library] = kept.get(library, False) or finding.target not in READS
    return ServerCalls(tuple(kept.items()), frozenset(libraries))


def joined(members: Iterable[ServerCalls]) -> ServerCalls:
    """The server calls of ``members`` taken as one."""
    kept: dict[str, bool] = {}
    libraries: set[str] = set()
    for member in members:
        for library, writes in member.kept:
            kept[library] = kept.get(library, False) or writes
        libraries |= member.libraries
    return ServerCalls(tuple(kept.items()), frozenset(libraries))


def on_server(members: list[ServerCalls]) -> list[bool | None]:
    """For each member of a run, whether it writes the server its kept calls touch beside
    another member's call on the server of their library (or of one not known); None when
    they touch none so."""
    if not any(member.kept for member in members):
        return [None] * len(members)
    counts = Counter(library for member in members for library in member.libraries)
    touched = []
    for member in members:
        beside = [
            writes
            for library, writes in member.kept
            if any(counts[k] > (k in member.libraries) for k in {ANY_LIBRARY, library})
        ]
        touched.append(any(beside) if beside else None)
    return touched
