"""A project's decorator whose wrapper only awaits what it wraps run in a worker thread
(modal's ``asyncify``), in the module of the functions it decorates or in another, an
installed library's own of that shape, or asyncer's ``asyncify``, makes them coroutine
functions: awaited, they block no more. One
that runs it on the loop on some path, a sync wrapper, or an executor not known to be
threads' leaves the finding."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from expectations import expected_findings
from fixture_copies import copied

PROJECT = Path(__file__).parent / "fixtures" / "thread_decorators"
MODULES = (
    "jobs/handlers.py",
    "jobs/local.py",
    "jobs/library.py",
    "jobs/cycle_a.py",
    "jobs/cycle_b.py",
    "jobs/installed.py",
)


def _found(tmp_path: Path, *options: str) -> Counter:
    (tmp_path / "empty.toml").touch()
    command = [sys.executable, "-m", "deblock", "check", "--format", "json", *options]
    command += ["--config", str(tmp_path / "empty.toml"), "jobs"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "site-packages")}
    ran = subprocess.run(
        command, cwd=copied(PROJECT, tmp_path), env=env, capture_output=True, text=True
    )
    assert ran.returncode == 1, ran.stderr
    return Counter((f["path"], f["line"], f["code"]) for f in json.loads(ran.stdout))


def test_functions_a_thread_decorator_wraps_block_no_more_when_awaited(tmp_path):
    expected = sum((expected_findings((PROJECT / m).read_text(), m) for m in MODULES), Counter())
    assert _found(tmp_path, "--no-cache") == expected
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert _found(tmp_path, *cache) == expected  # fills the cache
    assert _found(tmp_path, *cache) == expected  # the summaries read back from it
