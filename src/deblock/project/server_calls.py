"""Calls on a shared client of a third-party library that name no resource, and the server
they touch beside another call of their run.

The project pass's finding on such a client (pika's channel got through another module's
getter, or a coroutine's parameter) names no resource: pika is no ``SERVER_MODULES``
client. Beside another call on a server in a run of statements that runs whole on the
loop, it may talk to the same server, and whatever server each talks to, the run takes from
both in one piece: a job got from pika's broker, then a record counted and sent through an
own kafka client, is paired with that count in every call (``held_server_other_library``;
weighed only beside a call of its library, the kafka calls went into a thread on their own
and calls paired jobs with other counts). The project pass weighs the members of a run so:
its findings (``helper_writes``), a caller's events (``atomic_callers``).
"""

from __future__ import annotations

from collections.abc import Iterable

from deblock.findings import Finding
from deblock.rules.resources import READS, SERVER, resource_of


def kept_writes(found: Iterable[Finding]) -> bool | None:
    """Whether the calls on shared clients that name no resource among ``found`` write the
    server; None when there is none."""
    kept = [
        f.target not in READS
        for f in found
        if f.resource is None and resource_of(f.code, f.target, True) == SERVER
    ]
    return any(kept) if kept else None


def either(kept: Iterable[bool | None]) -> bool | None:
    """``kept_writes`` of members taken as one."""
    known = [writes for writes in kept if writes is not None]
    return any(known) if known else None


def on_server(members: list[tuple[bool | None, bool]]) -> list[bool | None]:
    """For each member of a run, (``kept_writes``, whether it calls on a server): whether
    it writes the server its kept calls touch beside another member's call on a server;
    None when they touch none so."""
    servers = sum(server for _, server in members)
    return [kept if kept is not None and servers > server else None for kept, server in members]
