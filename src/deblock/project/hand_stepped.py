"""No fixes where a project may run coroutines with no event loop.

A project that steps coroutines by hand (``analysis.hand_stepped``: ESPHome's code
generator runs its components' ``async def to_code`` so) may run any of its coroutines
where no event loop is, and every fix awaits what needs one: ``asyncio.to_thread`` raises
``RuntimeError: no running event loop`` there, an async file or a twin coroutine suspends
on a future no loop resolves. A module of such a project that commits to no async library
(``analysis.async_library``) gets no fix; one that commits to a library runs under it.
"""

from __future__ import annotations

from deblock.findings import Finding, decline
from deblock.project.dependencies import project_of


def decline_hand_stepped(
    files: dict[str, list[Finding]],
    libraries: dict[str, str | None],
    stepping: dict[str, int],
) -> dict[str, list[Finding]]:
    """The findings of the modules (``files``) whose fixes are declined: those committing
    to no library (``libraries``) in a project where a module steps coroutines by hand
    (``stepping``: path → line)."""
    if not stepping:
        return {}
    known: dict[str, str | None] = {}
    drivers = {project_of(path, known): path for path in sorted(stepping, reverse=True)}
    declined = {}
    for path, found in files.items():
        if libraries.get(path) is not None or not any(f.fixable for f in found):
            continue
        driver = drivers.get(project_of(path, known))
        if driver is not None:
            reason = (
                f"its project steps coroutines by hand ({driver}:{stepping[driver]}): this "
                "one may run where no event loop is, and the fix awaits what needs one"
            )
            declined[path] = [decline(f, reason) if f.fixable else f for f in found]
    return declined
