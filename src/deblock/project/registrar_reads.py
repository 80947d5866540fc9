"""Safe fixes that hold only while an exit registrar's name is no project method's.

The module pass reads ``hub.callback(SEEN.append, n)``, on a receiver of unknown type, as
an exit stack's registrar, and weighs the other reading too (``analysis.registrar_readings``):
a safe fix the two decide differently names it (``Finding.registrars``). Where a class of
the project defines a method of that name (``hubs.Hub.callback``: the modules whose text
names it are summarised, ``ModuleSummaries.methods_named``) that may run beside the
module, the receiver may be its instance, which may call what it is handed at once: the fix
is declined, offered as unsafe.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.findings import Finding
from deblock.project.module_globals import coroutine_at
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries

_EITHER = (
    "`{name}` on an object of unknown type may be an exit stack's (what it is handed runs at"
    " the exit) or `{method}` (which may run it at once), and the two readings decide this"
    " fix differently"
)


def registrar_spans(
    source: ModuleSummaries, every: dict[str, list[Finding]]
) -> dict[str, list[Span]]:
    """By path, a ``Span`` of each safe fix that holds only while a registrar's name it
    names (``Finding.registrars``) is no method of a project class; ``every``: the
    findings of both passes, by path."""
    named = {name for found in every.values() for f in found if f.safe_fix for name in f.registrars}
    if not named:
        return {}
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in source.summaries:
        found = every.get(summary.path, ())
        methods = source.methods_named(named, summary.path) if found else {}
        for finding in found:
            name = next((n for n in finding.registrars if n in methods), None)
            if name is not None and finding.safe_fix:
                why = _EITHER.format(name=name, method=methods[name])
                place = coroutine_at(summary, finding.line)
                spans[summary.path].append((finding.line, finding.end_line, why, place, None))
    return spans
