"""`deblock check` and `deblock fix` on the Django ORM: the model's manager and the
query sets' methods are made at runtime; the catalogue's type facts name them, and the
twins (``count``/``acount``) are learned from Django's installed source."""

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

NOTES = Path(__file__).parent / "fixtures" / "django_notes"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(NOTES, tmp_path / "project")
    return tmp_path / "project"


def _run_queries(project: Path, database: Path, allow_sync: bool) -> subprocess.CompletedProcess:
    """Run every query coroutine on a new database; Django itself refuses a sync query on
    the event loop unless ``allow_sync``."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    if allow_sync:
        env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    command = [sys.executable, "-m", "notes.demo", str(database)]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_sync_queries_are_reported_with_their_twins_and_awaited_ones_are_not(deblock, project):
    findings = json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout)
    queries = project / "notes" / "queries.py"
    expected = expected_findings(queries.read_text(), "notes/queries.py")
    assert Counter((f["path"], f["line"], f["code"]) for f in findings) == expected
    twins = sorted(f["message"].rpartition("coroutine ")[2] for f in findings)
    assert twins == ["`acount`", "`aexists`", "`afirst`", "`aget`"]
    assert all(f["fixable"] for f in findings)


def test_fix_awaits_the_twins_and_the_queries_give_the_same_results(deblock, project, tmp_path):
    before = _run_queries(project, tmp_path / "before.db", allow_sync=True)
    assert before.returncode == 0, before.stderr
    refused = _run_queries(project, tmp_path / "refused.db", allow_sync=False)
    assert "SynchronousOnlyOperation" in refused.stderr
    deblock("fix", ".", cwd=project)
    fixed = (project / "notes" / "queries.py").read_text()
    assert "return await Note.objects.acount()" in fixed
    assert "return await Tag.objects.filter(name=name).aexists()" in fixed
    assert "return (await Note.objects.aget(pk=pk)).text" in fixed
    assert 'await Note.objects.filter(text__contains=word).order_by("-pk").afirst()' in fixed
    after = _run_queries(project, tmp_path / "after.db", allow_sync=False)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout == "[3, 'beta', 'gamma', True, 3, 'beta']\n"
    assert json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout) == []
