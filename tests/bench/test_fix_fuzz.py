"""The fix fuzzer (``bench/fix_fuzz.py``) on a few fixed seeds: the safe fixes of its programs
keep every outcome the originals allow (a counterexample fails the test, its report shown)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from fuzz_programs import generate  # noqa: E402

# Seeds whose programs get safe fixes, among them sections (a read-modify-write of a shared
# file or a table moved into a thread under the module's lock) that concurrent calls run.
SEEDS = ("--start", "28", "--seeds", "12")


def _fuzz(*args: str) -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, str(BENCH / "fix_fuzz.py"), *args, "--runs", "20", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_programs_are_drawn_from_their_seed_and_compile():
    assert generate(3).source() == generate(3).source() != generate(4).source()
    for seed in range(30):
        compile(generate(seed).source(), f"seed-{seed}", "exec")


def test_safe_fixes_of_the_seeds_programs_keep_their_outcomes():
    status, report = _fuzz(*SEEDS)
    assert report["counterexamples"] == [], report
    assert status == 0
    assert report["fixed"] >= 8  # the seeds' programs do get fixed
