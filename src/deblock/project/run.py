"""Project-wide findings for a run: its outcomes in, findings per file out."""

from __future__ import annotations

import functools
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from deblock.analysis import AnalysisOptions
from deblock.cache import Cache, digest
from deblock.file_check import Outcome, check_file, findings_from_cache, findings_to_cache
from deblock.findings import Finding
from deblock.layout_record import RunLayout
from deblock.library.summaries import Libraries
from deblock.noqa import without_silenced
from deblock.pool import Workers, file_size, first_file_size
from deblock.records import record

if TYPE_CHECKING:  # the summaries are imported only to judge (a warm run reads findings back)
    from deblock.project.namespaces import Namespace
    from deblock.project.processes import Loads, Processes
    from deblock.project.shared_io import Span
    from deblock.project.shared_outcomes import SharedOutcomes
    from deblock.project.summaries import ModuleSummaries


@record(eq=False)
class _Judged:
    """What judging one namespace of a run found about its own modules (the fields of
    ``ProjectRun`` of the same names; ``found``: the findings by path), and what it made
    for the cache: pending modules' outcomes (``RunSummaries.stored``) and the installed
    packages' summaries (``Libraries.learned``). A forked worker judges it, or the run."""

    found: dict[str, list[Finding]]
    awaited: dict[str, frozenset[tuple[str, str]]]
    relearned: dict[str, Outcome]
    on_loop: list[Finding]
    bridges: dict[str, dict]
    threaded: dict[str, dict[str, bool]]
    common: dict[str, list[str]]
    programs: list[str]
    tests: dict[str, list[tuple[int, int]]]
    kept: dict[str, list[Span]]
    loop: dict[str, list[tuple]]
    stored: list[tuple]
    learned: tuple


class ProjectRun:
    """The project-wide findings of one run's modules, given their outcomes (by path).

    They come from the cache while no module changed since they were judged, nor the
    installed packages (warm runs then never build the summaries); else from the run's
    summaries and the ``libraries``' classes, judged together. ``callers``: the modules
    judged with the run's own but not reported (``importers``): their spans are weighed
    only where they may hold the reported modules' fixes (``_weighed``).
    """

    def __init__(
        self,
        outcomes: dict[str, Outcome],
        options: AnalysisOptions,
        cache: Cache | None,
        workers: Workers,
        libraries: Libraries,
        layout: RunLayout,
        callers: frozenset[str] = frozenset(),
    ):
        self.outcomes, self.options, self.cache = outcomes, options, cache
        self.layout = layout
        self.callers = callers
        self.workers = workers
        self.libraries = libraries
        self.bridges: dict[str, dict] = {}
        self.threaded: dict[str, dict[str, bool]] = {}
        self.common: dict[str, list[str]] = {}
        self.programs: list[str] = []
        self.tests: dict[str, list[tuple[int, int]]] = {}
        self.loaded: dict[str, Loads] = {}
        self.kept: dict[str, list[Span]] = {}
        self.loop: dict[str, list[tuple]] = {}
        self.on_loop: list[Finding] = []
        self.awaited: dict[str, frozenset[tuple[str, str]]] = {}
        self.relearned: dict[str, Outcome] = {}
        self._stored: tuple[list[str], str, dict] | None = None  # paths, key, cache entry
        self._alone: dict[str, list[Finding]] = {}
        self._alone_unsilenced: dict[str, list[Finding]] = {}
        self._moving = True

    def findings(self) -> dict[str, list[Finding]]:
        """Findings per path (``# noqa`` not applied: the run applies it); ``bridges`` then
        holds, by path, the project's own thread bridges the module's fixes may use
        (with how it binds their names: ``bridges.with_bindings``),
        ``threaded`` the resources its thread helpers touch (``common``: those all of whose
        helpers hold its package's common lock), and ``programs`` the modules
        that run in processes of their own (``processes.programs``), ``tests`` the lines
        of each module's lone tests (``lone_tests``), ``loaded`` the other
        projects' names each project may load in a run over several (``loaded_names``),
        ``kept`` the coroutines whose safe fixes are declined: a caller runs them under a
        deadline (``deadlines.timed_spans``) or awaits them in a run of statements that
        must stay atomic (``atomic_callers.atomic_spans``), ``loop`` the fixes that would
        move a call needing the event loop into a thread (``loop_bound.loop_moves``),
        ``on_loop`` the unreported calls of project classes whose ``__init__`` touches a
        resource (``project_findings``), ``awaited`` the calls' callees and places at
        which another module's coroutine awaits what a module hands it
        (``Finding.awaited_by``), and ``relearned`` those modules' outcomes, replacing the
        module pass's: analysed again knowing it (``check_module``'s ``awaited``).
        A run that summarised no module (none holds ``async``: a pre-commit run over such
        files) has no call site to judge: none of these is made, nor the judge imported."""
        if all(outcome.module is None for outcome in self.outcomes.values()):
            return {}
        from deblock.analysis.modules import module_name

        paths = sorted(self.outcomes)
        names, sources = self.layout.names_and_sources()
        root_of = {path: name.partition(".")[0] for path, name in names.items()}
        key = None if self.cache is None else self._key(names, sources)
        cached = None if key is None else self.cache.project_findings(paths, key)
        if cached is not None:
            try:
                found = {p: findings_from_cache(fs, p) for p, fs in cached["files"].items()}
                self.bridges = dict(cached["bridges"])
                self.threaded = dict(cached["threaded"])
                self.common = dict(cached["common"])
                self.programs = list(cached["programs"])
                self.tests = dict(cached["tests"])
                from deblock.project.processes import Loads

                self.loaded = {p: Loads(**loads) for p, loads in cached["loaded"].items()}
                self.kept = {p: [tuple(t) for t in ts] for p, ts in cached["kept"].items()}
                self.loop = {p: [tuple(m) for m in ms] for p, ms in cached["loop"].items()}
                self.on_loop = [
                    f for p, fs in cached["on_loop"].items() for f in findings_from_cache(fs, p)
                ]
                self.awaited = {
                    p: frozenset(map(tuple, pairs)) for p, pairs in cached["awaited"].items()
                }
                self.relearned = {
                    p: Outcome.from_cache(o, p) for p, o in cached["relearned"].items()
                }
                self._stored = (paths, key, cached)
                return found
            except (KeyError, TypeError, ValueError):
                pass
        from deblock.project.namespaces import namespaces
        from deblock.project.processes import Processes, loaded_names
        from deblock.project.shared_io import first_on_loop
        from deblock.project.shared_outcomes import shared_outcomes

        # read in the workers meanwhile, asked for once the judging needs it or is done
        loaded = functools.cache(loaded_names(root_of, self.workers))
        found: dict[str, list[Finding]] = {}
        on_loop: list[Finding] = []
        made: dict = {}  # the summaries, by path, that a process's namespaces share
        roots = set(root_of.values()) | {module_name(p)[0].partition(".")[0] for p in sources}
        spaces = namespaces(root_of, loaded)
        # before the judges, which weigh it (a run over one project has none)
        boundary = Processes([], names) if (names := loaded()) else None
        # every module's findings of the module pass, by path, made once a run (forked
        # judges inherit them): each namespace's are these but where its own project pass
        # found more (``_joined``); the second without the silenced ones (``without_silenced``)
        self._alone = {path: list(outcome.findings) for path, outcome in self.outcomes.items()}
        # whether a reported module's fix may move a call on a resource (``_weighed``): a
        # module analysed again (``relearned``) reports fewer of its calls, no others
        self._moving = any(
            f.resource for p, fs in self._alone.items() if p not in self.callers for f in fs
        )
        self._alone_unsilenced = {
            path: self._unsilenced(path, outcome.findings)
            for path, outcome in self.outcomes.items()
        }
        # the modules judges forked apart may both summarise: the first made is shared
        several = _in_several(spaces, sources) if self.workers.forks(spaces) else set()
        with shared_outcomes(several) as shared:
            judge = functools.partial(
                self._judge,
                made=made,
                roots=roots,
                sources=sources,
                boundary=boundary,
                shared=shared,
            )
            for judged in self.workers.forked(judge, spaces, weight=lambda s: len(s[0])):
                found.update(judged.found)
                on_loop += judged.on_loop
                self._take(judged)
        self.on_loop = first_on_loop(on_loop)
        self.programs.sort()
        self.loaded = loaded()
        if key is not None:
            stored = {path: findings_to_cache(fs) for path, fs in found.items()}
            found_here = {
                "files": stored,
                "bridges": self.bridges,
                "threaded": self.threaded,
                "common": self.common,
                "programs": self.programs,
                "tests": self.tests,
                "loaded": {p: loads._asdict() for p, loads in self.loaded.items()},
                "kept": self.kept,
                "loop": self.loop,
                "on_loop": _by_path(self.on_loop),
                "awaited": {p: sorted(pairs) for p, pairs in self.awaited.items()},
                "relearned": {p: o.to_cache() for p, o in self.relearned.items()},
            }
            self.cache.store_project_findings(paths, key, found_here)
            self._stored = (paths, key, found_here)
        return found

    def _judge(
        self,
        namespace: Namespace,
        workers: Workers,
        made: dict,
        roots: set[str],
        sources: list[str],
        boundary: Processes | None,
        shared: SharedOutcomes,
    ) -> _Judged:
        """What judging a ``namespace`` of the run finds about its own modules (summaries
        made in ``workers``, kept in ``made``, shared with the other forked judges through
        ``shared``; ``roots``: the top-level names of the run's modules and of ``sources``,
        its projects' packages it does not hold, ``own_sources``; ``boundary``: which
        modules never run in one process)."""
        from deblock.project.deferred import complete_demanded
        from deblock.project.findings import project_findings  # the judge: only when needed
        from deblock.project.loop_bound import loop_moves
        from deblock.project.processes import programs
        from deblock.project.run_summaries import RunSummaries

        own, foreign = namespace
        source = RunSummaries(
            self.outcomes,
            self.options,
            self.cache,
            workers,
            self.libraries,
            own,
            foreign,
            made,
            roots,
            sources,
            boundary,
            shared,
        )
        own = set(own)
        here: dict[str, list[Finding]] = defaultdict(list)
        left: list[Finding] = []
        handed = [f for path in sorted(own) for f in self._alone.get(path, ()) if f.awaited_by]
        for finding in project_findings(source, self.options, left, handed):
            here[finding.path].append(finding)
        awaited = _awaited_by_path(handed)
        size = sum(file_size(path) for path in awaited)
        checked = workers.map(
            _checked_knowing,
            list(awaited.items()),
            size,
            weight=first_file_size,
            options=self.options,
        )
        again = dict(zip(awaited, checked, strict=True))
        alone = {**self._alone, **{path: again[path].findings for path in again}}
        unsilenced = {
            **self._alone_unsilenced,
            **{path: self._unsilenced(path, again[path].findings) for path in again},
        }
        every = _joined(alone, here, lambda path, more: [*alone[path], *more])
        complete_demanded(source, every)  # before any fix's safety is weighed
        weighed = self._weighed(own, every)
        threaded = _of({s.path: s.threaded for s in source.summaries if s.threaded}, own)
        relevant = (
            {path for path in own if any(f.resource for f in every[path])}
            | set(threaded)
            | {f.path for f in left if f.path in own}
        )
        tests = {s.path: list(s.tests) for s in source.summaries if s.tests}
        return _Judged(
            found=_of(here, own),
            awaited=awaited,
            relearned=again,
            on_loop=[f for f in left if f.path in own],
            bridges=self._bridges(source, roots, own),
            threaded=threaded,
            common=_of({s.path: s.common for s in source.summaries if s.common}, own),
            programs=programs(source.summaries, list(self.outcomes), relevant),
            tests=_of(tests, relevant),
            kept=_of(self._kept(source, here, unsilenced, workers, weighed), weighed),
            loop=_of(loop_moves(source), own),
            stored=source.stored,
            learned=self.libraries.learned(),
        )

    def _weighed(self, own: set[str], every: dict[str, list[Finding]]) -> set[str]:
        """The ``own`` modules whose spans (``_kept``) may change what the run reports:
        all but the ``callers``, unless a reported module's fix may move a call on a
        resource into a thread; then only the callers none of whose findings (``every``,
        both passes') has a safe fix on a resource go. A caller is not reported: its spans
        reach the reported modules only through ``runner._held``, where they decline such
        a fix, which matters only to a reported module whose fixes move calls on a resource
        (``common_lock``; the run's later steps only decline fixes, and the project pass's
        findings on a resource have none of their own). aiohttp's ``web_protocol.py``
        edited: its 162 callers' spans were most of its run's CPU."""
        if not self._moving:
            return own - self.callers
        return {
            path
            for path in own
            if path not in self.callers or any(f.resource and f.safe_fix for f in every[path])
        }

    def _take(self, judged: _Judged) -> None:
        """Add a namespace's answers to the run's, and what it made to the cache."""
        self.bridges.update(judged.bridges)
        self.threaded.update(judged.threaded)
        self.common.update(judged.common)
        self.programs += judged.programs
        self.tests.update(judged.tests)
        self.kept.update(judged.kept)
        self.loop.update(judged.loop)
        self.awaited.update(judged.awaited)
        self.relearned.update(judged.relearned)
        for path, stat, key, outcome in judged.stored:
            outcome.store_in(self.cache, path, stat, key)
        self.libraries.absorb(judged.learned)

    def shared(self, compute: Callable[[], dict], selection: str) -> dict:
        """``compute()``: what the run's fixes share across modules (``shared_io``), kept
        with the project findings for the ``selection`` of findings the run reports (the
        cache's key covers every module's content, not what is selected)."""
        known = self._stored[2].get("shared") if self._stored else None
        if isinstance(known, dict) and known.get("selection") == selection:
            return known["value"]
        value = compute()
        if self._stored is not None:
            paths, key, entry = self._stored
            entry["shared"] = {"selection": selection, "value": value}
            self.cache.store_project_findings(paths, key, entry)
        return value

    def _kept(
        self,
        source: ModuleSummaries,
        found: dict[str, list[Finding]],
        alone: dict[str, list],
        workers: Workers,
        weighed: set[str],
    ) -> dict:
        """``kept``: the spans of ``deadlines``, ``atomic_callers``, ``helper_writes``,
        ``module_globals``, ``handed_sections``, ``ordered_locks``, ``streams``,
        ``managed_blocks``, ``held_objects`` and ``registrar_reads``, by path, but those an
        earlier one shadows (``deciding``: the corpus's 10,579 spans were 568 that decide,
        7.0 of the cache's 7.3 MB); the second, third, ``ordered_locks`` and
        ``held_objects`` weigh every finding (``found``: the project pass's; ``alone``: the
        module pass's, by path) but those ``# noqa`` silences; ``atomic_callers`` reads the
        summaries of the modules ``ordered_locks`` analyses again (``relearned``, in
        ``workers``). ``weighed``: the namespace's own modules whose spans are asked for
        (``_weighed``), the only ones whose spans are
        kept (``helper_writes`` weighs only theirs: its spans are each module's own;
        ``atomic_callers`` only the callers that may decline a fix in them)."""
        from deblock.project.atomic_callers import atomic_spans
        from deblock.project.deadlines import timed_spans
        from deblock.project.handed_sections import handed_spans
        from deblock.project.held_objects import held_spans
        from deblock.project.helper_writes import writing_spans
        from deblock.project.managed_blocks import managed_spans
        from deblock.project.module_globals import reached_spans
        from deblock.project.ordered_locks import ordered_spans, relearned
        from deblock.project.registrar_reads import registrar_spans
        from deblock.project.shared_io import deciding, span_order
        from deblock.project.streams import stream_spans

        kept = timed_spans(source)
        every = _joined(
            alone, found, lambda path, more: [*alone[path], *self._unsilenced(path, more)]
        )
        again = relearned(source, every, self.options, workers)
        summaries = {path: known.report.summary for path, known in again.items() if known.report}
        spans = (
            atomic_spans(source, every, summaries, weighed),
            writing_spans(source, every, summaries, weighed),
            reached_spans(source),
            handed_spans(source),
            ordered_spans(every, again),
            stream_spans(source, list(self.outcomes)),
            managed_spans(source),
            held_spans(source, found, every),
            registrar_spans(source, every),
        )
        for found in spans:
            for path, spans in found.items():
                kept[path] = sorted({*kept.get(path, ()), *spans}, key=span_order)
        return {path: deciding(spans) for path, spans in kept.items()}

    def _unsilenced(self, path: str, findings: Sequence[Finding]) -> list[Finding]:
        """``findings`` at ``path`` but those its ``# noqa`` comments silence."""
        return without_silenced(findings, self.outcomes[path].noqa or {})

    def _bridges(self, source: ModuleSummaries, roots: set[str], own: set[str]) -> dict:
        """The project's own thread bridges the ``own`` modules may use (``roots``: the
        top-level names of the run's modules), with how each binds their names, unless one
        is configured."""
        if self.options.thread_bridge is not None:
            return {}
        from deblock.project.bridges import bridge_options, with_bindings

        return with_bindings(_of(bridge_options(source.summaries, roots), own))

    def _key(self, names: dict[str, str], sources: list[str]) -> str:
        """A digest of every module of the run (its path, name and the digest of its
        content: a new ``__init__.py`` renames unchanged files), of the projects' packages
        it does not hold (``own_sources``: path, time and size), of what both's bare imports
        find beside them (``RunLayout.beside``), of the ``callers`` and of the installed
        packages' stamp."""
        beside = self.layout.beside
        parts = [f"{p}\0{n}\0{self.cache.digest_of(p)}\0{beside(p)}" for p, n in names.items()]
        parts += [f"{path}\0{_stamp(path)}\0{beside(path)}" for path in sources]
        parts += [f"{path}\0caller" for path in sorted(self.callers)]  # fewer spans kept
        return digest("\n".join([self.libraries.stamp(), *parts]).encode())


def _stamp(path: str) -> str:
    """The modification time and size of the file at ``path`` ("" when it is gone)."""
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    return f"{stat.st_mtime_ns}\0{stat.st_size}"


def _in_several(spaces: list[Namespace], sources: list[str]) -> set[str]:
    """The paths of the modules that several of ``spaces`` may summarise: those two of them
    hold (their own or foreign) and ``sources`` (pending in each)."""
    held = Counter(path for own, foreign in spaces for path in {*own, *foreign})
    return {path for path, count in held.items() if count > 1} | set(sources)


def _of(by_path: dict, paths: set[str]) -> dict:
    """The entries of ``by_path`` for ``paths``."""
    return {path: value for path, value in by_path.items() if path in paths}


def _joined(alone: dict[str, list], found: dict[str, list], join: Callable) -> dict[str, list]:
    """``alone``'s findings by path, in its order, but for each of its paths that ``found``
    holds more findings of: ``join(path, more)``."""
    every = dict(alone)
    every.update({path: join(path, more) for path, more in found.items() if path in alone})
    return every


def _awaited_by_path(handed: list[Finding]) -> dict[str, frozenset[tuple[str, str]]]:
    """By path, the callees and places of the ``handed`` findings (calls that another
    module's coroutine awaits, ``project_findings``): the module analysed knowing them
    reports none of those calls, nor weighs them as calls on a resource left on the event
    loop beside a fix."""
    awaited = defaultdict(set)
    for finding in handed:
        awaited[finding.path].add(finding.awaited_by)
    return {path: frozenset(pairs) for path, pairs in awaited.items()}


def _checked_knowing(
    item: tuple[str, frozenset[tuple[str, str]]], options: AnalysisOptions
) -> Outcome:
    """The outcome of the module at a path analysed again knowing where other modules'
    coroutines await what it hands them (``item``: the path and those places): in the
    run's workers when they run already, each module independent of the others."""
    path, awaited = item
    return check_file(path, options, awaited=awaited)[0]


def _by_path_of(findings: list[Finding]) -> dict[str, list[Finding]]:
    """``findings`` by path."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    return dict(by_path)


def _by_path(findings: list[Finding]) -> dict[str, list[dict]]:
    """``findings`` in their cached form, by path."""
    return {path: findings_to_cache(fs) for path, fs in _by_path_of(findings).items()}
