"""The `deblock` pre-commit hook, used by another repository through the real `pre-commit`.

The consumer repository points `repo:` at this repository and `rev:` at its HEAD commit;
pre-commit clones it and pip-installs it into the hook environment (once per session:
PRE_COMMIT_HOME is shared by the tests).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from resident_servers import ask_server, started_servers

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
HERE = Path(__file__).parent

pytestmark = [
    pytest.mark.timeout(900),
    pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is not installed"),
]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def hook() -> str:
    return "deblock"


@pytest.fixture
def consumer(tmp_path: Path, pre_commit_home: Path, fixtures: Path, hook: str, server_runtime):
    """A fresh git repository whose pre-commit configuration uses this repo's ``hook``."""
    source = git("rev-parse", "--show-toplevel", cwd=HERE)
    rev = git("rev-parse", "HEAD", cwd=HERE)
    repo = tmp_path / "consumer"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n"
    )
    shutil.copyfile(fixtures / "clean.py", repo / "clean.py")
    env = {**server_runtime, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}

    def run(*files: str) -> subprocess.CompletedProcess:
        for name in files:
            shutil.copyfile(fixtures / name, repo / "pkg" / name)
        git("add", "-A", cwd=repo)
        return subprocess.run(
            [str(PRE_COMMIT), "run", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )

    (repo / "pkg").mkdir()
    return run


def test_hook_fails_on_a_blocking_call_and_names_the_file(consumer):
    ran = consumer("blocking.py")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "deblock" in ran.stdout and "Failed" in ran.stdout
    assert "pkg/blocking.py:5:5: DBK101 `time.sleep` blocks the event loop" in ran.stdout


@pytest.mark.parametrize("hook", ["deblock-server"])
def test_the_server_hook_reports_as_the_hook_and_leaves_a_server_for_the_next_commit(
    consumer, server_runtime
):
    first = consumer("blocking.py")
    sockets = started_servers(server_runtime)  # the first run's, in the hook's environment
    served = consumer("blocking.py")
    assert [ask_server(path, {"op": "status"})["runs"] for path in sockets] == [1]
    for ran in (first, served):
        assert ran.returncode == 1, ran.stdout + ran.stderr
        assert "pkg/blocking.py:5:5: DBK101 `time.sleep` blocks the event loop" in ran.stdout


def test_hook_passes_on_clean_code(consumer):
    ran = consumer()
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Passed" in ran.stdout


def test_hook_honours_the_consumers_excludes(consumer, tmp_path):
    (tmp_path / "consumer" / "pyproject.toml").write_text(
        '[tool.deblock]\nextend-exclude = ["pkg"]\n'
    )
    ran = consumer("blocking.py")
    assert ran.returncode == 0, ran.stdout + ran.stderr


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ],
)
def test_hook_files_of_this_repository_are_valid(command, name):
    root = Path(git("rev-parse", "--show-toplevel", cwd=HERE))
    ran = subprocess.run(
        [str(PRE_COMMIT), command, str(root / name)], capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_hook_on_one_staged_file_weighs_the_modules_that_await_it(
    tmp_path, pre_commit_home, server_runtime
):
    """``pre-commit run --files app/counter.py``: the hook checks the one file, and its
    fix is unsafe as in the directory run (``app/main.py`` awaits its ``settle`` between a
    read and a write of shared state)."""
    source = git("rev-parse", "--show-toplevel", cwd=HERE)
    repo = tmp_path / "consumer"
    shutil.copytree(HERE / "project" / "fixtures" / "one_file_reach" / "awaited", repo)
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {git('rev-parse', 'HEAD', cwd=HERE)}\n"
        "    hooks:\n      - id: deblock\n"
    )
    git("add", "-A", cwd=repo)
    env = {**server_runtime, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}
    ran = subprocess.run(
        [str(PRE_COMMIT), "run", "--files", "app/counter.py"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "app/counter.py:7:5: DBK101" in ran.stdout
    assert "(unsafe fix: `record` (app/main.py:7)" in ran.stdout
    assert "app/main.py:" not in ran.stdout.replace("(app/main.py:7)", "")
