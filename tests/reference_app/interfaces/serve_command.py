"""The real ``companion serve`` command as a subprocess on a free port."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

COMPANION = str(Path(sys.executable).with_name("companion"))


def start_serving(env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen, str, list[str]]:
    """Start ``companion serve`` on a free port; return it, the webhook URL and its banner."""
    process = subprocess.Popen(
        [COMPANION, "serve", "--port", "0"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # a test sends it SIGINT: started from a background job, it would inherit SIGINT
        # ignored, as Ctrl-C is for a command run with ``&``
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("WhatsApp webhook on "):
            return process, line.split()[3], lines
    process.wait()
    pytest.fail("companion serve did not start:\n" + "".join(lines))
