"""Runtime proof for lone tests (``project/fixtures/lone_tests``): ``deblock fix`` moves the
sections of tests beside what other tests leave on the event loop into worker threads. Run
by pytest one test at a time, on a busy thread pool (``guarded_tests``), the fixed tests
pass as the originals do and leave the same files; blockbuster, allowing only what stays
on the loop, finds the originals blocking and the fixed tests not."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from runtime_harness import tree

PROJECT = Path(__file__).parents[1] / "project" / "fixtures" / "lone_tests"
SUPPORT = Path(__file__).parents[2] / "support"
# what stays on the event loop: a helper's calls, and the tests that call one there
STAYS = (
    "test_lone_notes.py:test_a_saved_note_is_there",
    "test_lone_saves.py:test_a_note_is_saved",
    "test_lone_helpers.py:_appeared",
    "test_lone_helpers.py:test_a_note_appears",
    "test_lone_carried.py:test_a_note_is_saved_over",
)


def _pytest(project: Path, basetemp: Path, guarded: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GUARDED_TESTS"}
    env["PYTHONPATH"] = str(SUPPORT)
    if guarded:
        env["GUARDED_TESTS"] = ",".join(STAYS)
    options = ["-p", "guarded_tests", "-p", "no:asyncio", "-p", "no:cacheprovider", "-q"]
    command = [sys.executable, "-m", "pytest", *options, f"--basetemp={basetemp}", "tests"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_the_fixed_tests_pass_without_blocking_and_leave_the_same_files(deblock, tmp_path):
    original, fixed = tmp_path / "original", tmp_path / "fixed"
    shutil.copytree(PROJECT, original)
    shutil.copytree(PROJECT, fixed)
    done = deblock("fix", "--no-cache", ".", cwd=fixed)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    moved = (fixed / "tests" / "test_lone_notes.py").read_text()
    assert moved.count("_in_thread") >= 4  # the two tests' sections: defined and awaited
    assert "_in_thread" in (fixed / "tests" / "test_lone_saves.py").read_text()
    for kept in ("test_lone_helpers.py", "test_lone_carried.py"):
        assert "_in_thread" not in (fixed / "tests" / kept).read_text()

    ran = _pytest(original, tmp_path / "ran", guarded=False)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    blocked = _pytest(original, tmp_path / "blocked", guarded=True)
    assert "4 failed" in blocked.stdout and "BlockingError" in blocked.stdout, blocked.stdout
    guarded = _pytest(fixed, tmp_path / "guarded", guarded=True)
    assert guarded.returncode == 0, guarded.stdout + guarded.stderr
    assert tree(tmp_path / "guarded") == tree(tmp_path / "ran")
    assert tree(tmp_path / "ran")["test_a_note_is_rewritten0/rewritten"] == b"first second"
