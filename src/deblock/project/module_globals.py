"""Sections that move a module's global into a thread while another module uses it.

A module's sections are weighed against its own code on the event loop
(``ModuleState.conflict``). Another module runs on the loop too: one that imports the
global's module and uses it (``helpers.TABLE``, ``ModuleSummary.reaches``), or the module
that owns it and uses it in its functions (reads it, changes it in place or rebinds it),
when a section of another module moves it. When one
of the two writes it, the section's safe fixes (``ModuleSummary.moved``) are declined,
offered as unsafe; and so are the safe fixes between two reads of a global that the module
never writes (``ModuleSummary.reread``) when another module writes it, or the attributes of
its class's instances (``ModuleSummary.instances_written``), and between two reads of a
parameter's attribute when any module writes those of some class's instances, or a global
holding a project class's instance (it may hold any object). A global, or an
instance's attribute, that some module hands to a sync function of another module that
changes that argument in place (``helpers.tally(LEDGER)``, ``helpers.note(self.log)`` of
``def note(log): log.append(x)``: ``ModuleSummary.handed``, ``FunctionSummary.changes``)
is written there too. A global is known by the module defining it, whatever module
re-exports it (``ProjectIndex.global_name``); the modules not summarised yet that name it
are summarised first (``ModuleSummaries.naming``): a handler no call site reaches may write
it on the event loop.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.section_partners import PARAMETER
from deblock.project.index import ProjectIndex
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries

_SPLIT = "an await there would let other tasks run between the statements that read `{}` twice"


def reached_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the lines of sections moving a global another module uses, and of runs
    reading twice one that another module writes, or some module hands a function
    changing it."""
    index = ProjectIndex(source)
    moved = [entry[:2] for summary in source.summaries for entry in summary.moved]
    reread = [entry[:2] for summary in source.summaries for entry in summary.reread]
    globals_ = {
        index.global_name(*key)
        for key in (*moved, *reread)
        if key[1][:5] != "self." and key[0] != PARAMETER
    }
    named = (n for m, n in globals_ if source.is_module(m) and not source.is_module(f"{m}.{n}"))
    source.naming(set(named))
    changers = changed_state(index, source.summaries)
    # the modules writing the attributes of each class's instances (``instances_written``)
    instances: dict[str, list[str]] = defaultdict(list)
    for summary in source.summaries:
        for cls in summary.instances_written:
            instances[cls].append(summary.module)
    users: dict[tuple[str, str], list[tuple[str, str, bool]]] = defaultdict(list)
    for summary in source.summaries:
        for module, name, writes in summary.reaches:
            key = index.global_name(module, name)
            users[key].append((summary.path, summary.module, writes))
    spans: dict[str, list[Span]] = defaultdict(list)
    anything: list[str] | None = None  # the modules that may write a parameter's object
    for summary in source.summaries:
        for module, name, first, last, moves_writes in summary.moved:
            key = index.global_name(module, name)
            changing = [(path, changer, True) for path, changer in changers.get(key, ())]
            for path, user, writes in [*users.get(key, ()), *changing]:
                if path != summary.path and (writes or moves_writes):
                    why = (
                        f"`{name}` is also used by `{user}` on the event loop, beside "
                        "the worker thread"
                    )
                    spans[summary.path].append(
                        (first, last, why, coroutine_at(summary, first), None)
                    )
        for owner, name, first, last in summary.reread:
            objects: list[str] = []
            if owner == PARAMETER:
                if anything is None:
                    anything = _object_writers(index, instances, users)
                written, changing, objects = [], [], anything
            elif name.startswith("self."):
                written, changing = [], _instance_changers(index, changers, owner, name)
            else:
                key = index.global_name(owner, name)
                written = [u for p, u, w in users.get(key, ()) if w and p != summary.path]
                changing = [changer for _, changer in changers.get(key, ())]
                classes = index.mro(index.normalize(".".join(key)))
                objects = [m for c in classes for m in instances.get(c, ())]
            for user, done in [
                *((u, "writes") for u in written),
                *((c, "changes") for c in changing),
                *((m, "may write as an instance's attributes") for m in objects[:1]),
            ]:
                why = f"{_SPLIT.format(name)}, which `{user}` {done} on the event loop"
                spans[summary.path].append((first, last, why, coroutine_at(summary, first), None))
    return spans


def _object_writers(index: ProjectIndex, instances: dict, users: dict) -> list[str]:
    """The modules that write some object's attributes, which a parameter may hold: those
    writing a class's instances' (``instances``, by class), and those writing a global that
    holds an instance of a project class (``users``: the globals' users, with whether they
    write them)."""
    found = sorted({m for modules in instances.values() for m in modules})
    for key, using in users.items():
        if index.cls(index.normalize(".".join(key))):
            found += [user for _, user, writes in using if writes]
    return found


def coroutine_at(summary, line: int) -> str:
    """The coroutine of the module that holds ``line`` (the innermost): a span is found
    again by its name once a fix moved its lines (``Span``)."""
    holding = [
        (function.line, qualname)
        for qualname, function in summary.functions.items()
        if function.is_async and function.line <= line <= function.end_line
    ]
    return max(holding)[1]


def changed_state(index: ProjectIndex, summaries) -> dict[tuple, list[tuple[str, str]]]:
    """The state modules hand to a sync function that changes that argument in place
    (``ModuleSummary.handed``, ``FunctionSummary.changes``): (path, the function) by the
    global it is (``global_name``), or by (class, ``self.x``)."""
    found: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for summary in summaries:
        for owner, name, callee, place in summary.handed:
            target = index.called(callee)
            defined = index.function(target)
            if defined is None or defined[1].is_async or place not in defined[1].changes:
                continue
            key = (owner, name) if name.startswith("self.") else index.global_name(owner, name)
            found[key].append((summary.path, target))
    return found


def _instance_changers(index: ProjectIndex, changers: dict, cls: str, name: str):
    """The changers of attribute ``name`` (``self.x``) of ``cls``'s instances: handed by a
    method of its class, of a base class or of a subclass."""
    for (owner, attribute), found in changers.items():
        if attribute == name and (cls in index.mro(owner) or owner in index.mro(cls)):
            yield from (changer for _, changer in found)
