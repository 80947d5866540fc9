"""Runtime proof: fixed programs never block the event loop and behave like the originals,
under concurrency.

Each ``fixtures/runtime/*.py`` defines ``async def main(root)``; ``deblock fix`` (the
command, in a subprocess) fixes a copy of it in a project of its own (``*_unsafe.py`` ones
with ``--unsafe-fixes``), and must fix it whole. ``runtime_harness`` calls it 20 times at
once (every call on the same ``root``) while the default thread pool is kept busy, so
thread hops queue and land on different workers (``busy_pool``). The original runs
without a guard, every fixed program (of each test here) under blockbuster
(``runtime_harness.loop_guard``), which allows only the calls its ``LEFT_ON_THE_LOOP``
names where they stay on the event loop on purpose. The fixed run must return what the
original's callers could return (the same values, in any order) and leave the same files
under ``root``.

Each ``fixtures/runtime_projects/*/`` is a project whose ``program.py`` sets up its own
process (Django's settings and database, in ``setup(root)``) or uses a library installed
in its ``site-packages`` (put on ``PYTHONPATH``, where deblock learns its twins). It is fixed
by ``deblock fix`` on the whole project and run by the harness in fresh interpreters; what
its ``state(root)`` reports (database rows) must be the same too. The original may query
Django on the loop (``DJANGO_ALLOW_ASYNC_UNSAFE``); the fixed one may not.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
import runtime_harness
from blockbuster import BlockingError
from runtime_harness import loop_guard, project_env, run_project, tree

from deblock.analysis import analyze_source
from deblock.fixer.engine import FixOptions, fix_source

FIXTURES = Path(__file__).parent / "fixtures"
PROGRAMS = sorted((FIXTURES / "runtime").glob("*.py"))
PROJECTS = sorted(p for p in (FIXTURES / "runtime_projects").iterdir() if p.is_dir())


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"runtime_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(module, root: Path, guarded: bool = False) -> list:
    root.mkdir()
    return runtime_harness.run(module, root, guarded)


def _deblock(where: Path, *args: str) -> subprocess.CompletedProcess:
    """``deblock ARGS --no-cache .`` run in ``where`` (a subprocess: the command, its
    project pass too), with ``where``'s ``site-packages`` on the path."""
    command = [sys.executable, "-m", "deblock", *args, "--no-cache", "."]
    env = project_env(where)
    return subprocess.run(command, cwd=where, env=env, capture_output=True, text=True)


# Each ``runtime/*.py`` program's own project: it may use aiofiles (open blocks' ``aiofiles.open``).
_PROJECT = '[project]\nname = "p"\nversion = "0"\ndependencies = ["aiofiles"]\n'


@pytest.fixture(scope="session")
def fixed_programs(tmp_path_factory) -> Callable[[Path], tuple[Path, str]]:
    """``deblock fix`` of a ``runtime/*.py`` program in a project of its own (a run over
    several projects weighs them as one file system), ``*_unsafe`` ones with
    ``--unsafe-fixes``, once a session: the fixed copy, the run's exit status and output."""
    runs = tmp_path_factory.mktemp("programs")

    @functools.cache
    def fix(program: Path) -> tuple[Path, str]:
        (runs / program.stem).mkdir()
        (runs / program.stem / "pyproject.toml").write_text(_PROJECT)
        fixed = Path(shutil.copy(program, runs / program.stem))
        unsafe = ["--unsafe-fixes"] if program.stem.endswith("_unsafe") else []
        ran = _deblock(fixed.parent, "fix", *unsafe)
        return fixed, f"{ran.returncode}\n{ran.stdout}{ran.stderr}"

    return fix


@pytest.fixture(params=PROGRAMS, ids=lambda p: p.stem)
def program(request, fixed_programs) -> tuple[object, object]:
    """The original module, and the module ``deblock fix`` made of it, fixing it whole."""
    fixed, said = fixed_programs(request.param)
    assert said.startswith("0\n"), said  # every finding fixed
    assert fixed.read_text() != request.param.read_text()
    return _load(request.param), _load(fixed)


def test_the_original_blocks_the_event_loop(program, tmp_path):
    original, _ = program
    results = _run(original, tmp_path / "original", guarded=True)
    assert BlockingError.__name__ in results


def test_the_fixed_program_does_not_block_and_behaves_the_same(program, tmp_path):
    original, fixed = program
    expected = _run(original, tmp_path / "original")
    actual = _run(fixed, tmp_path / "fixed", guarded=True)
    assert sorted(map(repr, actual)) == sorted(map(repr, expected))
    assert tree(tmp_path / "fixed") == tree(tmp_path / "original")


def _fixed_without_aiofiles(program: Path, tmp_path: Path):
    """``program`` fixed as for a project that does not depend on aiofiles (``deblock fix``
    reads its dependencies): the outcome, and the fixed module."""
    outcome = fix_source(program.read_text(), str(program), FixOptions(imports=frozenset()))
    assert outcome.error is None
    fixed = tmp_path / f"fixed_{program.name}"
    fixed.write_text(outcome.source)
    return outcome, _load(fixed)


def _behaves_the_same(program: Path, fixed, tmp_path: Path) -> None:
    """The fixed module's calls (under blockbuster) return what the original's do, and
    leave the same files."""
    expected = _run(_load(program), tmp_path / "original")
    actual = _run(fixed, tmp_path / "fixed", guarded=True)
    assert sorted(map(repr, actual)) == sorted(map(repr, expected))
    assert tree(tmp_path / "fixed") == tree(tmp_path / "original")


def test_a_header_the_fix_lengthened_is_opened_in_the_program_that_behaves_the_same(
    fixed_programs,
):
    """``long_header_scandir``'s ``for`` header, 119 columns once fixed, is opened at its
    widest brackets (the runtime tests above run that program against the original)."""
    fixed, said = fixed_programs(FIXTURES / "runtime" / "long_header_scandir.py")
    lines = fixed.read_text().splitlines()
    assert said.startswith("0\n") and max(map(len, lines)) <= 88
    assert "    for entry in await asyncio.to_thread(" in lines


@pytest.mark.parametrize(("allowed", "fails"), [(None, True), ("__call__", True), ("main", False)])
def test_a_fix_put_back_on_the_event_loop_fails_unless_the_program_allows_it(
    fixed_programs, tmp_path, allowed, fails
):
    """The guard can fail: ``retry_sleep``'s fixed program with its sleep put back on the
    event loop (``time.sleep`` for the ``await asyncio.sleep`` the fix made) returns
    ``BlockingError`` where the original returned its value, unless its
    ``LEFT_ON_THE_LOOP`` allows ``time.sleep`` in the function that calls it (``main``;
    allowed in another function, it still fails)."""
    program = FIXTURES / "runtime" / "retry_sleep.py"
    fixed, _ = fixed_programs(program)
    reverted = "import time\n" + fixed.read_text().replace("await asyncio.sleep(", "time.sleep(")
    if allowed:
        reverted += f"\nLEFT_ON_THE_LOOP = {{'time.sleep': ({allowed!r},)}}\n"
    (tmp_path / "reverted.py").write_text(reverted)
    with (
        pytest.raises(AssertionError, match="BlockingError") if fails else contextlib.nullcontext()
    ):
        _behaves_the_same(program, _load(tmp_path / "reverted.py"), tmp_path)


@pytest.mark.parametrize(
    "name", ["own_source.py", "handle_read_after_block.py", "two_blocks_one_name.py"]
)
def test_a_project_without_aiofiles_gets_a_thread_that_behaves_the_same(tmp_path, name):
    """An open block, fixed as for a project without aiofiles: the block moves into a
    thread (its helper returns the handle the coroutine reads after it), run as above (the
    other test runs its ``aiofiles.open`` form)."""
    outcome, fixed = _fixed_without_aiofiles(FIXTURES / "runtime" / name, tmp_path)
    assert outcome.left == []
    assert "asyncio.to_thread(" in outcome.source
    assert "import aiofiles" not in outcome.source
    _behaves_the_same(FIXTURES / "runtime" / name, fixed, tmp_path)


@pytest.mark.parametrize("name", ["temporary_handed", "temporary_dir_handed"])
def test_a_temporary_file_handed_on_after_a_zero_sleep_is_made_in_a_thread(name):
    """A temporary file (or directory) made in the first run and handed, after a zero
    sleep, to a coroutine that uses it as every call's does: each call's own, so its fix
    keeps no order of the calls. Check declined it (the file system was one resource; fix
    made it only in a second round, once the callee's calls were in threads); the fixed
    program behaves the same (``test_the_fixed_program_does_not_block...``)."""
    program = FIXTURES / "runtime" / f"{name}.py"
    findings = analyze_source(program.read_text(), str(program)).findings
    assert all(f.strategy and f.declined is None for f in findings)


@pytest.mark.parametrize("name", ["own_descriptor", "own_directory_paths", "own_named_file"])
def test_a_sleep_before_work_on_the_call_s_own_temporary_files_is_swapped(name):
    """A sleep in the first run, then work on temporary files the call made in the system's
    temporary directory and kept in no shared state (a descriptor and path unpacked from
    ``mkstemp``, paths built in a ``mkdtemp`` directory, a file's ``.name``), beside another
    coroutine writing in ``root`` in its first run: the files are the call's own, so the
    sleep's await keeps no order of the calls from them. Check declined it (the file system
    was one resource); the fixed program behaves the same
    (``test_the_fixed_program_does_not_block...``)."""
    program = FIXTURES / "runtime" / f"{name}.py"
    findings = analyze_source(program.read_text(), str(program)).findings
    assert all(f.strategy and f.declined is None for f in findings)


def test_a_block_calling_bare_super_stays_in_its_method_and_behaves_the_same(tmp_path):
    """Fixed as for a project without aiofiles, ``bare_super_block_unsafe.py``'s open block
    would move whole into a helper with the read of ``self.text`` after it, where ``super()``
    raises: it stays, its read goes to a thread, awaited before the base's write (the
    ``open`` is left, declined), and the program behaves as the original."""
    program = FIXTURES / "runtime" / "bare_super_block_unsafe.py"
    outcome, fixed = _fixed_without_aiofiles(program, tmp_path)
    assert [f.target for f in outcome.left] == ["builtins.open"]
    assert "super()" in outcome.left[0].declined
    assert "_in_thread" not in outcome.source and "asyncio.to_thread(fh.read)" in outcome.source
    _behaves_the_same(program, fixed, tmp_path)


@pytest.mark.parametrize(
    "program", sorted((FIXTURES / "frame_bound").glob("*.py")), ids=lambda p: p.stem
)
def test_code_reading_the_exception_being_handled_stays_in_the_coroutine(tmp_path, program):
    """``frame_bound/``: a block printing the handled exception's traceback into a file,
    and a call whose arguments format it, fixed as for a project without aiofiles: what
    reads the exception stays in the coroutine (a worker thread handles none: moved there,
    it wrote ``NoneType: None``), and the files are the original's (the block's writes stay
    on the event loop: its ``LEFT_ON_THE_LOOP``)."""
    outcome, fixed = _fixed_without_aiofiles(program, tmp_path)
    assert any("the exception being handled" in f.declined for f in outcome.left)
    _behaves_the_same(program, fixed, tmp_path)
    assert all(b"ValueError: call" in text for text in tree(tmp_path / "fixed").values())


@pytest.fixture(params=PROJECTS, ids=lambda p: p.name)
def project(request, tmp_path) -> tuple[Path, Path]:
    """The original project, and the one ``deblock fix`` made of it."""
    original, fixed = tmp_path / "original", tmp_path / "fixed"
    shutil.copytree(request.param, original)
    shutil.copytree(request.param, fixed)
    unsafe = ["--unsafe-fixes"] if request.param.name.endswith("_unsafe") else []
    ran = _deblock(fixed, "fix", *unsafe)
    assert ran.returncode == 0, ran.stdout + ran.stderr  # every finding fixed
    assert tree(fixed) != tree(original)
    return original, fixed


def test_the_original_project_blocks_the_event_loop(project, tmp_path):
    original, _ = project
    ran = run_project(original, tmp_path / "guarded", "--blockbuster", allow_sync=True)
    assert repr(BlockingError.__name__) in ran["results"]


def test_the_fixed_project_does_not_block_and_behaves_the_same(project, tmp_path):
    original, fixed = project
    expected = run_project(original, tmp_path / "original-run", allow_sync=True)
    actual = run_project(fixed, tmp_path / "fixed-run", "--blockbuster")
    assert actual == expected
    assert tree(tmp_path / "fixed-run") == tree(tmp_path / "original-run")


def test_two_projects_fixed_in_one_run_each_behave_the_same(tmp_path):
    """``runtime_two_projects/``: two projects (each its ``pyproject.toml``) of which
    neither loads the other run their own event loops, so the file system is no one
    resource between them (``processes.Processes``): one ``deblock fix`` over both fixes
    every finding safely, as each project's own run does (``counter``'s read, sleep and
    write in a thread under its module's lock, ``loader``'s read in a thread; were a third
    project to load both, all seven would be unsafe), and each fixed program returns what
    its original returns and leaves the same files, under blockbuster."""
    projects = FIXTURES / "runtime_two_projects"
    original, fixed = tmp_path / "original", tmp_path / "fixed"
    shutil.copytree(projects, original)
    shutil.copytree(projects, fixed)
    ran = _deblock(fixed, "fix")
    assert ran.returncode == 0, ran.stdout + ran.stderr  # every finding fixed
    for name in ("counter", "loader"):
        alone = shutil.copytree(projects / name, tmp_path / f"{name}-alone")
        assert _deblock(alone, "fix").returncode == 0
        assert tree(fixed / name) == tree(alone) != tree(original / name)
        expected = run_project(original / name, tmp_path / f"{name}-original-run")
        actual = run_project(fixed / name, tmp_path / f"{name}-fixed-run", "--blockbuster")
        assert actual == expected
        assert tree(tmp_path / f"{name}-fixed-run") == tree(tmp_path / f"{name}-original-run")


def _fixed_by_deblock(program: Path, where: Path) -> Path:
    """A copy of ``program`` in ``where`` that ``deblock fix`` (a subprocess, the project
    pass too, an empty configuration) fixed whole: ``deblock check`` finds nothing left."""
    where.mkdir()
    (where / "empty.toml").write_text("")
    fixed = shutil.copy(program, where / "program.py")
    for command in ("fix", "check"):
        ran = _deblock(where, command, "--config", "empty.toml")
        assert ran.returncode == 0, ran.stdout + ran.stderr
    return Path(fixed)


@pytest.mark.parametrize(
    "half_fixed", sorted((FIXTURES / "runtime_sequential").glob("*.py")), ids=lambda p: p.stem
)
def test_fixing_in_two_runs_behaves_as_the_original(half_fixed, tmp_path):
    """A module an earlier run fixed in part (``save_note``'s section) and fixed again once
    ``load_note`` was added behaves as the original with neither fixed: the new section
    takes the lock the earlier one holds (a second lock let loads read half-written notes:
    ``JSONDecodeError``). The original must be one a single run fixes whole: only then is
    it what the two runs must give (``runtime_declined/save_and_load_tested``, declined by
    the project pass, was the original here; its half-fixed form raised
    ``FileNotFoundError`` unfixed, beside the first save's thread)."""
    original = FIXTURES / "runtime_sequential" / "originals" / half_fixed.name
    _fixed_by_deblock(original, tmp_path / "at_once")
    fixed = _fixed_by_deblock(half_fixed, tmp_path / "second_run")
    expected = _run(_load(original), tmp_path / "original")
    actual = _run(_load(fixed), tmp_path / "fixed", guarded=True)
    assert sorted(map(repr, actual)) == sorted(map(repr, expected))
    assert tree(tmp_path / "fixed") == tree(tmp_path / "original")


@pytest.mark.timeout(60, method="thread")  # a thread lock held across an await deadlocks
@pytest.mark.parametrize(
    "program", sorted((FIXTURES / "runtime_partial").glob("*.py")), ids=lambda p: p.stem
)
def test_what_a_fix_leaves_on_the_loop_still_behaves_the_same(program, tmp_path):
    """Statements that belong to the event loop's thread or context, or run while it holds
    a thread lock, stay on it (their calls stay reported), and so does what check declined
    though a fix rewrote what the decline weighed (``sleep_before_sections``, the bridges
    of ``existing_bridges`` and ``imported_bridge``): the fixed program returns what
    the original returns, and leaves the same files, under the same concurrency and under
    blockbuster, which allows what the program's ``LEFT_ON_THE_LOOP`` says stays on the
    loop; so do statements whose move would break what an earlier pass made
    (``*_unsafe.py``: fixed with ``--unsafe-fixes``)."""
    unsafe = program.stem.endswith("_unsafe")
    outcome = fix_source(program.read_text(), str(program), FixOptions(unsafe=unsafe))
    assert outcome.error is None
    fixed = tmp_path / f"fixed_{program.name}"
    fixed.write_text(outcome.source)
    fixed = _load(fixed)
    expected = _run(_load(program), tmp_path / "original")
    actual = _run(fixed, tmp_path / "fixed", guarded=True)
    assert sorted(map(repr, actual)) == sorted(map(repr, expected))
    assert tree(tmp_path / "fixed") == tree(tmp_path / "original")
    assert outcome.left  # what belongs to the loop's thread kept its calls there
    assert hasattr(fixed, "LEFT_ON_THE_LOOP")  # and the program says so


def test_a_database_in_memory_moves_beside_file_calls_left_on_the_loop(tmp_path):
    """``runtime_partial/sqlite_in_memory``: what the fix leaves on the loop is the
    directory made in a ``finally``, not the database's section (a database in memory is
    no file); the program behaves the same (``test_what_a_fix_leaves_on_the_loop...``)."""
    program = FIXTURES / "runtime_partial" / "sqlite_in_memory.py"
    outcome = fix_source(program.read_text(), str(program), FixOptions())
    assert [f.target for f in outcome.left] == ["os.makedirs"]


@pytest.mark.parametrize(
    "program", sorted((FIXTURES / "runtime_cancelled").glob("*.py")), ids=lambda p: p.stem
)
@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_cleanup_runs_to_its_end_when_the_scope_is_cancelled(program, backend, tmp_path):
    """A blocking call in a ``finally`` stays sync: an await there would be cancelled with
    its scope (anyio on trio cancels every await in it), and the cleanup skipped. The fixed
    run is under blockbuster, blind on trio (it watches a running asyncio loop only)."""
    outcome = fix_source(program.read_text(), str(program), FixOptions())
    assert outcome.error is None
    fixed = tmp_path / f"fixed_{program.name}"
    fixed.write_text(outcome.source)
    original, fixed = _load(program), _load(fixed)
    for module, root in ((original, "original"), (fixed, "fixed")):
        (tmp_path / root).mkdir()
        with loop_guard(fixed) if module is fixed else contextlib.nullcontext():
            left = anyio.run(module.main, str(tmp_path / root), backend=backend)
        assert left is False, root


@pytest.mark.parametrize(
    "probed", sorted((FIXTURES / "runtime_probed").iterdir()), ids=lambda p: p.name
)
def test_a_write_after_a_probe_it_repeats_moves_and_behaves_the_same(probed, tmp_path):
    """``runtime_probed/*``: a probe of a path the analysis cannot type (``path.lstat()``)
    stays on the loop, and the write after it, which fails by itself as the probe would
    (``os.remove(path)``), moves into a thread: every finding is fixed, and the fixed
    project returns what the original returns and leaves the same files (under blockbuster,
    allowing the probe, which blocks on the loop as in the original)."""
    original, fixed = tmp_path / "original", tmp_path / "fixed"
    shutil.copytree(probed, original)
    shutil.copytree(probed, fixed)
    ran = _deblock(fixed, "fix")
    assert ran.returncode == 0, ran.stdout + ran.stderr  # every finding fixed
    assert "await asyncio.to_thread(" in (fixed / "program.py").read_text()
    expected = run_project(original, tmp_path / "original-run")
    assert run_project(fixed, tmp_path / "fixed-run", "--blockbuster") == expected
    assert tree(tmp_path / "fixed-run") == tree(tmp_path / "original-run")
