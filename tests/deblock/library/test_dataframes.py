"""`deblock check` and `deblock fix` on pandas' and NumPy's file readers and writers, against
the real libraries: each coroutine with a finding blocks the event loop when run under
blockbuster, those over in-memory buffers do not; fixed, twenty concurrent calls of each
(sharing one file) return what the original's did, and none blocks."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

NOTES = Path(__file__).parent / "fixtures" / "dataframe_notes"
STORE = "frames/store.py"
BLOCKING = {"saved", "array"}


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(NOTES, tmp_path / "project")
    return tmp_path / "project"


def _results(project: Path, root: Path, *flags: str) -> dict:
    """What the calls of each coroutine of the store returned, or the error they raised."""
    command = [sys.executable, "-m", "frames.demo", str(root), *flags]
    ran = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True)
    return json.loads(ran.stdout)


def test_the_coroutines_that_read_or_write_files_are_reported_and_block(deblock, project, tmp_path):
    findings = json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout)
    source = (project / STORE).read_text()
    assert Counter((f["path"], f["line"], f["code"]) for f in findings) == expected_findings(
        source, STORE
    )
    plain = _results(project, tmp_path / "plain")
    guarded = _results(project, tmp_path / "guarded", "--blockbuster")
    assert "BlockingError" not in plain.values()
    assert {name for name, result in guarded.items() if result == "BlockingError"} == BLOCKING
    assert {name: guarded[name] for name in plain.keys() - BLOCKING} == {
        name: plain[name] for name in plain.keys() - BLOCKING
    }


def test_the_fixed_coroutines_return_the_same_and_block_no_more(deblock, project, tmp_path):
    original = _results(project, tmp_path / "original")
    fixed = deblock("fix", ".", cwd=project)
    assert "4 fixes applied" in fixed.stdout
    assert _results(project, tmp_path / "fixed", "--blockbuster") == original
