"""deblock and the scenario runner as real subprocesses, on copies of the blocking snapshot."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from regression_apps import FIXTURES, HERE, SNAPSHOT_PACKAGE

DEBLOCK = Path(sys.executable).with_name("deblock")
REPO = HERE.parents[1]


def run(command: list[str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``command``; it must not crash with a traceback."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def deblock(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed ``deblock`` console script, without a cache."""
    return run([str(DEBLOCK), *args, "--no-cache"], cwd)


def findings(*paths: str, cwd: Path) -> list[dict]:
    """``deblock check --format json`` findings for ``paths``."""
    done = deblock("check", "--format", "json", *paths, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def scenarios(app: str, data_dir: Path, snapshot_parent: Path = FIXTURES) -> dict[str, str]:
    """Run every scenario against ``app`` with blockbuster active; outcome by scenario."""
    done = run(
        [
            sys.executable,
            str(HERE / "run_scenarios.py"),
            app,
            "--data-dir",
            str(data_dir),
            "--snapshot-parent",
            str(snapshot_parent),
        ],
        cwd=data_dir.parent,
    )
    outcomes = json.loads(done.stdout)
    assert done.returncode == (0 if set(outcomes.values()) == {"passed"} else 1), done.stderr
    return outcomes


def copy_snapshot(parent: Path) -> Path:
    """A copy of the blocking snapshot package under ``parent``, outside this repository."""
    target = parent / SNAPSHOT_PACKAGE
    shutil.copytree(
        FIXTURES / SNAPSHOT_PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__")
    )
    return target
