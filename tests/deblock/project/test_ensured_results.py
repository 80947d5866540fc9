"""A result handed to a coroutine that awaits it (the project's ``await awaited(cm.is_hidden(
p))``) is evidence that the call may return a coroutine, as an ``await`` of it is: no
finding. Handed to one that awaits it only when it is awaitable (jupyter_server's ``await
ensure_async(cm.is_hidden(p))``, a library's helper re-exported by an assignment, or the
project's own), the call is its receiver's class's as written, sync though a subclass is
async (DBK602, DBK801); so it is handed unawaited, to a coroutine that does not await it,
or to one that awaits something else under the parameter's name."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from expectations import expected_findings
from fixture_copies import copied

PROJECT = Path(__file__).parent / "fixtures" / "ensured_results"
HANDLERS = "server/handlers.py"


def test_only_results_handed_to_an_awaiting_coroutine_are_no_findings(tmp_path):
    (tmp_path / "empty.toml").touch()
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "site-packages")}
    command = [sys.executable, "-m", "deblock", "check", "--no-cache", "--format", "json"]
    command += ["--config", str(tmp_path / "empty.toml"), "server"]
    ran = subprocess.run(
        command, cwd=copied(PROJECT, tmp_path), env=env, capture_output=True, text=True
    )
    assert ran.returncode == 1, ran.stderr
    found = Counter((f["path"], f["line"], f["code"]) for f in json.loads(ran.stdout))
    assert found == expected_findings((PROJECT / HANDLERS).read_text(), HANDLERS)
