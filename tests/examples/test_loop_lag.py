"""examples/loop_lag.py, the demo's measure: it serves the sample service's requests for
real and reports the longest event-loop stall, leaving the service's directory as it was."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "loop_lag.py"


def test_reports_the_longest_stall_while_serving_concurrent_requests(tmp_path):
    service = Path(shutil.copytree(ROOT / "examples" / "service", tmp_path / "service"))
    before = sorted(p.relative_to(service) for p in service.rglob("*"))
    ran = subprocess.run(
        [sys.executable, str(SCRIPT), str(service), "--requests", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert re.fullmatch(
        r"longest event-loop stall while serving 3 concurrent requests: \d+\.\d ms\n", ran.stdout
    )
    assert sorted(p.relative_to(service) for p in service.rglob("*")) == before
