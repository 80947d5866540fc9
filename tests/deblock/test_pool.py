"""Worker processes: signals around their forking."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deblock import pool

AT_FORK = Path(__file__).parent / "fixtures" / "pool" / "ctrl_c_at_fork.py"


def _blocked_signals(_item) -> set[int]:
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, [])) & {signal.SIGINT, signal.SIGTERM}


def test_workers_can_be_interrupted():
    """Signals blocked while the parent forks them are unblocked in the workers."""
    with pool.Workers(2) as workers:
        masks = workers.map(_blocked_signals, list(range(4)), pool.POOL_MIN_BYTES)
    assert masks == [set()] * 4


def _started(seconds: float) -> tuple[float, float]:
    """When this item started (the system's monotonic clock), after working ``seconds``."""
    start = time.monotonic()
    time.sleep(seconds)
    return start, seconds


def test_the_workers_take_the_heaviest_items_first():
    """With a weight, a batch's large item is started first, not left to the end with one
    worker busy and the other idle; the results still come in the items' order."""
    items = [0.2] * 6 + [1.0]
    with pool.Workers(2) as workers:
        done = workers.map(_started, items, pool.POOL_MIN_BYTES, weight=lambda item: item)
    assert [seconds for _, seconds in done] == items
    assert 1.0 in [seconds for _, seconds in sorted(done)[:2]]


@pytest.mark.parametrize("how", ["map", "forked"])
def test_ctrl_c_while_the_workers_fork_is_raised_in_the_parent(how):
    """A SIGINT during a fork (here from an at-fork hook) is not dropped with a printed
    traceback: the parent raises KeyboardInterrupt once the workers are forked."""
    ran = subprocess.run(
        [sys.executable, str(AT_FORK), how], capture_output=True, text=True, timeout=60
    )
    assert ran.stdout.strip() == "interrupted", ran.stderr
    assert "Exception ignored" not in ran.stderr
