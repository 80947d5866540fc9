"""A sync generator of another module iterated in a coroutine: its body runs on the event
loop as the ``for`` (or ``str.join``, or a generator expression's consumer) takes each
item; so does the lazy result of a blocking call that a function of another module returns
(a glob). The unsafe fix materialises it in a worker thread."""

import shutil
from pathlib import Path

from busy_pool import drive

GENERATORS = Path(__file__).parent / "fixtures" / "generators"


def test_the_iteration_is_fixed_and_runs_like_the_original(deblock, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(GENERATORS, project)
    before = drive(project, tmp_path / "before")
    lines = ["1:alpha", "2:beta", "3:stop", "4:gamma"]
    assert before[0] == [["ALPHA", "BETA"], lines, "alpha+beta+stop+gamma", 3, ["data.txt"]]
    assert set(map(str, drive(project, tmp_path / "blocked", "--guard"))) == {"BlockingError"}
    check = deblock("check", ".", cwd=project)
    assert "iterating over `read_rows(path)` runs a generator that blocks" in check.stdout
    assert "iterating over `Numbered(1).lines(path)`" in check.stdout
    deblock("fix", "--unsafe-fixes", ".", cwd=project)
    fixed = (project / "app" / "export.py").read_text()
    assert "for row in await asyncio.to_thread(lambda: list(read_rows(path))):" in fixed
    assert "await asyncio.to_thread(lambda: list(Numbered(1).lines(path)))" in fixed
    # a consumer's generator: ``str.join``, a generator expression's first ``for``
    assert '"+".join(await asyncio.to_thread(lambda: list(read_rows(path))))' in fixed
    assert "for row in await asyncio.to_thread(lambda: list(read_rows(path))) if" in fixed
    listed = "found.name for found in await asyncio.to_thread(lambda: list(data_files(path)))"
    assert listed in fixed  # the glob scans in the thread
    assert drive(project, tmp_path / "after", "--guard") == before
    assert deblock("check", ".", cwd=project).returncode == 0
