"""The `deblock-fix` pre-commit hook, used by another repository through the real `pre-commit`.

Reuses the helpers of the `deblock` hook test (``git``, the shared ``PRE_COMMIT_HOME``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_precommit_hook import PRE_COMMIT, git, pre_commit_home, pytestmark  # noqa: F401

CLI = Path(__file__).parent / "fixtures" / "cli"


@pytest.fixture
def consumer(tmp_path: Path, pre_commit_home: Path):  # noqa: F811 - the shared fixture
    """Run `pre-commit run --all-files` with the `deblock-fix` hook in a fresh repository."""
    here = Path(__file__).parent
    repo = tmp_path / "consumer"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {git('rev-parse', '--show-toplevel', cwd=here)}\n"
        f"    rev: {git('rev-parse', 'HEAD', cwd=here)}\n    hooks:\n      - id: deblock-fix\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}

    def run(name: str) -> subprocess.CompletedProcess:
        shutil.copyfile(CLI / name, repo / name)
        git("add", "-A", cwd=repo)
        return subprocess.run(
            [str(PRE_COMMIT), "run", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )

    run.repo = repo
    return run


def test_hook_fixes_the_file_and_fails_so_the_fix_gets_reviewed(consumer):
    ran = consumer("sleepy.py")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "deblock fix" in ran.stdout and "files were modified by this hook" in ran.stdout
    assert (consumer.repo / "sleepy.py").read_text() == (CLI / "sleepy.after.py").read_text()


def test_hook_passes_once_the_code_is_fixed(consumer):
    ran = consumer("sleepy.after.py")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Passed" in ran.stdout
