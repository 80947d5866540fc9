"""A run over a project's test file reads the project's own source (``src/stash``) for the
names the test imports, as a run over the whole project does, not the older copy of it
installed in the environment (``--python``'s site-packages)."""

import json
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
    return _shown(checked(directory, *targets, "--python", str(python), cache=cache))


def _shown(findings: list[dict]) -> set:
    return {(f["path"], f["line"], f["message"].partition(": ")[2]) for f in findings}


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


# `python -c LOGGED LOG ARGS`: `deblock ARGS`, each module the project pass summarises logged to LOG
LOGGED = """\
import sys

from deblock.__main__ import command_line
from deblock.project import run_summaries

summarise = run_summaries._summarise


def logged(item, options):
    with open(sys.argv[1], "a") as log:
        print(item[0], file=log)
    return summarise(item, options)


run_summaries._summarise = logged
sys.exit(command_line(sys.argv[2:]))
"""


def test_an_edit_of_the_test_finds_the_source_summarised_in_the_cache(project, tmp_path):
    """A pre-commit run after an edit of the test judges it again and reads the project's
    source as the earlier run summarised it into the cache, its stat unchanged (it was
    analysed whole again on every such run: starlette's `tests/test_routing.py` edited,
    0.35-0.39 CPU-s, 0.15-0.16 now)."""
    directory, python = project
    test = directory / "tests" / "test_store.py"
    text = test.read_text()
    log = tmp_path / "summarised"
    args = ["check", "--format", "json", "--config", "empty.toml", "--python", str(python)]
    args += ["--cache-dir", str(tmp_path / "cache"), "tests/test_store.py"]

    def run() -> tuple[set, list[str]]:
        log.write_text("")
        ran = subprocess.run(
            [sys.executable, "-c", LOGGED, str(log), *args],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ran.returncode == 1, ran.stderr
        return _shown(json.loads(ran.stdout)), log.read_text().split()

    first = run()
    test.write_text(text + "# edited\n")
    try:
        edited = run()
    finally:
        test.write_text(text)
    assert first == ({LOAD}, ["src/stash/store.py"])
    assert edited == ({LOAD}, [])
