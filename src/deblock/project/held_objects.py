"""Calls on a non-thread-safe class that the project pass leaves on the event loop.

The project pass has no sections: a call it finds on an object two threads must not use
at once (``NOT_THREAD_SAFE``: a pika channel, a socket) that other calls may share is left
on the event loop (``findings._SHARED_OBJECT``). A module's section moving another call on
that class into a worker thread, under its module's lock, may then use the same object
from the thread while the loop uses it: a getter's channel beside a parameter annotated
with the channel's class. An object's lifetime moves into one thread whole or not at all:
while one call on a class stays on the loop, the safe fixes of every other call on that
class in the namespace are declined, offered as unsafe, and with them the rest of their
sections (``shared_io.decline_kept``).
"""

from __future__ import annotations

from collections import defaultdict

from deblock.findings import Finding
from deblock.project.module_globals import coroutine_at
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries
from deblock.rules.resources import NOT_THREAD_SAFE

_HELD = (
    "a call on a `{cls}` stays on the event loop ({path}:{line}), which may be on the same"
    " object: two threads must not use it at once, and its calls move into a thread all"
    " or none"
)


def held_spans(
    source: ModuleSummaries, found: dict[str, list[Finding]], every: dict[str, list[Finding]]
) -> dict[str, list[Span]]:
    """By path, a ``Span`` of each safe fix of a call on a ``NOT_THREAD_SAFE`` class one
    of whose calls the project pass (``found``) leaves on the event loop; ``every``: the
    findings of both passes, by path. A call in a module that never runs beside the
    held one's (``ModuleSummaries.meets``) cannot be on its object."""
    held: dict[str, list[Finding]] = defaultdict(list)
    for path in sorted(found):
        for finding in found[path]:
            cls = finding.target.rpartition(".")[0]
            if cls in NOT_THREAD_SAFE and not finding.safe_fix:
                held[cls].append(finding)
    if not held:
        return {}
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in source.summaries:
        side = source.side(summary.path)
        for finding in every.get(summary.path, ()):
            kept = held.get(finding.target.rpartition(".")[0], ())
            first = next((f for f in kept if source.meets(side, f.path)), None)
            if first is not None and finding.safe_fix:
                cls = first.target.rpartition(".")[0].rpartition(".")[2]
                why = _HELD.format(cls=cls, path=first.path, line=first.line)
                key = finding.resource or finding.target
                place = coroutine_at(summary, finding.line)
                spans[summary.path].append((finding.line, finding.end_line, why, place, key))
    return spans
