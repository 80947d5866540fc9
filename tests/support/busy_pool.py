"""Run a coroutine function many times at once while the default thread pool is kept busy,
so that every thread hop queues and lands on a different worker."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CALLS = 20
WORKERS = 4


async def concurrently(main, root: str, calls: int = CALLS) -> list:
    """``calls`` concurrent calls of ``main(root)`` on a busy default thread pool; each
    call's value, or the type of what it raised."""
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(WORKERS)
    loop.set_default_executor(pool)
    done = threading.Event()

    async def occupy() -> None:  # workers busy: every hop queues behind a sleeper
        while not done.is_set():
            await loop.run_in_executor(None, done.wait, 0.001)

    occupiers = [asyncio.ensure_future(occupy()) for _ in range(WORKERS - 1)]
    try:
        results = await asyncio.gather(*(main(root) for _ in range(calls)), return_exceptions=True)
    finally:
        done.set()
        await asyncio.gather(*occupiers)
    return [type(r).__name__ if isinstance(r, BaseException) else r for r in results]


def drive(project: Path, root: Path, *flags: str) -> dict:
    """What the project's ``drive.py`` (which runs its coroutines with ``concurrently``)
    prints as JSON, run on ``root``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), "."])}
    done = subprocess.run(
        [sys.executable, "drive.py", str(root), *flags],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)
