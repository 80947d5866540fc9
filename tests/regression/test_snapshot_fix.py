"""``deblock fix --unsafe-fixes`` turns the snapshot into code that compiles, is clean, and
still holds every conversation, with blockbuster watching the event loop."""

from __future__ import annotations

import subprocess
from pathlib import Path

from regression_runs import deblock, findings, scenarios
from scenarios import SCENARIOS

Fixed = tuple[Path, subprocess.CompletedProcess]


def test_fix_leaves_no_finding_behind(fixed_copy: Fixed):
    _, done = fixed_copy
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_fixed_copy_compiles(fixed_copy: Fixed):
    package, _ = fixed_copy
    for path in sorted(package.rglob("*.py")):
        compile(path.read_text(), str(path), "exec")


def test_check_reports_nothing_on_the_fixed_copy(fixed_copy: Fixed):
    package, _ = fixed_copy
    assert findings(package.name, cwd=package.parent) == []


def test_a_second_fix_changes_nothing(fixed_copy: Fixed):
    package, _ = fixed_copy
    done = deblock("fix", "--unsafe-fixes", "--diff", package.name, cwd=package.parent)
    assert (done.returncode, done.stdout) == (0, "")


def test_the_fixed_copy_holds_every_conversation_under_blockbuster(
    fixed_copy: Fixed, tmp_path: Path
):
    package, _ = fixed_copy
    outcomes = scenarios("snapshot", tmp_path / "data", snapshot_parent=package.parent)
    assert outcomes == dict.fromkeys(SCENARIOS, "passed")
