"""Starting the resident server in the background, detached from the command line that
starts it (its own session; its errors logged beside its socket)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from deblock.resident.address import refusal, server_file
from deblock.resident.client import ask


class CannotServe(Exception):
    """Why no server can run here."""


def start_in_background(idle: float | None = None) -> subprocess.Popen:
    """Start a server (it stops at once if another runs); raises ``CannotServe``."""
    if not (hasattr(os, "fork") and hasattr(socket, "AF_UNIX")):
        raise CannotServe("the resident server needs fork and Unix sockets (a POSIX system)")
    reason = refusal()
    if reason:
        raise CannotServe(f"{reason}: no resident server")
    command = [sys.executable, "-m", "deblock.resident.server"]
    command += [] if idle is None else ["--idle", str(idle)]
    with open(server_file(".log"), "ab") as log:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )


def wait_for_server(started: subprocess.Popen, seconds: float = 30.0) -> dict | None:
    """The started server's status once it answers; ``None`` if it ended first (another
    server took the lock: the caller asks that one) or did not answer in ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = ask({"op": "status"})
        if status:
            return status
        if started.poll() is not None:
            return ask({"op": "status"})
        time.sleep(0.02)
    return None
