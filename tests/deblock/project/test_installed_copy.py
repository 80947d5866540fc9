"""A run over a project's test file reads the project's own source (``src/stash``) for the
names the test imports, as a run over the whole project does, not the older copy of it
installed in the environment (``--python``'s site-packages)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from json_check import checked

FIXTURE = Path(__file__).parent / "fixtures" / "installed_copy"
LOAD = ("tests/test_store.py", 6, "load → builtins.open (src/stash/store.py:2)")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The fixture's project, and an environment with the old copy installed."""
    root = tmp_path_factory.mktemp("installed")
    shutil.copytree(FIXTURE / "project", root / "project")
    (root / "project" / "empty.toml").touch()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root / "env"], check=True)
    python = root / "env" / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shutil.copytree(FIXTURE / "site", purelib, dirs_exist_ok=True)
    return root / "project", python


def found(project: tuple[Path, Path], *targets: str, cache: Path | None = None) -> set:
    directory, python = project
    return {
        (f["path"], f["line"], f["message"].partition(": ")[2])
        for f in checked(directory, *targets, "--python", str(python), cache=cache)
    }


@pytest.mark.parametrize("targets", [["."], ["tests"], ["tests/test_store.py"]])
def test_the_test_reads_the_projects_source_whatever_the_run_holds(project, targets):
    assert found(project, *targets) == {LOAD}


def test_an_edit_of_the_source_reaches_a_warm_run_of_the_test(project, tmp_path):
    assert found(project, "tests/test_store.py", cache=tmp_path) == {LOAD}
    store = project[0] / "src" / "stash" / "store.py"
    text = store.read_text()
    store.write_text(text.replace("with open(path) as fh:", "with memory(path) as fh:"))
    try:
        assert found(project, "tests/test_store.py", cache=tmp_path) == set()
    finally:
        store.write_text(text)
