"""The runner API shared by `check` and `fix`: pool and in-process runs agree, and
internal errors are contained."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from deblock import file_check, pool, runner
from deblock.cli import main
from deblock.config import load_settings
from deblock.project.run import ProjectRun
from deblock.runner import analyze_bytes, analyze_paths

real_context = pool.process_context
real_check = runner._check
SHOP = Path(__file__).parent / "project" / "fixtures" / "shop"
LOCK_ENTRANTS = Path(__file__).parent / "project" / "fixtures" / "lock_entrants"
AWAITED_ELSEWHERE = Path(__file__).parent / "project" / "fixtures" / "awaited_elsewhere"


def test_process_pool_and_in_process_runs_agree(project, monkeypatch):
    root = project("blocking.py", "clean.py", "noqa", "bad_input", "configured")
    monkeypatch.chdir(root)
    settings = load_settings(["."])
    alone = analyze_paths(["."], settings, jobs=1)
    pooled = []
    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(pool, "process_context", lambda: pooled.append(1) or real_context())
    together = analyze_paths(["."], settings, jobs=2)
    assert pooled, "the pool was not used"
    assert together == alone
    newer = sys.version_info >= (3, 12)  # bad_input/newer_syntax.py parses: a finding
    expected = (18, 20, 3) if newer else (18, 19, 4)
    assert (len(alone.files), len(alone.findings), len(alone.errors)) == expected


_STARTED: list[str] = []  # the file ``_recorded_check`` appends the paths it starts to


def _recorded_check(path: str, options, keyed: bool):
    """``runner._check``, noting in the file ``_STARTED`` names that it started ``path``."""
    with open(_STARTED[0], "a") as log:
        log.write(f"{path}\n")
    return real_check(path, options, keyed)


def test_the_workers_analyse_the_largest_modules_first(project, monkeypatch, tmp_path):
    """The module pass hands out its largest files first, so that its batch does not end
    with one worker on a large file while the other idles."""
    root = project("blocking.py", "clean.py", "noqa", "bad_input", "configured")
    monkeypatch.chdir(root)
    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "_check", _recorded_check)
    monkeypatch.setattr(sys.modules[__name__], "_STARTED", [str(tmp_path / "started")])
    analyze_paths(["."], load_settings(["."]), jobs=2)
    started = (tmp_path / "started").read_text().split()
    largest = max(started, key=os.path.getsize)
    # handed out first, to whichever worker asks first: started by the time three more are
    assert started.index(largest) < 4, (largest, started)


def test_one_pool_of_workers_serves_the_analysis_and_the_modules_it_reaches(tmp_path, monkeypatch):
    """The modules without coroutines that the coroutines reach are summarised by the
    workers that analysed the run (one pool forked per run, not one per batch)."""
    shutil.copytree(SHOP, tmp_path / "shop")
    monkeypatch.chdir(tmp_path / "shop")
    settings = load_settings(["."])
    alone = analyze_paths(["."], settings, jobs=1)
    forked, batches = [], []
    real_map = pool.Workers.map

    def recorded_map(self, work, items, size, **kwargs):
        batches.append((work.__name__, len(items)))
        return real_map(self, work, items, size, **kwargs)

    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(pool, "process_context", lambda: forked.append(1) or real_context())
    monkeypatch.setattr(pool.Workers, "map", recorded_map)
    together = analyze_paths(["."], settings, jobs=2)
    # a batch of reached modules, for the workers
    assert any(work == "_summarise" and size > 1 for work, size in batches), batches
    assert forked == [1]
    assert together == alone


def test_modules_told_the_locks_they_enter_are_analysed_again_by_the_workers(tmp_path, monkeypatch):
    """A run over one project judges it beside the workers that analysed it: the modules
    entering another module's asyncio lock (``ordered_locks.relearned``: two here, whose
    fixes the lock no holder waits on declines) are analysed again by them, not one after
    the other in the judge. The result is a run's in one process."""
    shutil.copytree(LOCK_ENTRANTS, tmp_path, dirs_exist_ok=True)
    alone, together, batches = _alone_and_pooled(tmp_path, monkeypatch)
    assert ("_analysed", 2, True) in batches, batches
    assert together == alone
    assert [f.declined is not None for f in alone.findings] == [True] * 3


def test_modules_told_where_their_calls_are_awaited_are_analysed_again_by_the_workers(
    tmp_path, monkeypatch
):
    """The modules handing calls to another module's coroutine that awaits them (two here:
    ``store/queries.py`` and a copy) are analysed again knowing it by the workers, as
    ``ordered_locks.relearned``'s are; the result is a run's in one process."""
    shutil.copytree(AWAITED_ELSEWHERE, tmp_path, dirs_exist_ok=True)
    shutil.copyfile(tmp_path / "store/queries.py", tmp_path / "store/reports.py")
    alone, together, batches = _alone_and_pooled(tmp_path, monkeypatch)
    assert ("_checked_knowing", 2, True) in batches, batches
    assert together == alone
    assert sorted(alone.awaited) == ["store/queries.py", "store/reports.py"]


def _alone_and_pooled(root: Path, monkeypatch) -> tuple:
    """The results of a run over ``root`` in one process and of one with two workers
    started for any batch, and that run's batches (each work's name, its items' number,
    whether the pool ran)."""
    monkeypatch.chdir(root)
    settings = load_settings(["."])
    alone = analyze_paths(["."], settings, jobs=1)
    batches = []
    real_map = pool.Workers.map

    def recorded_map(self, work, items, size, **kwargs):
        batches.append((work.__name__, len(items), self._pool is not None))
        return real_map(self, work, items, size, **kwargs)

    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(pool.Workers, "map", recorded_map)
    return alone, analyze_paths(["."], settings, jobs=2), batches


def test_workers_read_what_each_project_may_load_while_the_parent_judges(tmp_path, monkeypatch):
    """In a run over two projects, the names each project's files may load are read by the
    workers, begun before the judge and collected after it: the run's result is the one
    of a run in one process, where no fix of one project is declined for the other."""
    fixtures = Path(__file__).parent / "fixer" / "fixtures" / "cli"
    shutil.copytree(fixtures / "two_projects", tmp_path, dirs_exist_ok=True)
    (tmp_path / "service_a" / "tests").mkdir()
    shutil.copyfile(
        fixtures / "programs/tests/test_notes.py", tmp_path / "service_a/tests/test_notes.py"
    )
    shutil.copyfile(fixtures / "two_modules/store.py", tmp_path / "service_b/store.py")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(["."])
    alone = analyze_paths(["."], settings, jobs=1)
    begun = []
    real_start = pool.Workers.start

    def recorded_start(self, work, items, size):
        begun.append((work.__name__, len(items), self._pool is not None))
        return real_start(self, work, items, size)

    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(pool.Workers, "start", recorded_start)
    together = analyze_paths(["."], settings, jobs=2)
    assert begun == [("_names_loaded", 2, True)]
    assert together == alone
    assert alone.shared == {}  # neither project's fixes are declined for the other


def test_the_namespaces_of_a_run_are_judged_in_workers_forked_after_the_analysis(
    tmp_path, monkeypatch
):
    """Two projects bearing one top-level name are two namespaces: each is judged in a
    worker forked once the modules are analysed, with the modules it reaches summarised
    there. The result, and the cache the run fills, are those of a run in one process."""
    for project in ("one", "two"):
        shutil.copytree(SHOP, tmp_path / project)
    monkeypatch.chdir(tmp_path)
    settings = load_settings(["."])
    alone = analyze_paths(["."], settings, jobs=1, cache_dir=tmp_path / "alone")
    judged_in = tmp_path / "judged_in"
    real_judge = ProjectRun._judge

    def recorded_judge(self, namespace, *args, **kwargs):
        with open(judged_in, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real_judge(self, namespace, *args, **kwargs)

    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(ProjectRun, "_judge", recorded_judge)
    together = analyze_paths(["."], settings, jobs=2, cache_dir=tmp_path / "together")
    judges = judged_in.read_text().split()
    assert len(judges) == 2 and str(os.getpid()) not in judges
    assert together == alone
    assert _cached(tmp_path / "together") == _cached(tmp_path / "alone")


def _cached(directory: Path) -> dict[str, object]:
    """Every JSON file of a cache directory (the project findings too), by relative path,
    parsed (order aside)."""
    return {
        str(path.relative_to(directory)): json.loads(path.read_text())
        for path in sorted(directory.rglob("*"))
        if path.suffix in (".json", ".project")
    }


def test_run_result_lists_every_checked_file_and_libraries(project, monkeypatch):
    root = project("blocking.py", "clean.py", "configured/trio_app.py")
    monkeypatch.chdir(root)
    result = analyze_paths(["."], load_settings(["."]))
    assert sorted(result.files) == ["blocking.py", "clean.py", "trio_app.py"]
    assert result.files["clean.py"] == []
    assert [f.code for f in result.files["blocking.py"]] == ["DBK101", "DBK201", "DBK202"]
    assert result.libraries == {  # what each module commits to (None: its project decides)
        "blocking.py": None,
        "clean.py": "asyncio",
        "trio_app.py": "trio",
    }


def test_paths_may_be_path_objects(project, monkeypatch):
    root = project("blocking.py")
    monkeypatch.chdir(root)
    result = analyze_paths([root, root / "blocking.py"], load_settings())
    assert list(result.files) == ["blocking.py"]


def test_a_run_pauses_the_garbage_collector_and_leaves_it_as_it_found_it(project, monkeypatch):
    monkeypatch.chdir(project("blocking.py"))
    seen = []

    def discover(*args):
        seen.append(gc.isenabled())
        return real_discover(*args)

    real_discover = runner.discover
    monkeypatch.setattr(runner, "discover", discover)
    analyze_paths(["."], load_settings())
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        analyze_paths(["."], load_settings())
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()


def test_analyze_bytes_checks_text_that_is_not_on_disk(fixtures, monkeypatch):
    monkeypatch.chdir(fixtures)
    result = analyze_bytes((fixtures / "blocking.py").read_bytes(), "new.py", load_settings())
    assert [f.path for f in result.findings] == ["new.py"] * 3


def test_an_analyzer_crash_on_one_file_is_an_internal_error_exit_2(project, monkeypatch):
    root = project("blocking.py", "clean.py")
    monkeypatch.chdir(root)
    real = file_check.analyze_source

    def crash_on_clean(source, path, options, defer=False, awaited=frozenset()):
        if path == "clean.py":
            raise KeyError("boom")
        return real(source, path, options, defer, awaited)

    monkeypatch.setattr(file_check, "analyze_source", crash_on_clean)
    result = CliRunner().invoke(main, ["check", "--cache-dir", "cache", "--format", "json", "."])
    assert result.exit_code == 2
    entries = json.loads(result.output)
    assert [e["code"] for e in entries] == ["DBK101", "DBK201", "DBK202", None]
    assert entries[-1]["message"] == "internal error: KeyError: 'boom'"
    cached = json.loads(next((root / "cache").glob("*/*.json")).read_text())
    assert [path.rsplit("/", 1)[-1] for path in cached] == ["blocking.py"]


def test_unexpected_exceptions_become_a_one_line_internal_error(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "discover", lambda *a: 1 / 0)
    result = CliRunner().invoke(main, ["check", "--no-cache"])
    assert result.exit_code == 2
    assert "internal error: ZeroDivisionError: division by zero" in result.output


def test_a_cache_filling_run_holds_no_file_s_bytes_while_its_workers_check_them(
    fixtures, tmp_path, monkeypatch
):
    """The run's process reads each file only to look it up by content; the workers read
    it again to check it (the bench corpus's 35 MB of source were held there until the
    run's end). The copies of a fixture module, padded to 512 KB each with comments, are
    checked by workers and cached as the run without workers caches them."""
    import tracemalloc

    padding = b"# padding\n" * 51_200
    (tmp_path / "src").mkdir()
    for name in ("a", "b", "c", "d"):
        module = (fixtures / "blocking.py").read_bytes() + padding
        (tmp_path / "src" / f"{name}.py").write_bytes(module)
    monkeypatch.chdir(tmp_path / "src")
    settings = load_settings(["."])
    analyze_paths(["."], settings, jobs=2, cache_dir="../first")  # its imports are done
    tracemalloc.start()
    try:
        together = analyze_paths(["."], settings, jobs=2, cache_dir="../together")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(padding), peak  # one file's bytes at a time, not four
    assert together == analyze_paths(["."], settings, jobs=1, cache_dir="../alone")
    alone, cached = (
        json.loads(next((tmp_path / d).glob("*/*-*.json")).read_text())
        for d in ("alone", "together")
    )
    assert [e[2:] for e in cached.values()] == [e[2:] for e in alone.values()]


def test_a_run_in_one_process_leaves_its_project_pass_to_reference_counting(monkeypatch):
    """A run pauses the cyclic collector, so whatever its project pass leaves in reference
    cycles (a memo holding its instance through a bound method) stays until the run's end:
    with the index and summaries it reaches, ~40 MB of the bench corpus's cold ``-j 1``
    peak. Nothing of deblock's is left for the collector to find."""
    monkeypatch.chdir(SHOP)
    gc.collect()
    analyze_paths(["."], load_settings(["."]), jobs=1)
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        left = {type(o).__qualname__ for o in gc.garbage if type(o).__module__[:7] == "deblock"}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == set()
