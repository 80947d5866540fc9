"""Several projects in one run whose modules bear the same names: each resolves its own."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAME_NAMES = Path(__file__).parent / "fixtures" / "same_names"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    shutil.copytree(SAME_NAMES, root / "same_names")
    (root / "empty.toml").touch()
    return root


def check(cwd: Path, target: str) -> list[tuple[str, int, str, str]]:
    run = subprocess.run(
        [sys.executable, "-m", "deblock", "check", "--format", "json", "--no-cache"]
        + ["--config", "empty.toml", target],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    found = json.loads(run.stdout)
    return sorted((f["path"], f["line"], f["code"], f["message"]) for f in found)


@pytest.mark.parametrize("project", ["alpha", "beta"])  # gamma loads what beta installs
def test_a_project_checked_with_others_has_its_findings_alone(run_dir, project):
    together = check(run_dir, "same_names")
    alone = check(run_dir, f"same_names/{project}")
    prefix = f"same_names/{project}/"
    assert [f for f in together if f[0].startswith(prefix)] == [
        f for f in alone if f[0].startswith(prefix)
    ]


def test_each_project_resolves_its_own_helpers(run_dir):
    found = {(path, line) for path, line, _, _ in check(run_dir, "same_names")}
    assert ("same_names/alpha/app.py", 9) in found  # its utils.fetch sleeps
    assert ("same_names/alpha/app.py", 8) not in found  # beta's config.load reads
    assert ("same_names/beta/app.py", 8) in found
    assert ("same_names/beta/app.py", 9) not in found


def test_a_project_still_reaches_what_another_of_the_run_installs(run_dir):
    found = check(run_dir, "same_names")
    slurped = [f for f in found if f[:2] == ("same_names/gamma/app.py", 8)]
    assert slurped and "beta/beta_tools/__init__.py" in slurped[0][3]
