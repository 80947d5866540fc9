"""`deblock fix` as a real subprocess: diff, summary, exit codes, safety of the files."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = Path(__file__).parent / "fixtures" / "cli"
AT_FORK = Path(__file__).parent / "fixtures" / "ctrl_c" / "at_fork.py"


@pytest.fixture
def copy(tmp_path):
    def put(*names: str) -> Path:
        for name in names:
            shutil.copyfile(CLI / name, tmp_path / name)
        return tmp_path

    return put


def test_diff_writes_nothing_and_exits_1_while_changes_are_pending(deblock, copy):
    root = copy("sleepy.py")
    ran = deblock("fix", "--diff", "sleepy.py", cwd=root)
    assert ran.returncode == 1
    assert ran.stdout.startswith("--- a/sleepy.py\n+++ b/sleepy.py\n")
    assert "+    await asyncio.sleep(0.1)" in ran.stdout
    assert "1 fix would be applied (1 file would change)." in ran.stderr
    assert (root / "sleepy.py").read_text() == (CLI / "sleepy.py").read_text()


def test_fix_writes_reports_and_then_has_nothing_left(deblock, copy):
    root = copy("sleepy.py")
    ran = deblock("fix", ".", cwd=root)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.strip() == "1 fix applied (1 file changed)."
    assert (root / "sleepy.py").read_text() == (CLI / "sleepy.after.py").read_text()
    again = deblock("fix", "--diff", ".", cwd=root)
    assert again.returncode == 0 and again.stdout == ""


def test_findings_left_are_listed_with_the_reason_and_exit_1(deblock, copy):
    root = copy("left_over.py")
    ran = deblock("fix", ".", cwd=root)
    assert ran.returncode == 1
    assert "left_over.py:5:17: DBK101" in ran.stdout
    assert "not fixed: inside a generator expression" in ran.stdout
    assert "0 fixes applied (0 files changed); 1 finding left." in ran.stdout


def test_unsafe_fixes_only_on_request(deblock, copy):
    root = copy("mixed.py")
    safe = deblock("fix", "--diff", "mixed.py", cwd=root)
    assert "+CLIENT = AsyncGroq()" not in safe.stdout
    broken = "+    reply = await asyncio.to_thread(\n+        CLIENT.chat.completions.create,"
    assert broken in safe.stdout  # past the copy's line length (88): broken
    unsafe = deblock("fix", "--unsafe-fixes", "mixed.py", cwd=root)
    assert unsafe.returncode == 0, unsafe.stdout + unsafe.stderr
    assert "CLIENT = AsyncGroq()" in (root / "mixed.py").read_text()


def test_a_file_that_cannot_be_parsed_is_skipped_and_reported(deblock, copy):
    root = copy("broken.py", "sleepy.py")
    ran = deblock("fix", ".", cwd=root)
    assert ran.returncode == 1
    assert "broken.py" in ran.stdout + ran.stderr and "syntax error" in ran.stdout + ran.stderr
    assert (root / "broken.py").read_text() == (CLI / "broken.py").read_text()
    assert (root / "sleepy.py").read_text() == (CLI / "sleepy.after.py").read_text()


def test_encoding_bom_crlf_and_mode_survive_a_fix(deblock, tmp_path):
    text = (CLI / "sleepy.py").read_text().replace("pause", "pausé")
    target = tmp_path / "sleepy.py"
    target.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    target.chmod(0o741)
    ran = deblock("fix", ".", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    after = (CLI / "sleepy.after.py").read_text().replace("pause", "pausé")
    assert target.read_bytes() == b"\xef\xbb\xbf" + after.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o741


@pytest.mark.parametrize(
    ("name", "dependencies", "awaited"),
    [("x", '["httpx"]', False), ("x", '["aiofiles>=23"]', True), ("aiofiles", "[]", True)],
)
def test_an_open_block_awaits_aiofiles_only_in_a_project_that_depends_on_it(
    deblock, copy, name, dependencies, awaited
):
    """A project that does not declare aiofiles (nor is it) gets the block in a thread,
    which needs nothing new: with ``aiofiles.open`` its fixed code would not import where
    aiofiles is not installed (python-engineio 4.15.1: the package no longer imported, 13
    of its test modules errored)."""
    root = copy("reader.py")
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\ndependencies = {dependencies}\n'
    )
    deblock("fix", ".", cwd=root)
    assert ("async with aiofiles.open(path) as fh:" in (root / "reader.py").read_text()) is awaited
    without = "import sys; sys.modules['aiofiles'] = None; import reader"  # not installed
    imported = subprocess.run([sys.executable, "-c", without], cwd=root, capture_output=True)
    assert (imported.returncode == 0) is not awaited


def test_project_wide_findings_are_fixed_in_one_run(deblock, tmp_path):
    """`save()` blocks through another module: only the project run sees it, and it is
    fixed along with the module's own finding, so a second run has nothing to do. (The
    thread bridge of a project helper is an unsafe fix: the helper may not be thread-safe.)"""
    shutil.copytree(CLI / "project", tmp_path, dirs_exist_ok=True)
    ran = deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "2 fixes applied (1 file changed)." in ran.stdout
    handlers = (tmp_path / "shop" / "handlers.py").read_text()
    assert "await asyncio.sleep(0.01)" in handlers
    assert "return await asyncio.to_thread(save, order)" in handlers
    assert deblock("fix", "--unsafe-fixes", "--diff", ".", cwd=tmp_path).stdout == ""


def test_select_and_explain_bridges(deblock, copy):
    root = copy("mixed.py")
    ran = deblock("fix", "--select", "DBK301", "--explain-bridges", "mixed.py", cwd=root)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 fix applied (1 file changed)." in ran.stdout
    text = (root / "mixed.py").read_text()
    assert (
        "    # deblock: `os.stat` blocks (DBK301); it runs in a worker thread\n"
        "    await asyncio.to_thread(os.stat, root)  # it must exist\n"
    ) in text
    assert "time.sleep(0.1)" in text and "with open(" in text  # not selected: untouched


def test_ctrl_c_leaves_every_file_entirely_old_or_entirely_new(tmp_path):
    """Interrupted at any moment, a run leaves no half-written file and no temporary."""
    before = (CLI / "mixed.py").read_text()
    for i in range(80):
        (tmp_path / f"m{i}.py").write_text(before)
    deblock = Path(sys.executable).with_name("deblock")
    process = subprocess.Popen(
        [str(deblock), "fix", "--no-cache", "-j", "2", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode in (0, 1, 130), err
    assert b"Traceback" not in err
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "m.py").write_text(before)
    (reference / "n.py").write_text(before)  # fixes see other modules, as above
    subprocess.run([str(deblock), "fix", "--no-cache", "."], cwd=reference, capture_output=True)
    after = (reference / "m.py").read_text()
    contents = {(tmp_path / f"m{i}.py").read_text() for i in range(80)}
    assert contents <= {before, after}
    assert sorted(os.listdir(tmp_path)) == sorted([f"m{i}.py" for i in range(80)] + ["reference"])


def test_ctrl_c_while_the_fix_workers_fork_ends_the_run_and_writes_nothing(tmp_path):
    """Ctrl-C pressed as the workers that fix the files fork is raised once they are
    forked: the run ends (it neither drops the interrupt nor waits for idle workers)."""
    before = (CLI / "mixed.py").read_text()
    for i in range(4):
        (tmp_path / f"m{i}.py").write_text(before)
    ran = subprocess.run(
        [sys.executable, str(AT_FORK), "fix", "--no-cache", "-j", "2", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 130, ran.stdout + ran.stderr
    assert "Exception ignored" not in ran.stderr and "Traceback" not in ran.stderr
    assert {(tmp_path / f"m{i}.py").read_text() for i in range(4)} == {before}
    assert sorted(os.listdir(tmp_path)) == [f"m{i}.py" for i in range(4)]


def test_diff_reports_findings_left_at_their_lines_on_disk(deblock, copy):
    root = copy("shifted.py")
    checked = deblock("check", "--format", "json", "shifted.py", cwd=root)
    (left,) = [f for f in json.loads(checked.stdout) if f["code"] == "DBK101"]
    ran = deblock("fix", "--diff", "shifted.py", cwd=root)
    assert "+import asyncio" in ran.stdout  # the rewrite adds lines above the finding
    assert f"shifted.py:{left['line']}:{left['col']}: DBK101 " in ran.stderr


def test_the_summary_says_when_one_rewrite_covers_several_findings(deblock, copy):
    root = copy("shifted.py")
    ran = deblock("fix", "shifted.py", cwd=root)
    assert (
        "1 fix applied (1 file changed), covering 2 findings (one rewrite can cover several); "
        "1 finding left." in ran.stdout
    )


def test_check_counts_the_findings_fix_and_unsafe_fixes_remove(deblock, tmp_path):
    shutil.copytree(CLI, tmp_path, dirs_exist_ok=True)
    (tmp_path / "broken.py").unlink()

    def findings_and_summary() -> tuple[int, str]:
        ran = deblock("check", "--no-cache", ".", cwd=tmp_path)
        return len(ran.stdout.splitlines()) - 1, ran.stdout.splitlines()[-1]

    before, summary = findings_and_summary()
    safe, unsafe = (int(n) for n in re.findall(r"(\d+) (?:fixable|more) with", summary))
    both = f"{safe} fixable with `deblock fix`, {unsafe} more with `deblock fix --unsafe-fixes`"
    assert summary.endswith(f"({both}).")
    deblock("fix", ".", cwd=tmp_path)
    after_safe, summary = findings_and_summary()
    assert after_safe == before - safe
    assert summary.endswith(f"({unsafe} fixable with `deblock fix --unsafe-fixes`).")
    deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert findings_and_summary()[0] == after_safe - unsafe


@pytest.mark.parametrize(
    ("backend", "root", "awaited"),
    [('["httpx"]', '["aiofiles"]', False), ('["aiofiles"]', '["httpx"]', True)],
)
def test_the_dependencies_are_those_of_the_pyproject_that_owns_the_fixed_file(
    deblock, copy, backend, root, awaited
):
    """A monorepo's ``backend/pyproject.toml`` owns ``backend/reader.py``: its dependencies
    decide, not the root's."""
    base = copy("reader.py")
    (base / "backend").mkdir()
    (base / "reader.py").rename(base / "backend" / "reader.py")
    (base / "pyproject.toml").write_text(f'[project]\nname = "all"\ndependencies = {root}\n')
    (base / "backend" / "pyproject.toml").write_text(
        f'[project]\nname = "backend"\ndependencies = {backend}\n'
    )
    deblock("fix", ".", cwd=base)
    assert ("aiofiles.open" in (base / "backend" / "reader.py").read_text()) is awaited


def test_fixes_declined_for_safety_are_counted_with_their_reasons(deblock, copy):
    root = copy("declined.py")
    for args in (("fix", "--diff"), ("fix",)):
        ran = deblock(*args, "declined.py", cwd=root)
        out = ran.stderr if "--diff" in args else ran.stdout
        atomic = "declined for safety: the statements that read and write the file system must "
        lines = [line for line in out.splitlines() if atomic in line]
        assert len(lines) == 4  # json.load, open, json.dump, open: the section returns midway
        assert all(
            line.endswith("return midway; an unsafe fix with --unsafe-fixes)") for line in lines
        )
        assert out.count("objects work only in the thread that made them") == 2  # self.db
        assert (
            "1 fix" in out
            and "6 findings left (6 declined for safety, 4 with --unsafe-fixes)." in out
        )
    assert "await asyncio.sleep(0.1)" in (root / "declined.py").read_text()


def test_diff_gives_the_reason_a_codemod_declined_a_fix_for_as_a_run_that_writes(deblock, tmp_path):
    """``--diff`` places the findings left back in the text on disk; the reason a codemod
    declined one (a second round's move that would leave an earlier helper's ``nonlocal``
    no binding) is placed there too: it was "no fix applies here"."""
    name = "orphaned_nonlocal_unsafe.py"
    shutil.copyfile(CLI.parent / "runtime_partial" / name, tmp_path / name)
    for args in (("--diff",), ()):
        ran = deblock("fix", "--unsafe-fixes", *args, name, cwd=tmp_path)
        out = ran.stderr if args else ran.stdout
        assert out.count("bound nowhere in the coroutine") == 2, out


def test_files_two_modules_move_into_threads_are_declined_when_one_writes(deblock, tmp_path):
    """Each module's lock serialises only its own threads: a load in one module could read
    what a save in another is writing. Both are declined, with the other module named;
    the sleep beside them is fixed."""
    shutil.copytree(CLI / "two_modules", tmp_path, dirs_exist_ok=True)
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "1 fix applied (1 file changed); 4 findings left (4 declined for safety" in ran.stdout
    for path, other in (("reader.py", "store.py"), ("store.py", "reader.py")):
        assert f"`{other}` touches the file system from worker threads too" in ran.stdout
        assert "with open(" in (tmp_path / path).read_text()
    assert "await asyncio.sleep(0.1)" in (tmp_path / "reader.py").read_text()
    unsafe = deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert "fixes applied (2 files changed)" in unsafe.stdout
    assert "left" not in unsafe.stdout
    assert "await asyncio.to_thread(_save_in_thread)" in (tmp_path / "store.py").read_text()


def test_a_module_fixed_earlier_still_declines_the_fixes_of_another(deblock, tmp_path):
    """Once one module's file calls run in a thread helper (no finding is left there), a
    later run still sees that helper: the other module's fixes stay declined."""
    shutil.copytree(CLI / "two_modules", tmp_path, dirs_exist_ok=True)
    reader = (tmp_path / "reader.py").read_text()
    deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    (tmp_path / "reader.py").write_text(reader)
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "2 findings left (2 declined for safety" in ran.stdout
    assert "`store.py` touches the file system from worker threads too" in ran.stdout
    assert (
        "with open(path) as fh:\n        return json.load(fh)"
        in (tmp_path / "reader.py").read_text()
    )


def test_a_silenced_call_on_the_file_a_section_writes_declines_the_section(deblock, copy):
    """``# noqa`` leaves the load on the event loop: the save, moved into a thread under the
    module's lock, would not be serialised with it."""
    root = copy("silenced.py")
    ran = deblock("fix", "silenced.py", cwd=root)
    assert "2 findings left (2 declined for safety" in ran.stdout
    assert "`open` (silenced.py:10) touches the file system on the event loop" in ran.stdout
    assert (root / "silenced.py").read_text() == (CLI / "silenced.py").read_text()
    selected = deblock("fix", "--select", "DBK204", "silenced.py", cwd=root)
    assert "declined for safety" in selected.stdout  # `open` not selected: it stays too


def test_two_test_modules_never_run_together_and_hand_written_helpers_do_not_count(
    deblock, tmp_path
):
    """pytest runs one test at a time: the file fixes of two test modules are not declined
    for each other. A thread helper written by hand was never atomic with the event loop, so
    it does not decline another module's fixes either; one a fix made does."""
    for name in ("test_store.py", "test_reader.py"):
        shutil.copyfile(CLI / "two_modules" / name.removeprefix("test_"), tmp_path / name)
    (tmp_path / "by_hand.py").write_text(
        "import asyncio\n\n\nasync def copy(path):\n    def read():\n"
        "        with open(path) as fh:\n            return fh.read()\n\n"
        "    return await asyncio.to_thread(read)\n"
    )
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "declined" not in ran.stdout, ran.stdout
    assert "await asyncio.to_thread(_save_in_thread)" in (tmp_path / "test_store.py").read_text()


def test_programs_run_apart_from_the_tests_and_from_each_other(deblock, tmp_path):
    """A module that runs its own loop (``asyncio.run`` at import or under ``__main__``)
    and that nothing imports or names is a program, in a process of its own: the file fixes
    of two examples and of a test module are not declined for one another."""
    shutil.copytree(CLI / "programs", tmp_path, dirs_exist_ok=True)
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "declined" not in ran.stdout, ran.stdout
    for path in ("examples/save_demo.py", "examples/load_demo.py", "tests/test_notes.py"):
        assert "asyncio.to_thread(" in (tmp_path / path).read_text(), path


@pytest.mark.parametrize(
    "loader",
    [
        "from examples.save_demo import main\n",
        "import runpy\n\nSCRIPT = 'examples/save_demo.py'\nrun = runpy.run_path\n",
        "from examples import (\n    load_demo,\n    save_demo,\n)\n",
    ],
    ids=["imported", "named-by-file", "imported-from-its-package"],
)
def test_a_program_the_tests_import_or_name_runs_with_them(deblock, tmp_path, loader):
    """Once a test module imports the example or names its file, the example runs inside
    the tests' process: its fixes and the tests' are declined for one another."""
    shutil.copytree(CLI / "programs", tmp_path, dirs_exist_ok=True)
    (tmp_path / "tests" / "test_loads_demo.py").write_text(loader)
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "`examples/save_demo.py` touches the file system from worker threads" in ran.stdout
    assert "with open(" in (tmp_path / "tests" / "test_notes.py").read_text()


def test_a_program_runs_with_the_library_modules_it_may_import(deblock, tmp_path):
    """A program is apart from the tests, not from the project's library modules."""
    shutil.copytree(CLI / "programs", tmp_path, dirs_exist_ok=True)
    shutil.copyfile(CLI / "two_modules" / "store.py", tmp_path / "store.py")
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "`store.py` touches the file system from worker threads too" in ran.stdout
    assert "with open(" in (tmp_path / "examples" / "load_demo.py").read_text()


def test_a_module_with_a_main_block_in_a_package_the_project_imports_is_no_program(
    deblock, tmp_path
):
    """A library's modules run together in its users' programs, whatever ``__main__`` block
    one of them has: a package the tests import from holds no program."""
    shutil.copytree(CLI / "programs", tmp_path, dirs_exist_ok=True)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "version.py").write_text("VERSION = 1\n")
    shutil.copyfile(tmp_path / "examples" / "save_demo.py", tmp_path / "app" / "cli.py")
    (tmp_path / "tests" / "test_version.py").write_text(
        "from app.version import VERSION\n\n\nasync def test_version():\n    assert VERSION\n"
    )
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "`app/cli.py` touches the file system from worker threads too" in ran.stdout
    assert "with open(" in (tmp_path / "app" / "cli.py").read_text()


def test_a_sync_method_called_beside_its_awaited_twin_is_a_choice_kept(deblock, tmp_path):
    """The project awaits ``dispatch_async`` for events whose listeners are coroutines and
    calls ``dispatch`` for the others: swapping that call would await sync listeners (a
    ``TypeError``). The call is not swapped, and the program runs as before."""
    shutil.copytree(CLI / "deliberate_twins", tmp_path, dirs_exist_ok=True)

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "client.py"], cwd=tmp_path, capture_output=True, text=True
        )

    assert run().stdout == "connected released\n"
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "the project's coroutines await `dispatch_async` elsewhere (client.py:34)" in ran.stdout
    assert run().stdout == "connected released\n"
    client = tmp_path / "client.py"
    swapped = "await self.events.dispatch_async(Connected())"
    client.write_text(client.read_text().replace("self.events.dispatch(Connected())", swapped))
    assert "TypeError" in run().stderr  # what the swap would have done


def test_a_comment_that_says_a_call_blocks_on_purpose_keeps_a_project_twin(deblock, tmp_path):
    """The twin of another module's class is judged by the project pass: its comment keeps
    the call too, as does a docstring around it that names it; without the comment it is
    swapped."""
    shutil.copytree(CLI / "deliberate_project", tmp_path, dirs_exist_ok=True)
    service, documented = tmp_path / "service.py", tmp_path / "documented.py"
    original, with_docstring = service.read_text(), documented.read_text()
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "the comment at line 8 says the blocking is deliberate" in ran.stdout
    assert "the docstring at line 7 says the blocking is deliberate" in ran.stdout
    assert service.read_text() == original
    assert documented.read_text() == with_docstring
    service.write_text("\n".join(line for line in original.splitlines() if "#" not in line))
    deblock("fix", ".", cwd=tmp_path)
    assert "await CACHE.aget(key)" in service.read_text()


def test_cleanup_code_keeps_a_project_twin_sync_too(deblock, tmp_path):
    """The project pass judges a twin of another module's class; the module's pass tells it
    the call is cleanup code (a ``finally``): no await is added there either."""
    shutil.copytree(CLI / "deliberate_project", tmp_path, dirs_exist_ok=True)
    original = (tmp_path / "cleanup.py").read_text()
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "cleanup.py:12:9: DBK601" in ran.stdout or "cleanup.py:12:9: DBK602" in ran.stdout
    assert "it runs in a `finally`" in ran.stdout
    assert (tmp_path / "cleanup.py").read_text() == original


def test_a_project_twin_in_statements_that_change_the_environment_is_kept(deblock, tmp_path):
    """The project pass judges a twin of another module's class; the module's pass tells it
    that the call's run of statements changes ``os.environ``: no await is added there, as
    for the module's own twins. The swap, made with ``--unsafe-fixes``, lets other calls
    see the mark."""
    shutil.copytree(CLI / "process_state_project", tmp_path, dirs_exist_ok=True)
    program = tmp_path / "program.py"
    original = program.read_text()

    def run() -> str:
        ran = subprocess.run([sys.executable, "program.py"], cwd=tmp_path, capture_output=True)
        return ran.stdout.decode() + ran.stderr.decode()

    assert run() == str(["None"] * 13 + ["written"] * 7) + "\n"
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "program.py:13:5: DBK602" in ran.stdout
    assert "must stay atomic: `os.environ` changes what the loop's other tasks see" in ran.stdout
    assert program.read_text() == original
    deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert "await _store.asave(note)" in program.read_text()
    assert "KeyError: 'NOTE_WRITER'" in run()  # what the safe fix would have done


def test_two_projects_tests_never_meet_the_other_project_s_modules(deblock, tmp_path):
    """Two projects (each its ``pyproject.toml``) fixed in one run: the tests of one run in
    its own processes, which never load a module of the other whose package none of its
    files names. Their file fixes are not declined for one another, also when a second run
    reads what the first found about the projects back from the cache."""
    _two_projects(tmp_path)
    checked = [deblock("check", ".", cwd=tmp_path).stdout for _ in range(2)]
    assert checked[0] == checked[1]
    assert "(6 fixable with `deblock fix`)" in checked[1]
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "declined" not in ran.stdout, ran.stdout
    for path in ("service_a/tests/test_notes.py", "service_b/store.py"):
        assert "asyncio.to_thread(" in (tmp_path / path).read_text(), path


SERVICE_C = "service_c/pyproject.toml", '[project]\nname = "service-c"\nversion = "1"\n'


@pytest.mark.parametrize(
    "files",
    [
        {"service_a/tests/test_store.py": "def test_save():\n    from store import save\n"},
        {"service_a/tests/load.py": "import importlib\n\nS = importlib.import_module('store')\n"},
        {"service_a/notes.py": "async def put(path):\n    open(path, 'w').close()\n"},
        {
            "service_b/pyproject.toml": '[project]\nname = "service-b"\nversion = "1"\n\n'
            '[project.entry-points.pytest11]\nstore = "store"\n'
        },
        {"service_b/setup.cfg": "[options.entry_points]\npytest11 =\n    store = store\n"},
        {
            "service_b/setup.cfg": "[options.entry_points]\nhub.plugins =\n    store = store\n",
            "service_c/hub.py": "",
            "service_a/tests/test_hub.py": "import hub\n",
            SERVICE_C[0]: SERVICE_C[1],
        },
        {
            "service_c/relay.py": "from store import save\n",
            "service_a/tests/test_relay.py": "import relay\n",
            SERVICE_C[0]: SERVICE_C[1],
        },
        {"service_b/setup.py": 'setup(entry_points={"pytest11": ["store = store"]})\n'},
        {"service_b/setup.py": "setup(entry_points=ENTRY_POINTS)\n"},
    ],
    ids=[
        "the-tests-import-its-package",
        "the-tests-name-it",
        "library-beside-library",
        "a-plugin-pytest-loads-unnamed",
        "a-plugin-declared-in-setup-cfg",
        "a-plugin-of-a-package-the-tests-load",
        "a-module-the-tests-load-imports-it",
        "a-plugin-declared-in-setup-py",
        "plugins-setup-py-declares-in-a-form-not-read",
    ],
)
def test_another_project_s_module_meets_what_may_load_it(deblock, tmp_path, files):
    """Once a file of the tests' project names the other project's package, or names a
    module that does, the tests may load it, and so may pytest when that project declares
    plugins it loads (``pytest11``), or a package the tests load when they are in its group;
    two library modules may meet in a third project's program: their fixes are declined for
    one another."""
    _two_projects(tmp_path)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "touches the file system from worker threads too" in ran.stdout, ran.stdout
    assert "with open(" in (tmp_path / "service_b" / "store.py").read_text()


@pytest.mark.parametrize(
    "files",
    [
        {
            "service_b/pyproject.toml": '[project]\nname = "service-b"\nversion = "1"\n\n'
            '[project.entry-points."store.backends"]\nfile = "store"\n'
        },
        {
            "service_b/setup.cfg": "[options.entry_points]\nhub.plugins =\n    store = store\n",
            "service_c/hub.py": "",
            SERVICE_C[0]: SERVICE_C[1],
        },
        {"service_b/setup.cfg": "[options.entry_points]\nconsole_scripts =\n    s = store:main\n"},
        {
            "service_a/tests/test_store.py": "def test_save():\n    from store import save\n",
            "service_a/store.py": "def save(path, note):\n    return path, note\n",
        },
        {
            "service_c/examples/relay.py": "from store import save\n",
            "service_a/tests/test_relay.py": "import relay\n",
            SERVICE_C[0]: SERVICE_C[1],
        },
        {
            "service_b/pyproject.toml": None,
            "service_b/setup.cfg": "[metadata]\nname = service-b\n",
        },
        {"service_b/setup.py": 'setup(**{"entry_points": {"console_scripts": ["s = store:m"]}})\n'},
    ],
    ids=[
        "a-plugin-of-its-own-package",
        "a-plugin-of-a-package-the-tests-never-load",
        "a-command",
        "the-tests-import-their-own-module-of-that-name",
        "the-module-that-imports-it-is-an-example-no-project-installs",
        "a-project-with-a-setup-cfg",
        "a-command-declared-in-setup-py",
    ],
)
def test_another_project_s_module_the_tests_never_load_stays_apart(deblock, tmp_path, files):
    """Plugins only their group's host loads (a package of the run the tests never name),
    a command (which runs in a process of its own), a name the tests' own project bears
    (their import loads their own module), and an example that imports it (its project
    installs no ``examples``: no other project's import reaches it) leave the tests apart
    from the other project's module, also in a project that a ``setup.cfg`` (or
    ``setup.py``) declares: neither's fixes are declined."""
    _two_projects(tmp_path)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            (tmp_path / path).unlink()
        else:
            (tmp_path / path).write_text(text)
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "declined" not in ran.stdout, ran.stdout
    for path in ("service_a/tests/test_notes.py", "service_b/store.py"):
        assert "asyncio.to_thread(" in (tmp_path / path).read_text(), path


def _two_projects(root: Path) -> None:
    """Project ``service_a`` with a test module that writes a file, project ``service_b``
    with a module that does."""
    shutil.copytree(CLI / "two_projects", root, dirs_exist_ok=True)
    (root / "service_a" / "tests").mkdir()
    shutil.copyfile(CLI / "programs/tests/test_notes.py", root / "service_a/tests/test_notes.py")
    shutil.copyfile(CLI / "two_modules/store.py", root / "service_b/store.py")


def test_a_coroutine_a_caller_runs_under_a_deadline_keeps_its_blocking_calls(deblock, tmp_path):
    """``asyncio.wait_for(slow_step(1), 0.01)``: blocking, the step always ran to its end
    and ``wait_for`` returned its result; awaited, the deadline lands there. The fix is
    declined; made with ``--unsafe-fixes``, every call times out."""
    shutil.copyfile(CLI.parent / "runtime_partial" / "timed_step.py", tmp_path / "timed_step.py")
    run = [
        sys.executable,
        "-c",
        "import asyncio, timed_step; print(asyncio.run(timed_step.main(0)))",
    ]

    def result() -> str:
        return subprocess.run(run, cwd=tmp_path, capture_output=True, text=True).stdout

    assert result() == "1\n"
    ran = deblock("fix", ".", cwd=tmp_path)
    assert "it runs under the deadline of `asyncio.wait_for(...)` (line 17)" in ran.stdout
    assert result() == "1\n"
    deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert result() == "timed out\n"  # what the safe fix would have done


def test_a_coroutine_another_module_runs_under_a_deadline_keeps_its_blocking_calls(
    deblock, tmp_path
):
    """``runner.py`` hands ``steps.slow_step`` to ``asyncio.wait_for``: the project pass
    keeps the step's blocking calls sync, and those of ``record``, which the step awaits,
    in this run and in the next one, which reads the project's findings from the cache,
    and once the fix of another coroutine of the module moved their lines. With
    ``--unsafe-fixes`` the deadline lands on the added await: the call times out."""
    shutil.copytree(CLI / "deadline_project", tmp_path, dirs_exist_ok=True)
    steps = tmp_path / "steps.py"
    steps.write_text(steps.read_text() + "\n\nasync def other():\n    time.sleep(0.01)\n")

    def result() -> str:
        ran = subprocess.run([sys.executable, "runner.py"], cwd=tmp_path, capture_output=True)
        return ran.stdout.decode()

    assert result() == "1\n"
    checked = [deblock("check", ".", cwd=tmp_path).stdout for _ in range(2)]
    assert checked[0] == checked[1]
    assert "(1 fixable with `deblock fix`, 2 more with `deblock fix --unsafe-fixes`)" in checked[1]
    ran = deblock("fix", ".", cwd=tmp_path)
    why = "it runs under the deadline of `asyncio.wait_for(...)` (runner.py:10)"
    assert ran.stdout.count(why) == 2, ran.stdout
    fixed = steps.read_text()
    assert fixed.count("time.sleep(") == 2 and fixed.count("await asyncio.sleep(") == 1
    assert result() == "1\n"
    deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert result() == "timed out\n"  # what the safe fix would have done


def test_a_class_made_on_the_loop_that_reads_the_file_keeps_the_section_on_the_loop(
    deblock, tmp_path
):
    """``peek`` makes a project class whose ``__init__`` reads the file that ``bump``'s
    section rewrites in two steps: the section stays on the loop (the class's call is not
    reported: its ``__init__`` reads only when not given the value), in this run and in
    the next, which reads the cache; ``snapshot`` makes one whose ``__init__`` always reads
    it: reported, offered as unsafe. With ``--unsafe-fixes`` the section runs in a thread,
    and the reads on the loop see the file mid-rewrite."""
    shutil.copytree(CLI / "constructed_project", tmp_path, dirs_exist_ok=True)

    def result() -> str:
        ran = subprocess.run(
            [sys.executable, "runner.py", "300"], cwd=tmp_path, capture_output=True
        )
        return ran.stdout.decode()

    assert result() == "300 readable\n"
    why = "`Reading` (tally/counter.py:14) touches the file system on the event loop"
    for _ in range(2):
        ran = deblock("fix", ".", cwd=tmp_path)
        assert ran.stdout.count(why) == 3, ran.stdout
        made = "tally/counter.py:18:12: DBK801 `Snapshot()` blocks the event loop: Snapshot."
        assert ran.stdout.count("DBK801") == 1 and made in ran.stdout, ran.stdout
    assert result() == "300 readable\n"
    deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert result() == "300 unreadable\n"  # what the safe fix would have done


def test_a_run_reading_the_cache_declines_what_a_run_without_it_declines(deblock, tmp_path):
    """What the fixes of two modules share is kept with the project findings, for the
    selection a run reports (a call it leaves out stays on the loop): runs over the cache,
    with one selection then another, print what runs without it print."""
    shutil.copyfile(CLI / "two_modules" / "store.py", tmp_path / "store.py")
    (tmp_path / "log.py").write_text("import os\n\n\nasync def drop(path):\n    os.remove(path)\n")

    def fix(*args: str) -> str:
        ran = deblock("fix", "--diff", *args, ".", cwd=tmp_path)
        return ran.stdout + ran.stderr

    for selection, why in (
        ([], "`log.py` touches the file system from worker threads too"),
        (["--ignore", "DBK301"], "`remove` (log.py:5) touches the file system on the event loop"),
        ([], "`log.py` touches the file system from worker threads too"),
    ):
        fresh = fix("--no-cache", *selection)
        assert why in fresh, fresh
        for _ in range(2):
            assert fix(*selection) == fresh


def test_a_call_a_block_took_into_its_thread_in_a_string_s_lines_is_not_bridged(deblock, tmp_path):
    """The block around ``names(td)`` moves into a thread; the call's line, inside a string,
    keeps its text, so the project run's finding on it (``names`` blocks) was placed there in
    the thread helper and bridged with an await: the rewrite did not compile, and the file
    was left unfixed. (Apart from ``cli/``: the block takes the call along, so the safe fix
    removes a finding ``check`` counts as unsafe.)"""
    root = tmp_path
    shutil.copy(CLI.parent / "carried_in_string" / "string_in_block.py", root)
    ran = deblock("fix", "--unsafe-fixes", "string_in_block.py", cwd=root)
    assert "1 fix applied (1 file changed)" in ran.stdout, ran.stdout + ran.stderr
    text = (root / "string_in_block.py").read_text()
    assert '""" + ",".join(names(td))' in text
    assert "await asyncio.to_thread(_block_in_thread)" in text
    listing = {}
    exec(compile(text, "string_in_block.py", "exec"), listing)
    assert asyncio.run(listing["listing"]()) == "files:\n"


def test_functions_handed_by_reference_left_say_which_call_takes_them(deblock, project):
    """A reference whose lazy result a ``for`` iterates with a body that does more than
    collect it, or whose fix is no thread, is left with a reason naming the function it is
    handed to; one that is not fixed at its place
    is not counted as declined for safety."""
    root = project("handed_references.py")
    ran = deblock("fix", "--diff", "handed_references.py", cwd=root)
    assert ran.returncode == 1
    assert ran.stdout.count("await asyncio.to_thread(") == 3
    left = [line.partition(" (not fixed: ")[2] for line in ran.stderr.splitlines()[:-1]]
    assert left == [
        "the `for` over the lazy result of `map` runs its body between the calls, and its "
        "body does more than append each value to a list the coroutine made for it (a body "
        "that may stop the loop, raise, await or change what a later call reads would tell "
        "that a list made first in a thread ran them all); run the loop in a worker thread "
        "by hand)",
        "it is handed by reference, and its fix is not a worker thread: run the call that "
        "takes it in a thread by hand)",
    ]
    assert ran.stderr.splitlines()[-1] == (
        "3 fixes would be applied (1 file would change); 2 findings left."
    )
