"""Resources that code outside one module's lock touches while its fixes' threads run.

A fix serialises the sections of one module with that module's lock (two modules that
never run together need none between them: ``processes.apart``). Calls that another
module's fixes move into threads are not serialised with them, nor are calls left on the
event loop that the module's own analysis cannot see (a project helper that touches
files, reported across modules; a project class whose ``__init__`` does, not reported).
When one of them writes the file system (or a database) that the other touches, the safe
fixes moving the module's calls on it into threads are declined, and offered as unsafe;
unless only other modules' fixes stood in the way and all are modules of one package:
their sections then share one lock (``common_lock``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from deblock.analysis.lone_tests import Lines, in_lines
from deblock.analysis.section_partners import keep_partners, keep_unlocked
from deblock.findings import Finding, decline
from deblock.project.common_lock import common_locks

if TYPE_CHECKING:
    from deblock.project.processes import Loads

# (first line, last line, why, the coroutine's name, the resource whose fixes are declined,
# or the target of those that touch none, or None for all): a coroutine whose safe fixes
# are kept out, found again by its name once a fix moved its lines (``deadlines.spans_in``)
Span = tuple[int, int, str, str, str | None]


def span_order(span: Span) -> tuple:
    """A span's place in its module's list: by its lines, reason and coroutine, then its
    resource, none first (one coroutine may be declined by one reason both for all its fixes
    and for those on one resource: one that awaits itself)."""
    *head, resource = span
    return (*head, resource is not None, resource or "")


def deciding(spans: list[Span]) -> list[Span]:
    """``spans`` but each one an earlier span of the same lines, coroutine and resource
    shadows: ``decline_kept`` takes the first span that holds a fix, and so it does once a
    fix moved their lines (``deadlines.spans_in`` finds them by their coroutine)."""
    first: dict[tuple, Span] = {}
    for span in spans:
        start, end, _, qualname, resource = span
        first.setdefault((start, end, qualname, resource), span)
    return list(first.values())


def shared_across_modules(
    files: dict[str, list[Finding]],
    threaded: dict[str, dict[str, bool]],
    unreported: list[Finding] = (),
    programs: list[str] = (),
    loaded: dict[str, Loads] | None = None,
    tests: dict[str, Lines] | None = None,
    held: frozenset[str] = frozenset(),
    common: dict[str, list[str]] | None = None,
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Per path, each resource its safe fixes would touch from threads beside code its
    lock does not serialise, with the reason; and per path, the common lock its sections
    take instead, where only other modules' fixes of its package stood in the way
    (``common_lock.common_locks``; ``held``: the paths some of whose calls on a resource
    other reasons keep on the event loop). ``threaded``: by path, the resources the
    module's thread helpers touch (fixes made some), each with whether they write it
    (``common``: those all of whose helpers already hold the package's common lock);
    ``unreported``: findings on a resource that ``# noqa`` or the selection leave on the
    event loop (the module's own analysis counted them as moving); ``programs``: the
    modules that run in processes of their own; ``loaded``: the other projects' names
    each project's processes may load, in a run over several (``processes.loaded_names``);
    ``tests``: the lines of each module's lone tests (``lone_tests``): a call one leaves on
    the loop never runs beside the threads of the module's fixes when all are in lone
    tests too."""
    moving: dict[str, list[Finding]] = defaultdict(list)  # into a module's threads
    staying: dict[str, list[Finding]] = defaultdict(list)  # on the event loop
    for finding in (f for fs in files.values() for f in fs):
        if finding.resource:
            moves = finding.safe_fix and not finding.chain
            (moving if moves else staying)[finding.resource].append(finding)
    for finding in unreported:
        staying[finding.resource].append(finding)
    shared: dict[str, dict[str, str]] = defaultdict(dict)
    # what a module's fixes on a resource would wait for: the other modules' fixes moving
    # calls on it into threads, and their helpers already under their package's common
    # lock; absent when anything else does (a call on the loop)
    waits: dict[str, dict[str, tuple[set[str], set[str]]]] = defaultdict(dict)
    if not moving:
        return {}, {}
    from deblock.project.processes import Processes  # what a warm run seldom needs

    apart = Processes(programs, loaded).apart
    silenced = {id(f) for f in unreported}
    for resource, moved in moving.items():
        moved_writes = _writes_by_path(moved)  # the modules whose fixes move calls on it
        stay = staying[resource]
        stay_writes = _writes_by_path(stay)
        for path in sorted(moved_writes):
            writes = moved_writes[path] or stay_writes.get(path, False)
            lone, carried = _lone(files[path], resource, (tests or {}).get(path, ()))
            # the module's own calls left on the loop were weighed by its analysis, except
            # a project helper's (reported across modules) and what is not reported
            loop = [
                f
                for f in stay
                if (f.path != path or f.chain or id(f) in silenced)
                and (f.writes or writes)
                and not (
                    f.path == path and in_lines(f.line, lone) and not in_lines(f.line, carried)
                )
                and not apart(path, f.path)
            ]
            movers = {
                other
                for other, other_writes in moved_writes.items()
                if other != path and (other_writes or writes) and not apart(path, other)
            }
            helpers = {
                other
                for other, touched in threaded.items()
                if other != path
                and resource in touched
                and (touched[resource] or writes)
                and not apart(path, other)
            }
            locked = {other for other in helpers if resource in (common or {}).get(other, ())}
            threads = sorted(movers | helpers)
            if loop:  # named first: no common lock would serialise it
                first = min(loop, key=lambda f: (f.path, f.line))
                shared[path][resource] = _reason(resource, first.path, first)
            elif threads:
                shared[path][resource] = _reason(resource, threads[0])
                if not helpers - locked:
                    waits[path][resource] = (movers, locked)
    return common_locks(dict(shared), waits, moving, held)


def first_on_loop(findings: list[Finding]) -> list[Finding]:
    """Of ``findings`` left on the event loop, what ``shared_across_modules`` weighs: per
    path, resource and whether it writes, the first by line (a run keeps fewer)."""
    first: dict[tuple[str, str | None, bool], Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.path, f.line, f.col)):
        first.setdefault((finding.path, finding.resource, finding.writes), finding)
    return list(first.values())


def _lone(findings: list[Finding], resource: str, lone: Lines) -> tuple[Lines, Lines]:
    """``lone`` if every safe fix ``decline_shared`` would decline for ``resource`` among
    a module's ``findings`` lies in its lines, else none; and the lines of the sections
    those fixes move (a call in one is carried into the thread, not left on the loop)."""
    sections = {f.section for f in findings if f.section and f.resource == resource}
    moved = [
        f for f in findings if f.safe_fix and (f.resource == resource or f.section in sections)
    ]
    if not (lone and all(in_lines(f.line, lone) for f in moved)):
        return (), ()
    return lone, tuple({f.section for f in moved if f.section})


def _writes_by_path(findings: list[Finding]) -> dict[str, bool]:
    """The paths of ``findings``, each with whether one of its findings writes."""
    writes: dict[str, bool] = {}
    for finding in findings:
        writes[finding.path] = writes.get(finding.path, False) or finding.writes
    return writes


def decline_shared(findings: list[Finding], shared: dict[str, str]) -> list[Finding]:
    """``findings`` of one module, the safe fixes of calls on ``shared`` resources declined,
    and those of the other calls in their sections: a section moves whole or not at all
    (moved for a process call in it, it would carry the declined calls into its thread);
    and the sections sharing state with one so left on the event loop
    (``section_partners.keep_partners``)."""
    sections = {
        f.section: shared[f.resource] for f in findings if f.section and f.resource in shared
    }
    kept = [
        decline(finding, reason, unsafe=True)
        if finding.safe_fix
        and (reason := shared.get(finding.resource) or sections.get(finding.section))
        else finding
        for finding in findings
    ]
    if sections:
        keep_partners(kept)
    return kept


def decline_kept(findings: list[Finding], spans: list[Span], lone: Lines = ()) -> list[Finding]:
    """``findings`` of one module, the safe fixes in the coroutines of ``spans`` (on their
    resource or of their target, when one is named) declined, offered as unsafe, and with
    them the rest of their sections: a section moves whole or not at all; and the fixes the
    calls so left on the event loop may run beside (``section_partners.keep_unlocked``;
    ``lone``: the lines of the module's lone tests)."""
    why_of: dict[int, str] = {}
    for i, finding in enumerate(findings):
        for first, last, why, _, resource in spans if finding.safe_fix else ():
            key = finding.resource or finding.target
            if first <= finding.line <= last and resource in (None, key):
                why_of[i] = why
                break
    sections = {findings[i].section: why for i, why in why_of.items() if findings[i].section}
    kept = [
        decline(finding, why, unsafe=True)
        if finding.safe_fix
        and (why := why_of.get(i) or (finding.section and sections.get(finding.section)))
        else finding
        for i, finding in enumerate(findings)
    ]
    if not why_of:
        return kept
    return keep_unlocked(findings, kept, lone)


def _reason(resource: str, path: str, on_loop: Finding | None = None) -> str:
    if on_loop is None:
        return (
            f"`{path}` touches {resource} from worker threads too, and one of the two "
            "writes it: each module's lock serialises only its own threads"
        )
    shown = on_loop.target.rpartition(".")[2]
    return (
        f"`{shown}` ({path}:{on_loop.line}) touches {resource} on the event loop, where "
        "this module's lock does not reach"
    )
