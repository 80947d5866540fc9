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


def test_a_buffer_adding_a_call_on_a_new_resource_is_not_offered_a_safe_fix(tmp_path):
    """The saved ``app/journal.py`` touches no file; the buffer appends to one, which
    ``app/sizes.py`` measures on the event loop: saved so, the run over the file declines
    the fixes for ``_size``. The saved file's run weighed no module for the file system,
    so the buffer's fixes are declined too, until the file is saved."""
    root = tmp_path / "shared_file"
    shutil.copytree(FIXTURES / "shared_file", root)
    journal = root / "app" / "journal.py"
    buffer = journal.read_text()
    assert all("_size" in (f["declined"] or "") for f in checked(root, "app/journal.py"))
    journal.write_text(
        buffer.replace('with open(path, "a") as fh:\n        fh.write(entry)', "return len(entry)")
    )
    assert checked(root, "app/journal.py") == []
    found = from_stdin(root, "app/journal.py", buffer)
    assert [(f["line"], f["code"], f["fixable"], f["strategy"]) for f in found] == [
        (5, "DBK201", True, None),
        (6, "DBK202", True, None),
    ]
    assert all(f["declined"] and f["unsafe_strategy"] for f in found)
