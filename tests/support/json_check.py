"""``deblock check --format json`` run in a fixture project's directory, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def checked(
    cwd: Path, *args: str, cache: Path | None = None, config: str = "empty.toml"
) -> list[dict]:
    """The findings of ``deblock check --format json ARGS`` in ``cwd``, with the empty
    configuration ``config`` (``empty.toml`` there), without the cache or with the one at
    ``cache``."""
    cached = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    run = subprocess.run(
        [sys.executable, "-m", "deblock", "check", "--format", "json", *args, *cached]
        + ["--config", config],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)
