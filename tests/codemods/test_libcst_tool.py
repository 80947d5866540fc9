"""The codemods run through LibCST's own tool, as real subprocesses."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from codemod_cases import ROOT, after_of

REPO = Path(__file__).resolve().parents[2]


def _tool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command, case",
    [
        ("sleep.SleepCommand", "sleep/retry_loop"),
        ("async_open.AsyncOpenCommand", "async_open/escaping_json"),
        ("to_thread.ToThreadCommand", "to_thread/os_calls"),
    ],
)
def test_configured_module_name(tmp_path, command, case):
    """With the repository's ``.libcst.codemod.yaml``: ``codemod <module>.<Command>``."""
    target = tmp_path / "module.py"
    shutil.copyfile(ROOT / f"{case}.before.py", target)
    result = _tool("codemod", command, str(target), cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert target.read_text() == after_of(ROOT / f"{case}.before.py").read_text()


def test_fully_qualified_command(tmp_path):
    """Anywhere, without configuration: ``codemod -x deblock.codemods.<module>.<Command>``."""
    before = ROOT / "sleep/basic.before.py"
    target = tmp_path / "basic.py"
    shutil.copyfile(before, target)
    result = _tool(
        "codemod",
        "-x",
        "--no-format",
        "deblock.codemods.sleep.SleepCommand",
        str(target),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text() == after_of(before).read_text()
