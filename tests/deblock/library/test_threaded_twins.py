"""Twins that run sync code in a worker thread are not safe swaps: LangChain's
``Runnable.ainvoke`` runs ``self.invoke`` there, ``RunnableLambda``'s the user's function.
The fixture library ``jobkit`` (its ``site-packages`` on ``PYTHONPATH``, read as source)
has such twins beside native ones; the program using it marks each finding's line
``# in a thread: CODE`` (declined, the thread bridge offered as unsafe) or ``# swapped``.
The fixed program runs concurrently on a busy thread pool beside the original."""

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings
from runtime_harness import project_env, run_project

FIXTURE = Path(__file__).parent / "fixtures" / "threaded_twins"
IN_THREAD = re.compile(r"# in a thread: (\S+)")


@pytest.fixture
def project(tmp_path) -> Path:
    return shutil.copytree(FIXTURE, tmp_path / "project")


def _deblock(project: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "deblock", *args, "--no-cache", "."]
    env = project_env(project)
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_twins_running_sync_code_in_a_thread_are_declined_with_what_they_run(project):
    findings = json.loads(_deblock(project, "check", "--format", "json").stdout)
    source = (project / "program.py").read_text()
    found = Counter((f["path"], f["line"], f["code"]) for f in findings)
    assert found == expected_findings(source, "program.py")
    lines = source.splitlines()
    for finding in findings:
        threaded = IN_THREAD.search(lines[finding["line"] - 1])
        if threaded is None:
            assert "not swapped" not in finding["message"], finding
        else:
            assert "not swapped: " in finding["message"]
            assert f"runs `{threaded.group(1)}` in a worker thread" in finding["message"]
        assert finding["fixable"]  # the thread bridge, unsafe, where the swap is declined


def test_the_fixed_program_keeps_sync_code_on_the_loop_and_behaves_the_same(project, tmp_path):
    original = shutil.copytree(project, tmp_path / "original")
    fixed = _deblock(project, "fix")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # the declined swaps are left
    before = (original / "program.py").read_text().splitlines()
    after = (project / "program.py").read_text().splitlines()
    for old, new in zip(before, after, strict=True):
        if old.endswith("# swapped  # expect: DBK602"):
            assert "= await " in new and "= await " not in old
        else:
            assert new == old
    expected = run_project(original, tmp_path / "original-run")
    assert run_project(project, tmp_path / "fixed-run") == expected
