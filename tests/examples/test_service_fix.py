"""The sample service: deblock finds every blocking call (including a blocking helper in
another module), fixes them all, and the fixed service runs with blockbuster active."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("run_under_blockbuster.py")


@pytest.fixture
def service(tmp_path):
    return Path(shutil.copytree(ROOT / "examples" / "service", tmp_path / "service"))


def deblock(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deblock", *args, "--no-cache", "."],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def run_service(cwd: Path, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(RUNNER), str(data)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_reports_each_blocking_call_with_the_transitive_one(service):
    ran = deblock(service, "check", "--format", "json")
    assert ran.returncode == 1
    found = {(f["path"], f["line"], f["code"]) for f in json.loads(ran.stdout)}
    assert found == {
        ("notes/service.py", 42, "DBK101"),
        ("notes/service.py", 49, "DBK801"),
        ("notes/service.py", 52, "DBK601"),
        ("notes/storage.py", 20, "DBK301"),
        ("notes/storage.py", 21, "DBK201"),
        ("notes/storage.py", 22, "DBK204"),
        ("notes/storage.py", 26, "DBK201"),
        ("notes/storage.py", 27, "DBK202"),
    }


def test_unfixed_service_blocks_the_loop(service, tmp_path):
    ran = run_service(service, tmp_path / "data")
    assert ran.returncode == 3, ran.stderr
    assert "blocked" in ran.stderr


def test_safe_fixes_leave_the_helper_and_the_files_it_touches_on_the_loop(service):
    """``archive()`` (a project helper that renames notes) stays on the event loop without
    --unsafe-fixes: storage's file calls moved into threads would not be serialised with
    it, so they are declined too, with the reason. So is the retry's ``time.sleep``: on the
    loop no other task runs between a failed ``save_note`` (it never suspends) and the next
    round's, and an awaited sleep would let them in."""
    fixed = deblock(service, "fix")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    declined = [line for line in fixed.stdout.splitlines() if "not fixed: declined" in line]
    assert len(declined) == 6
    sleep, *files = declined
    assert sleep.startswith("notes/service.py:43:17: DBK101")
    assert "`create` (notes/service.py:36) reads and writes the file system across" in sleep
    assert all(
        line.startswith("notes/storage.py:")
        and "`archive` (notes/service.py:49) touches the file system on the event loop" in line
        for line in files
    )
    left = json.loads(deblock(service, "check", "--format", "json").stdout)
    assert {(f["path"], f["code"]) for f in left} == {
        ("notes/service.py", "DBK101"),
        ("notes/service.py", "DBK801"),
        ("notes/storage.py", "DBK301"),
        ("notes/storage.py", "DBK201"),
        ("notes/storage.py", "DBK204"),
        ("notes/storage.py", "DBK202"),
    }


def test_fixed_service_is_clean_stable_and_runs_without_blocking(service, tmp_path):
    fixed = deblock(service, "fix", "--unsafe-fixes")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert deblock(service, "check").returncode == 0
    again = deblock(service, "fix", "--unsafe-fixes", "--diff")
    assert again.returncode == 0 and "+++" not in again.stdout
    ran = run_service(service, tmp_path / "data")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Hello from deblock - Python 3.")
    archived = tmp_path / "data" / "archive" / "hello.json"
    assert json.loads(archived.read_text()) == {"text": "Hello from deblock"}
