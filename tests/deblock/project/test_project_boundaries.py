"""Two projects in one run (each its own ``pyproject.toml``): ``counter`` reads a file,
sleeps and writes it back; ``loader`` reads files. Each runs its own event loops, so the
file system is one resource within a project, not across the two, unless some project's
processes may load both (``processes.Processes``)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECTS = Path(__file__).parent / "fixtures" / "project_boundaries"
LOAD = "loader/loader/load.py"
TALLY = "counter/counter/tally.py"


@pytest.fixture
def run_dir(tmp_path):
    shutil.copytree(PROJECTS, tmp_path, dirs_exist_ok=True)
    (tmp_path / "empty.toml").touch()
    return tmp_path


def check(cwd: Path, *targets: str) -> list[dict]:
    """The findings of one ``deblock check`` of ``targets``, paths relative to ``cwd``."""
    command = [sys.executable, "-m", "deblock", "check", "--format", "json", *targets]
    command += ["--no-cache", "--config", "empty.toml"]
    ran = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert ran.returncode in (0, 1), ran.stderr
    return sorted(json.loads(ran.stdout), key=lambda f: (f["path"], f["line"], f["col"]))


def in_file(findings: list[dict], path: str) -> list[dict]:
    return [f for f in findings if f["path"] == path]


def test_a_run_over_two_projects_gives_each_its_own_findings(run_dir):
    """Before, ``counter``'s fixes in threads (writing the file system) declined
    ``loader``'s, and ``loader``'s read on the event loop declined ``counter``'s."""
    together = check(run_dir, ".")
    assert together == check(run_dir, "counter") + check(run_dir, "loader")
    assert in_file(together, LOAD) and in_file(together, TALLY)
    assert all(f["strategy"] and not f["declined"] for f in together)


def test_projects_one_of_which_loads_the_other_share_the_file_system(run_dir):
    """``loader`` imports ``counter``: its processes run both projects' coroutines on one
    event loop, so ``counter``'s fixes in threads decline ``loader``'s file fixes."""
    (run_dir / "loader" / "loader" / "counting.py").write_text("from counter import tally\n")
    found = in_file(check(run_dir, "."), LOAD)
    assert found and all(f["strategy"] is None for f in found)
    assert all(f"`{TALLY}` touches the file system" in f["declined"] for f in found)


def test_a_third_project_loading_both_makes_them_meet(run_dir):
    """A program of a third project imports both: their modules run on its event loop."""
    host = run_dir / "host"
    (host / "host").mkdir(parents=True)
    (host / "pyproject.toml").write_text('[project]\nname = "host"\nversion = "0"\n')
    (host / "host" / "__init__.py").write_text(
        "from counter import tally\nfrom loader import load\n"
    )
    found = in_file(check(run_dir, "."), LOAD)
    assert found and all(f["strategy"] is None for f in found)


def test_a_script_of_no_project_may_load_both(run_dir):
    """A script beside the two projects, in none, may import both and run them on its
    event loop: it may load any of the run's names."""
    (run_dir / "both.py").write_text("from counter import tally\nfrom loader import load\n")
    found = in_file(check(run_dir, "."), LOAD)
    assert found and all(f["strategy"] is None for f in found)


def test_a_build_script_installs_nothing(run_dir):
    """``counter``'s ``setup.py`` names its package, and a ``loader`` file names a
    ``setup.py``: a build script is not installed, so ``loader`` loads no ``counter``
    through it (sanic's in the corpus made fastapi, httpx and uvicorn load sanic)."""
    (run_dir / "counter" / "setup.py").write_text("import counter\n")
    (run_dir / "loader" / "loader" / "build.py").write_text('SCRIPT = "setup.py"\n')
    together = check(run_dir, ".")
    assert together == check(run_dir, "counter") + check(run_dir, "loader")
    assert all(f["strategy"] and not f["declined"] for f in in_file(together, LOAD))
