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


def deblock(cwd: Path, *args: str, cache: Path | None = None) -> str:
    cached = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    run = subprocess.run(
        [sys.executable, "-m", "deblock", *args, *cached, "--config", "empty.toml"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return run.stdout


def check(cwd: Path, target: str, cache: Path | None = None) -> list[tuple[str, int, str, str]]:
    found = json.loads(deblock(cwd, "check", "--format", "json", target, cache=cache))
    return sorted((f["path"], f["line"], f["code"], f["message"]) for f in found)


@pytest.mark.parametrize("project", ["alpha", "beta", "gamma", "zeta"])
def test_a_project_checked_with_others_has_its_findings_alone(run_dir, project):
    together = check(run_dir, "same_names")
    alone = check(run_dir, f"same_names/{project}")
    prefix = f"same_names/{project}/"
    assert [f for f in together if f[0].startswith(prefix)] == alone


def test_each_project_resolves_its_own_helpers(run_dir):
    found = {(path, line) for path, line, _, _ in check(run_dir, "same_names")}
    assert ("same_names/alpha/app.py", 9) in found  # its utils.fetch sleeps
    assert ("same_names/alpha/app.py", 8) not in found  # beta's service.config.load reads
    assert ("same_names/beta/app.py", 8) in found
    assert ("same_names/beta/app.py", 9) not in found


def test_another_projects_module_resolves_to_the_nearest_that_installs_it(run_dir):
    found = check(run_dir, "same_names")
    slurped = [f for f in found if f[:2] == ("same_names/gamma/app.py", 8)]
    assert slurped and "same_names/gamma/vendored/beta_tools/__init__.py" in slurped[0][3]


def test_fix_moves_each_projects_own_blocking_helper(run_dir):
    diff = deblock(run_dir, "fix", "--diff", "--unsafe-fixes", "same_names")
    assert "await asyncio.to_thread(fetch, key)" in diff
    assert 'await asyncio.to_thread(load, "alpha.toml")' not in diff
    assert 'await asyncio.to_thread(load, "beta.toml")' in diff


def test_root_folders_without_a_project_file_resolve_their_own(run_dir, tmp_path):
    for project in ("alpha", "beta"):
        shutil.copytree(run_dir / "same_names" / project, tmp_path / project)
        (tmp_path / project / "pyproject.toml").unlink()
    (tmp_path / "empty.toml").touch()
    found = {(path, line) for path, line, _, _ in check(tmp_path, ".")}
    assert found == {("alpha/app.py", 9), ("beta/app.py", 8)}


def test_a_warm_run_reads_back_what_a_cold_one_found(run_dir, tmp_path):
    cold = check(run_dir, "same_names", cache=tmp_path)
    assert check(run_dir, "same_names", cache=tmp_path) == cold
    assert cold == check(run_dir, "same_names")
