"""Sections that move a module's global into a thread while another module uses it.

A module's sections are weighed against its own code on the event loop
(``ModuleState.conflict``). Another module runs on the loop too: one that imports the
global's module and uses it (``helpers.TABLE``, ``ModuleSummary.reaches``), or the module
that owns it and uses it in its functions (reads it, changes it in place or rebinds it),
when a section of another module moves it. When one
of the two writes it, the section's safe fixes (``ModuleSummary.moved``) are declined,
offered as unsafe; and so are the safe fixes between two reads of a global that the module
never writes (``ModuleSummary.reread``) when another module writes it, and between a read of
such a global and an access of another resource other tasks may change
(``ModuleSummary.beside``: a write of the module's ``LOG``, then a read of
``ledgers.LEDGER.count``): on the loop every task's accesses of the two come in one order.
So too between reads of two states the module never writes when other modules write both
(``ModuleSummary.pairs``: ``book.SOLD`` then ``book.PAID``, which ``sell`` moves on; a
parameter's ``ledger.sold`` then ``ledger.paid``, when modules write attributes of those
names on some object, ``ModuleSummary.attributes_written``).
Another module writes a global it assigns or changes, and the attributes of an object the
global holds when its code writes those of its class's instances (``instances_written``:
``bump`` moving on ``self.count``); and an instance's attribute (read twice, or moved by a
section) it writes on the instances of a class of the instance's class's kin
(``kin_writes``: a subclass defined there). A parameter's attribute read twice
(``ledger.count``) may be any object's: written when a module writes a class's instances'
attributes, or a global holding an instance. A global, or an
instance's attribute, that some module hands to a sync function of another module that
changes that argument in place (``helpers.tally(LEDGER)``, ``helpers.note(self.log)`` of
``def note(log): log.append(x)``: ``ModuleSummary.handed``, ``FunctionSummary.changes``,
followed into the functions it hands it on to, ``handed_on``) is written there too. A
global is known by the module defining it, whatever module re-exports it
(``ProjectIndex.global_name``); the modules not summarised yet that name it are summarised
first (``ModuleSummaries.naming``): a handler no call site reaches may write it on the
event loop.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from deblock.analysis.section_partners import ANY, PARAMETER
from deblock.project.handed_on import changed_places
from deblock.project.index import ProjectIndex
from deblock.project.kin_writes import KinWrites
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries
from deblock.rules.resources import shown_resource

_SPLIT = "an await there would let other tasks run between the statements that read `{}` twice"
_BESIDE = (
    "an await there would let other tasks run between the statements that touch {} and read `{}`"
)

_PAIR = (
    "an await there would let other tasks run between the statements that read `{}`, {}, "
    "and `{}`, {}, on the event loop"
)


def reached_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the lines of sections moving a global another module uses, and of runs
    reading twice one that another module writes, or some module hands a function
    changing it."""
    index = ProjectIndex(source)
    moved = [entry[:2] for summary in source.summaries for entry in summary.moved]
    reread = [e[:2] for summary in source.summaries for e in (*summary.reread, *summary.beside)]
    reread += [e[i : i + 2] for summary in source.summaries for e in summary.pairs for i in (0, 2)]
    globals_ = {
        index.global_name(*key)
        for key in (*moved, *reread)
        if key[1][:5] != "self." and key[0] != PARAMETER
    }
    named = (n for m, n in globals_ if source.is_module(m) and not source.is_module(f"{m}.{n}"))
    source.naming(set(named))
    changers = changed_state(index, source.summaries)
    users = global_users(index, source.summaries)
    kin = KinWrites(index, {summary.path: summary for summary in source.summaries})
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in source.summaries:
        side = source.side(summary.path)
        for module, name, first, last, moves_writes in summary.moved:
            if name.startswith("self."):  # an instance's: written by its kin's code elsewhere
                using = [(None, m, True) for m in kin.writers(summary.path, module, name)]
            else:
                key = index.global_name(module, name)
                using = [*users.get(key, ()), *((p, c, True) for p, c in changers.get(key, ()))]
            for path, user, writes in using:
                beside = path is None or source.meets(side, path)
                if path != summary.path and beside and (writes or moves_writes):
                    why = (
                        f"`{name}` is also used by `{user}` on the event loop, beside "
                        "the worker thread"
                    )
                    spans[summary.path].append(
                        (first, last, why, coroutine_at(summary, first), None)
                    )
        writers = _Writers(index, source, summary.path, users, changers, kin)
        for owner, name, first, last in summary.reread:
            for user, done in writers(owner, name):
                shown = name.removesuffix(f".{ANY}")
                why = f"{_SPLIT.format(shown)}, which `{user}` {done} on the event loop"
                spans[summary.path].append((first, last, why, coroutine_at(summary, first), None))
        for owner, name, first, last, other in summary.beside:
            shown = name if name.startswith("self.") else ".".join(index.global_name(owner, name))
            for user, done in writers(owner, name):
                why = (
                    f"{_BESIDE.format(shown_resource(other), shown)}, which `{user}` {done} on "
                    "the event loop"
                )
                spans[summary.path].append((first, last, why, coroutine_at(summary, first), None))
        for *keys, first, last in summary.pairs:
            pair = [(keys[i], keys[i + 1]) for i in (0, 2)]
            found = [writers.of_pair(*key)[:1] for key in pair]
            if all(found):
                shown = [
                    name if owner == PARAMETER else ".".join(index.global_name(owner, name))
                    for owner, name in pair
                ]
                done = [f"which `{w[0][0]}` {w[0][1]}" for w in found]
                why = _PAIR.format(shown[0], done[0], shown[1], done[1])
                spans[summary.path].append((first, last, why, coroutine_at(summary, first), None))
    kin.release()
    return spans


class _Writers:
    """Who writes a module's state beyond it, on the event loop: (who, what it does) of
    each, for (owner, name) of ``ModuleSummary.reread`` and ``beside`` read by the module
    at ``path``; ``users`` and ``changers``, ``reached_spans``'; ``kin``: the writes of an
    instance's attributes by other modules' code on its class's kin. Only modules that
    may run beside it (``ModuleSummaries.meeting``) write a global it reads, or change any
    object a parameter may hold."""

    def __init__(
        self, index: ProjectIndex, source: ModuleSummaries, path: str, users, changers, kin
    ):
        self.index, self.source, self.path = index, source, path
        self.users, self.changers, self.kin = users, changers, kin
        self.side = source.side(path)

    def __call__(self, owner: str, name: str) -> list[tuple[str, str]]:
        if owner == PARAMETER:  # any object; read whole: any changed
            whole = name.endswith(f".{ANY}")
            found = (self._any_changed if whole else self._any_object)[:1]
            done = "changes some object" if whole else "writes some object's attributes"
            held = f"parameter `{name.partition('.')[0]}` may hold that object"
            return [(m, f"may change (it {done}; {held})") for m in found] or (
                self._attribute_writers(name)[:1]
            )
        if name.startswith("self."):
            changing = _instance_changers(self.index, self.changers, owner, name)
            return [
                *((c, "changes") for c in changing),
                *((m, "writes") for m in self.kin.writers(self.path, owner, name)),
            ]
        key = self.index.global_name(owner, name)
        written = [
            u for p, u, w in self.users.get(key, ()) if w and p != self.path and self._meets(p)
        ]
        changing = [c for p, c in self.changers.get(key, ()) if self._meets(p)]
        return [
            *((u, "writes") for u in written),
            *((c, "changes") for c in changing),
            *((m, "writes") for m in self._instance_writers(key)),
        ]

    def _instance_writers(self, key: tuple[str, str]) -> list[str]:
        """The modules whose code writes the attributes of the object global ``key`` holds
        (an instance of a class, ``ModuleSummary.instances``), of its class or a base of it
        (``ModuleSummary.instances_written``): ``LEDGER.count``, which ``bump`` moves on."""
        held = _held_class(self.index, key)
        if held is None:
            return []
        classes = set(self.index.mro(held))
        return [
            s.module
            for s in self.source.summaries
            if classes & {*s.instances_written} and self._meets(s.path)
        ]

    def _meets(self, path: str) -> bool:
        """Whether the module at ``path`` may run in one process with this one."""
        return self.source.meets(self.side, path)

    def of_pair(self, owner: str, name: str) -> list[tuple[str, str]]:
        """Who writes state ``(owner, name)`` of a pair (``ModuleSummary.pairs``); of a
        parameter's attribute only the modules writing an attribute of that name (a pair of
        two any object may hold would be declined wherever some module writes attributes)."""
        return self._attribute_writers(name) if owner == PARAMETER else self(owner, name)

    def _attribute_writers(self, name: str) -> list[tuple[str, str]]:
        """The modules writing an attribute named as parameter attribute ``name``'s
        (``ledger.sold``) on some object (``ModuleSummary.attributes_written``): it may be
        the parameter's object."""
        attribute = name.rpartition(".")[2]
        return [
            (s.module, f"may write (it writes `.{attribute}` of some object)")
            for s in self._meeting[0]
            if attribute in s.attributes_written
        ]

    @cached_property
    def _any_object(self) -> list[str]:
        return object_writers(self.index, *self._meeting)

    @cached_property
    def _any_changed(self) -> list[str]:
        return object_changers(self.index, *self._meeting)

    @cached_property
    def _meeting(self) -> tuple[list, dict]:
        """The summaries of the modules that may run in one process with this one, whose
        code may change an object a parameter holds, and their uses of globals."""
        if self.source.boundary is None:
            return self.source.summaries, self.users
        meeting = self.source.meeting(self.source.side(self.path), self.source.summaries)
        return meeting, global_users(self.index, meeting)


def global_users(index: ProjectIndex, summaries) -> dict[tuple[str, str], list[tuple]]:
    """(path, module, whether it writes) of each module's use of a project module's global
    (``ModuleSummary.reaches``), by the global (``ProjectIndex.global_name``)."""
    users: dict[tuple[str, str], list[tuple[str, str, bool]]] = defaultdict(list)
    for summary in summaries:
        for module, name, writes in summary.reaches:
            users[index.global_name(module, name)].append((summary.path, summary.module, writes))
    return users


def object_writers(index: ProjectIndex, summaries, users: dict) -> list[str]:
    """The modules that write some object's attributes, which a parameter may hold: those
    writing a class's instances' (``instances_written``), and those writing a global that
    holds an instance (``tallies.TALLY.add()``; ``users``: ``global_users``)."""
    found = sorted({s.module for s in summaries if s.instances_written})
    for key, using in users.items():
        if _held_class(index, key) is not None:
            found += [user for _, user, writes in using if writes]
    return found


def object_changers(index: ProjectIndex, summaries, users: dict) -> list[str]:
    """The modules that change some object, which a parameter read whole may hold
    (``len(log)``): those that write some object's attributes (``object_writers``), and
    the modules with coroutines that write a global, in place or not (``users``:
    ``global_users``; a module with no coroutine is summarised only when reached, and what
    it rebinds or changes in place of its own would depend on that)."""
    coroutines = {s.module for s in summaries if any(f.is_async for f in s.functions.values())}
    found = {user for using in users.values() for _, user, writes in using if writes}
    return sorted((found & coroutines).union(object_writers(index, summaries, users)))


def _held_class(index: ProjectIndex, key: tuple[str, str]) -> str | None:
    """The class of the instance global ``key`` holds, if it holds one."""
    module, name = key
    summary = index.module(module)
    if summary is None or name not in summary.instances:
        return None
    return index.normalize(summary.names[name])


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
    """The state modules hand to a sync function that changes that argument in place,
    there or where it hands it on (``ModuleSummary.handed``, ``changed_places``): (path, the
    function) by the global it is (``global_name``), or by (class, ``self.x``)."""
    found: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    changing: dict[str, dict[str, tuple[str, ...]]] = {}  # by function: many hand to a few
    for summary in summaries:
        for owner, name, callee, place in summary.handed:
            target = index.called(callee)
            if target not in changing:
                changing[target] = changed_places(index, target)
            if place not in changing[target]:
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
