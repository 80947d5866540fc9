"""A module's text judged with what the run over its project found about the module, which
its text alone does not say: the fixer's re-analysis of a module it rewrote, and an
editor's buffer (``check --stdin-filename``)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from deblock.config import Settings
from deblock.project.common_lock import with_lock
from deblock.project.deadlines import spans_in
from deblock.project.importers import importers
from deblock.project.loop_bound import decline_loop_bound, moves_in
from deblock.project.shared_io import decline_kept, decline_shared
from deblock.runner import RunResult, analyze_bytes, analyze_paths


class RunFacts(NamedTuple):
    """What a run found of one module (``RunResult``'s fields by path): the resources its
    fixes share with other modules' code, the coroutines whose fixes are kept out and the
    calls a fix would move that need the event loop (both found again by name), the common
    lock its sections take, where other modules' coroutines await what it hands them, and
    the project's own thread bridge its fixes call."""

    shared: dict[str, str]
    kept: list
    loop: list
    lock: str | None
    awaited: frozenset
    bridge: str | None

    @classmethod
    def of(cls, run: RunResult, path: str) -> RunFacts:
        return cls(
            run.shared.get(path, {}),
            run.kept.get(path, []),
            run.loop.get(path, []),
            run.locks.get(path),
            run.awaited.get(path, frozenset()),
            run.bridges.get(path),
        )


def judged_in_run(
    data: bytes, path: str, settings: Settings, facts: RunFacts, library: str | None = None
) -> RunResult:
    """``analyze_bytes`` of ``data`` as the module at ``path``, its findings judged with
    ``facts``, as the run that found them judged the module's (through its bridge)."""
    if facts.bridge is not None:
        settings = replace(settings, thread_bridge=facts.bridge)
    run = analyze_bytes(data, path, settings, library, facts.awaited)
    summary = run.summaries.get(path, {})
    functions, lone = summary.get("functions", {}), summary.get("tests", ())
    found = decline_loop_bound(run.files.get(path, []), moves_in(functions, facts.loop), lone)
    found = decline_shared(found, facts.shared)
    found = with_lock(found, facts.lock) if facts.lock else found
    run.files[path] = decline_kept(found, spans_in(functions, facts.kept), lone)
    return run


def analyze_buffer(
    data: bytes,
    path: str,
    settings: Settings,
    *,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
) -> RunResult:
    """``data``, an editor's buffer of the file at ``path``, judged as the run over that
    file judges it (``analyze_paths``: with its project's modules that import it, and the
    rest when its fixes touch a shared resource): that run's result when the buffer holds
    the file's text, else the buffer judged with what that run found of the file (its
    fixes on a resource the saved text's do not move declined when the project has other
    modules: that run weighed none of them for it); alone when ``path`` names no file."""
    if not os.path.isfile(path):
        return analyze_bytes(data, path, settings)
    run = analyze_paths([path], settings, jobs=jobs, cache_dir=cache_dir)
    with open(path, "rb") as fh:
        if fh.read() == data:
            return run
    from deblock.project.async_library import project_libraries

    shown = next(iter(run.files), path)  # the run's name of the file
    library = project_libraries(run.libraries, [shown]).get(shown)
    judged = judged_in_run(data, shown, settings, RunFacts.of(run, shown), library)
    weighed = {f.resource for f in run.files.get(shown, ()) if f.fixable and not f.chain}
    found = judged.files.get(shown, [])
    unweighed = {f.resource for f in found if f.resource and f.resource not in weighed}
    if unweighed and any(importers([path], [shown], settings, cache_dir)):
        reason = (
            "the saved file moves no call on {} into a thread: the run over it weighed "
            "none of the project's modules for it (save the file to have them weighed)"
        )
        judged.files[shown] = decline_shared(found, {r: reason.format(r) for r in unweighed})
    return judged
