"""A run over one file (the pre-commit hook's) reads the modules that file reaches in its
own project, script-directory siblings or its package's, as a run over the directory does:
the same findings and the same fix decisions, and no safe fix the directory run declines."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from json_check import checked

FIXTURES = Path(__file__).parent / "fixtures" / "one_file_reach"
CASES = [("script", "program.py", "ops.py"), ("package", "app/program.py", "app/ops.py")]


@pytest.fixture(params=CASES, ids=[case[0] for case in CASES])
def project(request, tmp_path):
    """A copy of a fixture project, the named file's path in it and its helper module's."""
    name, program, helper = request.param
    shutil.copytree(FIXTURES / name, tmp_path / name)
    return tmp_path / name, program, helper


def test_the_file_alone_is_judged_as_in_the_directory_run(project):
    directory, program, _ = project
    whole = [f for f in checked(directory, ".") if f["path"] == program]
    assert [(f["fixable"], bool(f["unsafe_because"])) for f in whole] == [(True, True)]
    assert checked(directory, program) == whole


def test_fixing_the_file_alone_leaves_the_sleep_between_the_read_and_the_write(project):
    directory, program, _ = project
    before = (directory / program).read_text()
    run = subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", "--config", "empty.toml", program],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert (directory / program).read_text() == before


def test_an_edit_of_a_sibling_reaches_a_cached_run_of_the_file(project, tmp_path):
    directory, program, helper = project
    cache = tmp_path / "cache"
    assert checked(directory, program, cache=cache)[0]["unsafe_because"]
    ops = directory / helper
    ops.write_text(ops.read_text().replace("store.ITEMS.append(n)", "return n"))
    assert checked(directory, program, cache=cache) == checked(directory, program)
    assert checked(directory, program, cache=cache)[0]["unsafe_because"] is None
