"""``check --stdin-filename`` (an editor's buffer) judges the buffer as a run over its file
judges the file: with the project's modules that await it or touch what it touches."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from json_check import checked

FIXTURES = Path(__file__).parent / "project" / "fixtures" / "one_file_reach"


def from_stdin(cwd: Path, name: str, text: str) -> list[dict]:
    """The findings of ``deblock check --stdin-filename NAME`` given ``text``, in ``cwd``."""
    run = subprocess.run(
        [sys.executable, "-m", "deblock", "check", "--format", "json", "--no-cache"]
        + ["--config", "empty.toml", "--stdin-filename", name],
        cwd=cwd,
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize(
    ("name", "file", "culprit"),
    [("awaited", "app/counter.py", "record"), ("shared_file", "app/journal.py", "_size")],
    ids=["awaited", "shared_file"],
)
def test_a_buffer_is_judged_as_the_run_over_its_file(tmp_path, name, file, culprit):
    """The saved text gets the run's own findings; an edited buffer (a line added on top)
    keeps their declined fixes, a line lower."""
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    whole = [f for f in checked(root, ".") if f["path"] == file]
    assert whole and all(culprit in (f["unsafe_because"] or "") for f in whole)
    text = (root / file).read_text()
    assert from_stdin(root, file, text) == whole
    edited = from_stdin(root, file, "# edited\n" + text)
    lowered = [{**f, "line": f["line"] + 1, "end_line": f["end_line"] + 1} for f in whole]
    assert edited == lowered


def test_a_buffer_of_no_file_yet_is_judged_alone(tmp_path):
    root = tmp_path / "awaited"
    shutil.copytree(FIXTURES / "awaited", root)
    text = (root / "app" / "counter.py").read_text()
    (found,) = from_stdin(root, "app/new.py", text)
    assert (found["path"], found["code"], found["unsafe_because"]) == ("app/new.py", "DBK101", None)
