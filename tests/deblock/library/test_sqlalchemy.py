"""`deblock check` on synchronous SQLAlchemy in coroutines (DBK604), against the real
library: each coroutine with a finding blocks the event loop when run under blockbuster,
the one without does not; no fix is offered (a helper's DBK801 keeps its unsafe one)."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

NOTES = Path(__file__).parent / "fixtures" / "sqlalchemy_notes"
STORE = "notes/store.py"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(NOTES, tmp_path / "project")
    return tmp_path / "project"


def _results(project: Path, root: Path, *flags: str) -> dict:
    """What each coroutine of the store returned, or the name of the error it raised."""
    root.mkdir()
    command = [sys.executable, "-m", "notes.demo", str(root), *flags]
    ran = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True)
    return json.loads(ran.stdout)


def _coroutine_at(lines: list[str], line: int) -> str:
    """The name of the coroutine holding line ``line`` (1-based)."""
    heads = (x for x in reversed(lines[:line]) if x.startswith("async def "))
    return next(heads).removeprefix("async def ").partition("(")[0]


def _findings(deblock, project: Path) -> list[dict]:
    return json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout)


def test_the_coroutines_that_wait_for_the_database_are_reported_and_block(
    deblock, project, tmp_path
):
    findings = _findings(deblock, project)
    source = (project / STORE).read_text()
    found = Counter((f["path"], f["line"], f["code"]) for f in findings)
    assert found == expected_findings(source, STORE)
    reported = {_coroutine_at(source.splitlines(), f["line"]) for f in findings}
    plain = _results(project, tmp_path / "plain")
    guarded = _results(project, tmp_path / "guarded", "--blockbuster")
    assert "BlockingError" not in plain.values()
    assert {name for name, result in guarded.items() if result == "BlockingError"} == reported
    assert {name: guarded[name] for name in plain.keys() - reported} == {
        name: plain[name] for name in plain.keys() - reported
    }
    assert plain.keys() - reported == {"prepared"}


def test_no_fix_is_offered_and_the_rule_says_why(deblock, project):
    findings = _findings(deblock, project)
    assert {f["code"] for f in findings} == {"DBK604", "DBK801"}  # the helper's call
    assert not any(f["fixable"] for f in findings if f["code"] == "DBK604")
    before = (project / STORE).read_text()
    deblock("fix", ".", cwd=project)
    assert (project / STORE).read_text() == before
    explained = " ".join(deblock("explain", "DBK604", cwd=project).stdout.split())
    assert "engine gives each thread its own database" in explained
