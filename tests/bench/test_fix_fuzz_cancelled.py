"""Fixes whose await a cancellation meets inside an asyncio lock's block, run by the fix
fuzzer's runner (``bench/fuzz_run.py --cancel``): one of three calls cancelled at each of its
first eight awaits in turn, on a thread pool that delays each job at random.

``fixtures/cancelled/*``: ``bump`` holds ``LOCK`` (``async with``, or ``acquire`` and a
``release`` in a ``finally``) while it reads a count, awaits, reads it again and writes it
plus one; it returns how much the count changed between its reads, always 0 on the loop: no
other caller writes it meanwhile. With main's fix, the cancelled call released the lock
while its write went on in a worker thread, and the next holder saw the count change under
its lock (a 1 among the results, in about 1 % of the runs).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from deblock.fixer.engine import FixOptions, fix_source

BENCH = Path(__file__).resolve().parents[2] / "bench"
FIXTURES = Path(__file__).parent / "fixtures" / "cancelled"
RUNS = 960


def _results(program: Path, work: Path, *flags: str) -> set:
    """The values the calls returned, over ``RUNS`` runs with one call cancelled."""
    command = [sys.executable, str(BENCH / "fuzz_run.py"), str(program), str(work)]
    command += ["--runs", str(RUNS), "--cancel", *flags]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
    found = set()
    for outcome in json.loads(done.stdout):
        found |= {r.strip() for r in outcome.split("'results': [")[1].split("]")[0].split(",")}
    return found


@pytest.mark.parametrize("program", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_a_fix_in_an_asyncio_lock_s_hold_keeps_its_next_holder_apart(program, tmp_path):
    fixed = fix_source(program.read_text(), str(program), FixOptions())
    assert fixed.error is None
    (tmp_path / "fixed").mkdir()
    (tmp_path / "fixed" / "program.py").write_text(fixed.source)
    cancelled = repr(asyncio.CancelledError(""))
    assert _results(program, tmp_path / "original") == {"0", cancelled}
    assert _results(tmp_path / "fixed" / "program.py", tmp_path / "runs", "--threads") <= {
        "0",
        cancelled,
    }
    assert fixed.left and all("the lock's next holder" in f.declined for f in fixed.left)
