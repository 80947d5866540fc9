"""Resources that fixes of several modules would touch from worker threads.

A fix serialises the sections of one module with that module's lock. Calls another
module's fixes move into threads are not serialised with them: when the calls one module
moves write the file system (or a database) that another module's moved calls touch,
the safe fixes of both touching it are declined, and offered as unsafe.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.findings import Finding, decline


def shared_across_modules(files: dict[str, list[Finding]]) -> dict[str, dict[str, str]]:
    """Per path, each resource it shares with another module, with one such module."""
    touching: dict[str, set[str]] = defaultdict(set)
    writing: dict[str, set[str]] = defaultdict(set)
    for path, findings in files.items():
        for finding in findings:
            if finding.resource and finding.fixable:
                touching[finding.resource].add(path)
                if finding.writes:
                    writing[finding.resource].add(path)
    shared: dict[str, dict[str, str]] = defaultdict(dict)
    for resource, paths in touching.items():
        for path in paths:
            others = (touching if path in writing[resource] else writing)[resource] - {path}
            if others:
                shared[path][resource] = min(others)
    return dict(shared)


def decline_shared(findings: list[Finding], shared: dict[str, str]) -> list[Finding]:
    """``findings`` of one module, the safe fixes of calls touching ``shared`` declined."""
    return [
        decline(finding, _reason(finding.resource, shared[finding.resource]), unsafe=True)
        if finding.safe_fix and finding.resource in shared
        else finding
        for finding in findings
    ]


def _reason(resource: str, other: str) -> str:
    return (
        f"`{other}` touches {resource} from worker threads too, and one of the two writes "
        "it: each module's lock serialises only its own threads"
    )
