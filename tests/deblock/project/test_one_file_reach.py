"""A run over one file (the pre-commit hook's) reads the modules that file reaches in its
own project, script-directory siblings or its package's, as a run over the directory does:
the same findings and the same fix decisions, and no safe fix the directory run declines."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from json_check import checked
from runtime_harness import run_project

FIXTURES = Path(__file__).parent / "fixtures" / "one_file_reach"
DECLINED = ("declined", "unsafe_because")  # reasons naming a place in another module
CASES = [("script", "program.py", "ops.py"), ("package", "app/program.py", "app/ops.py")]


@pytest.fixture(params=CASES, ids=[case[0] for case in CASES])
def project(request, tmp_path):
    """A copy of a fixture project, the named file's path in it and its helper module's."""
    name, program, helper = request.param
    shutil.copytree(FIXTURES / name, tmp_path / name)
    return tmp_path / name, program, helper


def test_the_file_alone_is_judged_as_in_the_directory_run(project):
    directory, program, _ = project
    whole = [f for f in checked(directory, ".") if f["path"] == program]
    assert [(f["fixable"], bool(f["unsafe_because"])) for f in whole] == [(True, True)]
    assert checked(directory, program) == whole


def test_fixing_the_file_alone_leaves_the_sleep_between_the_read_and_the_write(project):
    directory, program, _ = project
    _assert_fixed_alone_unchanged(directory, program)


def test_an_edit_of_a_sibling_reaches_a_cached_run_of_the_file(project, tmp_path):
    directory, program, helper = project
    cache = tmp_path / "cache"
    assert checked(directory, program, cache=cache)[0]["unsafe_because"]
    ops = directory / helper
    ops.write_text(ops.read_text().replace("store.ITEMS.append(n)", "return n"))
    assert checked(directory, program, cache=cache) == checked(directory, program)
    assert checked(directory, program, cache=cache)[0]["unsafe_because"] is None


def test_a_run_over_the_file_weighs_the_helper_writes_of_its_coroutines_only(tmp_path, monkeypatch):
    """The helper module's own coroutine is summarised (the file reaches its module), but
    its spans would be dropped: a one-file run of aiohttp's tests weighed every coroutine
    of the package it summarised, ~0.5 CPU-s."""
    from deblock.config import load_settings
    from deblock.project import helper_writes
    from deblock.runner import analyze_paths

    root = tmp_path / "package"
    shutil.copytree(FIXTURES / "package", root)
    ops = root / "app" / "ops.py"
    ops.write_text(ops.read_text() + "\n\nasync def refill():\n    push(size())\n")
    weighed = []
    original = helper_writes._helper_writes

    def logged(index, caller, sites):
        weighed.append(caller.path)
        return original(index, caller, sites)

    monkeypatch.setattr(helper_writes, "_helper_writes", logged)
    monkeypatch.chdir(root)
    result = analyze_paths(["app/program.py"], load_settings(["."], root / "empty.toml"), jobs=1)
    assert [(f.path, f.code, bool(f.unsafe_because)) for f in result.findings] == [
        ("app/program.py", "DBK101", True)
    ]
    assert set(weighed) == {"app/program.py"}


@pytest.mark.parametrize(
    ("added", "callers"),
    [
        ("async def refill():\n    push(size())\n", {"app/program.py"}),
        (
            "async def again():\n    from app import program\n\n    await program.task()\n",
            {"app/program.py", "app/ops.py"},
        ),
    ],
    ids=["apart", "awaiting"],
)
def test_a_run_over_the_file_weighs_the_callers_that_reach_it_only(
    tmp_path, monkeypatch, added, callers
):
    """A coroutine of the helper module that awaits nothing of the file cannot decline a
    fix there: its runs are not weighed (``atomic_reach``; aiohttp's one-file run weighed
    every module it summarised, ~0.1 CPU-s); one that awaits the file's coroutine is."""
    from deblock.config import load_settings
    from deblock.project import atomic_callers
    from deblock.runner import analyze_paths

    root = tmp_path / "package"
    shutil.copytree(FIXTURES / "package", root)
    ops = root / "app" / "ops.py"
    ops.write_text(f"{ops.read_text()}\n\n{added}")
    weighed = []
    original = atomic_callers.reentered_spans

    def logged(callees, where):
        weighed.append(where[0])
        return original(callees, where)

    monkeypatch.setattr(atomic_callers, "reentered_spans", logged)
    monkeypatch.chdir(root)
    result = analyze_paths(["app/program.py"], load_settings(["."], root / "empty.toml"), jobs=1)
    assert [(f.path, f.code, bool(f.unsafe_because)) for f in result.findings] == [
        ("app/program.py", "DBK101", True)
    ]
    assert set(weighed) == callers
    assert checked(root, "app/program.py") == [
        f for f in checked(root, ".") if f["path"] == "app/program.py"
    ]


@pytest.mark.parametrize(
    ("name", "file", "culprit"),
    [
        ("awaited", "app/counter.py", "record"),
        ("reexported", "app/counter.py", "record"),
        ("shared_file", "app/journal.py", "_size"),
    ],
    ids=["awaited", "reexported", "shared_file"],
)
def test_a_run_over_the_file_weighs_the_modules_that_await_it(tmp_path, name, file, culprit):
    """``app/counter.py`` reaches no module that awaits its ``settle``; ``app/main.py``
    awaits it (through ``app.jobs``' re-export in ``reexported``) between a read and a
    write of shared state. ``app/journal.py`` appends to a file that ``app/sizes.py``,
    which imports nothing of it, measures on the event loop through a sync helper
    (``shared_io``). The file alone is judged as in the directory run, declined, and
    ``deblock fix`` on it alone changes nothing."""
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    whole = [f for f in checked(root, ".") if f["path"] == file]
    assert whole
    assert all(f["fixable"] and culprit in (f["unsafe_because"] or "") for f in whole)
    assert checked(root, file) == whole
    assert checked(root, file, cache=tmp_path / "cache") == whole
    _assert_fixed_alone_unchanged(root, file)


def test_a_run_started_inside_the_project_weighs_its_callers_outside_that_directory(tmp_path):
    """``cd app && deblock check counter.py`` (a hook, an editor or a shell started in a
    part of the project) looks for importers in the whole project: ``service/main.py``'s
    ``record`` reads and writes ``store.ITEMS`` across its await of ``settle``, so the
    sleep's fix is declined, as in the directory run; fixed, every call would record 0 (the
    original's 0 to 19)."""
    root = shutil.copytree(FIXTURES / "caller_outside", tmp_path / "project")
    original = shutil.copytree(root, tmp_path / "original")
    fixed = _fixed_alone(root / "app", "counter.py", "../empty.toml")
    assert run_project(root, tmp_path / "fixed-run") == run_project(original, tmp_path / "run")
    assert fixed.returncode == 1, fixed.stderr
    assert (root / "app" / "counter.py").read_text() == (
        original / "app" / "counter.py"
    ).read_text()
    whole = [f for f in checked(root, ".") if f["path"] == "app/counter.py"]
    inside = checked(root / "app", "counter.py", config="../empty.toml")
    assert whole and all("`record`" in (f["declined"] or "") for f in whole)
    named = {k: f"({root}/" for k in DECLINED}  # a place above the run's directory
    assert [
        {k: v.replace(named[k], "(") if k in named else v for k, v in f.items()} for f in inside
    ] == [{**f, "path": "counter.py"} for f in whole]


def test_a_bare_directory_bounds_no_search(tmp_path, monkeypatch):
    """With no project above (no ``pyproject.toml``, ``setup.py`` or ``setup.cfg``),
    nothing bounds what may import the file: a run over it takes in no other module,
    wherever it starts (a home or a temporary directory is not read whole)."""
    from deblock.config import Settings
    from deblock.project.importers import importers

    root = shutil.copytree(FIXTURES / "caller_outside", tmp_path / "project")
    (root / "pyproject.toml").unlink()
    for cwd, file in [(root / "app", "counter.py"), (root, "app/counter.py")]:
        monkeypatch.chdir(cwd)
        assert importers([file], [file], Settings(root=tmp_path), None) == ([], []), cwd


def test_a_run_over_a_directory_inside_the_project_weighs_its_callers_outside_it(tmp_path):
    """``deblock check app`` from the project's directory: no project lies between ``app``
    and its modules, so the importers are looked for in the whole project, and
    ``counter.py``'s fix is declined for ``record`` as in the run over the project."""
    root = shutil.copytree(FIXTURES / "caller_outside", tmp_path / "project")
    whole = [f for f in checked(root, ".") if f["path"].startswith("app/")]
    assert whole and all("`record`" in (f["declined"] or "") for f in whole)
    assert checked(root, "app") == whole


def test_a_run_over_whole_projects_probes_no_directory_inside_one(tmp_path, monkeypatch):
    """Whether a module's project lies outside the run's directories is asked from them
    down (``modules.holds_project``): below a project's directory nothing is probed for a
    ``pyproject.toml``, ``setup.py`` or ``setup.cfg`` (a warm run of the bench corpus
    looked for 1,676 such files, 263 now), and the run takes in no other module."""
    from deblock.config import Settings
    from deblock.project.importers import importers

    projects = tmp_path / "projects"
    for name in ("one", "two"):
        shutil.copytree(FIXTURES / "caller_outside", projects / name)
    monkeypatch.chdir(tmp_path)
    files = sorted(str(p.relative_to(tmp_path)) for p in projects.rglob("*.py"))
    probed, isfile = [], os.path.isfile
    monkeypatch.setattr(os.path, "isfile", lambda path: probed.append(path) or isfile(path))
    assert importers(["projects"], files, Settings(root=tmp_path), None) == ([], [])
    asked = {os.path.relpath(os.path.dirname(path), tmp_path) for path in probed}
    assert asked == {"projects", "projects/one", "projects/two"}


def _torn_project(tmp_path: Path) -> Path:
    """The common-lock fixture ``torn`` (``review`` names ``store``: a caller of it), made a
    project (``held_caller``: its ``pyproject.toml`` and the empty configuration)."""
    from common_lock_projects import common_lock_project

    root = common_lock_project("torn", tmp_path)
    for name in ("pyproject.toml", "empty.toml"):
        shutil.copyfile(FIXTURES / "held_caller" / name, root / name)
    return root


def test_a_caller_whose_fixes_stay_on_the_loop_keeps_the_files_decline(tmp_path):
    """``torn/review.py``'s fixes are declined for ``program.main``'s sake (its spans), so
    ``torn/store.py``'s fixes on the same file may not move under the package's common
    lock: the one-file run weighs that caller's spans, as the directory run does (without
    them, it offered ``store``'s fixes as safe under ``torn._deblock_lock``)."""
    root = _torn_project(tmp_path)
    whole = [f for f in checked(root, ".") if f["path"] == "torn/store.py"]
    assert whole and all(f["lock"] is None and "torn/review.py" in f["declined"] for f in whole)
    assert checked(root, "torn/store.py") == whole


@pytest.mark.parametrize(
    ("name", "path", "weighed"),
    [
        ("awaited", "app/counter.py", [{"app/counter.py"}]),
        ("torn", "torn/store.py", [{"torn/store.py", "torn/review.py"}] * 2),
    ],
    ids=["moves-no-resource", "moves-a-file"],
)
def test_a_run_over_the_file_weighs_the_spans_of_callers_that_may_hold_its_fixes(
    tmp_path, monkeypatch, name, path, weighed
):
    """The callers' own spans matter only where they keep on the loop a call on a resource
    whose fix would move (``runner._held``) beside the file's fixes on one: ``counter``'s
    sleep touches none, so no caller's spans are weighed (``main``'s run still declines it);
    ``store`` writes a file, so ``review``'s are, and ``program``'s (no such fix) are not,
    in both runs: the second takes in the rest of the project (``runner._on_resources``)."""
    from deblock.config import load_settings
    from deblock.project import helper_writes
    from deblock.runner import analyze_paths

    root = _torn_project(tmp_path) if name == "torn" else tmp_path / name
    if name != "torn":
        shutil.copytree(FIXTURES / name, root)
    asked = []
    original = helper_writes.writing_spans

    def logged(source, findings, again=None, paths=None):
        asked.append(set(paths))
        return original(source, findings, again, paths)

    monkeypatch.setattr(helper_writes, "writing_spans", logged)
    monkeypatch.chdir(root)
    result = analyze_paths([path], load_settings(["."], root / "empty.toml"), jobs=1)
    assert asked == weighed
    assert [f.path for f in result.findings] and {f.path for f in result.findings} == {path}
    assert all(f.unsafe_because for f in result.findings)


def _assert_fixed_alone_unchanged(root: Path, file: str) -> None:
    """``deblock fix`` on ``file`` alone, in project ``root``, leaves it as it was (its
    findings stay: exit 1)."""
    before = (root / file).read_text()
    run = _fixed_alone(root, file)
    assert run.returncode == 1, run.stderr
    assert (root / file).read_text() == before


def _fixed_alone(cwd: Path, file: str, config: str = "empty.toml") -> subprocess.CompletedProcess:
    """``deblock fix`` run on ``file`` alone in ``cwd``, with the empty configuration
    ``config``."""
    return subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", "--config", config, file],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
