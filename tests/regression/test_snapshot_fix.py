"""``deblock fix --unsafe-fixes`` turns the snapshot into code that compiles, is clean, and
still holds every conversation, with blockbuster watching the event loop."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from regression_runs import deblock, findings, scenarios
from scenarios import SCENARIOS

Fixed = tuple[Path, subprocess.CompletedProcess]
SDK_CLIENTS = {"Groq", "AsyncGroq", "ElevenLabs", "AsyncElevenLabs", "Together", "AsyncTogether"}


def clients_built(path: Path) -> set[str]:
    """The SDK client classes a module instantiates."""
    calls = (n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call))
    return {c.func.id for c in calls if isinstance(c.func, ast.Name)} & SDK_CLIENTS


def test_fix_leaves_no_finding_behind(fixed_copy: Fixed):
    _, done = fixed_copy
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_fixed_copy_compiles(fixed_copy: Fixed):
    package, _ = fixed_copy
    for path in sorted(package.rglob("*.py")):
        compile(path.read_text(), str(path), "exec")


def test_unsafe_fixes_switch_the_clients_only_coroutines_use(fixed_copy: Fixed):
    package, _ = fixed_copy
    assert clients_built(package / "providers" / "vision.py") == {"AsyncGroq"}
    assert clients_built(package / "providers" / "voice.py") == {"AsyncElevenLabs"}
    assert "async for chunk in" in (package / "providers" / "voice.py").read_text()


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
