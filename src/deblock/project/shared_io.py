"""Resources that code outside one module's lock touches while its fixes' threads run.

A fix serialises the sections of one module with that module's lock. Calls that another
module's fixes move into threads are not serialised with them, nor are calls left on the
event loop that the module's own analysis cannot see (a project helper that touches
files, reported across modules). When one of them writes the file system (or a database)
that the other touches, the safe fixes moving the module's calls on it into threads are
declined, and offered as unsafe.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.findings import Finding, decline


def shared_across_modules(
    files: dict[str, list[Finding]], threaded: dict[str, dict[str, bool]]
) -> dict[str, dict[str, str]]:
    """Per path, each resource its safe fixes would touch from threads beside code its
    lock does not serialise, with the reason. ``threaded``: by path, the resources the
    module's thread helpers touch (fixes made some), each with whether they write it."""
    by_resource: dict[str, list[Finding]] = defaultdict(list)
    for findings in files.values():
        for finding in findings:
            if finding.resource:
                by_resource[finding.resource].append(finding)
    shared: dict[str, dict[str, str]] = defaultdict(dict)
    for resource, findings in by_resource.items():
        for path in sorted({f.path for f in findings if f.safe_fix}):
            writes = any(f.writes for f in findings if f.path == path)
            other = next(
                (
                    f
                    for f in sorted(findings, key=lambda f: (not f.safe_fix, f.path, f.line))
                    if (f.path != path or f.chain) and (f.writes or writes)
                ),
                None,
            )
            helpers = sorted(
                p
                for p, touched in threaded.items()
                if p != path and resource in touched and (touched[resource] or writes)
            )
            if other is not None and (other.safe_fix or not helpers):
                shared[path][resource] = _reason(resource, other.path, other)
            elif helpers:
                shared[path][resource] = _reason(resource, helpers[0])
    return dict(shared)


def decline_shared(findings: list[Finding], shared: dict[str, str]) -> list[Finding]:
    """``findings`` of one module, the safe fixes of calls on ``shared`` resources declined."""
    return [
        decline(finding, shared[finding.resource], unsafe=True)
        if finding.safe_fix and finding.resource in shared
        else finding
        for finding in findings
    ]


def _reason(resource: str, path: str, on_loop: Finding | None = None) -> str:
    if on_loop is None or on_loop.safe_fix:
        return (
            f"`{path}` touches {resource} from worker threads too, and one of the two "
            "writes it: each module's lock serialises only its own threads"
        )
    shown = on_loop.target.rpartition(".")[2]
    return (
        f"`{shown}` ({path}:{on_loop.line}) touches {resource} on the event loop, where "
        "this module's lock does not reach"
    )
