"""Chains through ``super()``: a call of ``super().name`` (or ``super(Cls, self).name``)
runs the method of the first class after the one it is written in that defines ``name``,
of this module, another module or a library."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from expectations import expected_findings

SUPER_CHAINS = Path(__file__).parent / "fixtures" / "super_chains"


def test_calls_through_super_are_found_where_the_base_blocks(tmp_path):
    (tmp_path / "empty.toml").touch()
    command = [sys.executable, "-m", "deblock", "check", "--no-cache", "--format", "json"]
    command += ["--config", str(tmp_path / "empty.toml"), "."]
    run = subprocess.run(command, cwd=SUPER_CHAINS, capture_output=True, text=True, check=False)
    assert run.returncode in (0, 1), run.stderr
    found = Counter((f["path"], f["line"], f["code"]) for f in json.loads(run.stdout))
    modules = sorted(SUPER_CHAINS.rglob("*.py"))
    expected = Counter()
    for module in modules:
        path = str(module.relative_to(SUPER_CHAINS))
        expected += expected_findings(module.read_text(), path)
    assert found == expected
