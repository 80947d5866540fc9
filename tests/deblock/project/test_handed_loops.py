"""A loop handed in: ``self._loop = loop or asyncio.get_running_loop()`` asks for the running
loop only when no loop is handed, so a jar that makes its fresh jar with
``loop=self._loop`` (aiohttp's cookie jar) keeps its unsafe thread fix, which runs as the
original does; one handing no loop, or what may be ``None``, gets no fix, and in a worker
thread would raise."""

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

from deblock.config import load_settings
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "handed_loops"
PROGRAM = "pantry/program.py"
LOOP_BOUND = "must run on the event loop's thread"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(PROJECT, tmp_path / "project")
    (tmp_path / "empty.toml").touch()
    return tmp_path / "project"


def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pantry.program", *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def test_a_call_handing_the_instance_s_loop_keeps_its_unsafe_fix(project, monkeypatch):
    monkeypatch.chdir(project)
    findings = analyze_paths(["."], load_settings(["."]), jobs=1).files[PROGRAM]
    codes = Counter((PROGRAM, f.line, f.code) for f in findings if f.code == "DBK801")
    assert codes == expected_findings((PROJECT / PROGRAM).read_text(), PROGRAM)
    by_target = {f.message.split("`")[1]: f for f in findings if f.code == "DBK801"}
    handed = by_target["jar.load()"]
    assert handed.unsafe_strategy and not (handed.declined and LOOP_BOUND in handed.declined)
    for name in ("jar.load_unbound()", "jar.load_spare()"):
        finding = by_target[name]
        assert not finding.fixable and LOOP_BOUND in finding.declined, finding


def test_the_unsafe_fix_runs_as_the_original_does(project):
    original = _run(project)
    assert original.returncode == 0, original.stderr
    command = [sys.executable, "-m", "deblock", "fix", "--unsafe-fixes", "--no-cache"]
    command += ["--config", str(project.parent / "empty.toml"), "."]
    subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    fixed_source = (project / PROGRAM).read_text()
    assert "await asyncio.to_thread(jar.load, path)" in fixed_source
    for declined in ("    jar.load_unbound(path)", "    jar.load_spare(path)"):
        assert declined in fixed_source
    for _ in range(3):  # five jars loaded at once, each in a worker thread
        fixed = _run(project)
        assert (fixed.returncode, fixed.stdout) == (0, original.stdout), fixed.stderr


@pytest.mark.parametrize("call", ["jar.load_unbound(path)", "jar.load_spare(path)"])
def test_the_declined_calls_would_raise_in_a_worker_thread(project, call):
    program = project / PROGRAM
    method = call.removesuffix("(path)")
    program.write_text(
        program.read_text().replace(f"    {call}", f"    await asyncio.to_thread({method}, path)")
    )
    moved = _run(project, "unbound")
    assert moved.returncode != 0 and "RuntimeError: no running event loop" in moved.stderr
