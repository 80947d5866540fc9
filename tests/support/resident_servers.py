"""Asking a resident server (`deblock check --server`) of any installation by its socket:
the pre-commit hook's, run in pre-commit's own environment."""

from __future__ import annotations

import time
from pathlib import Path

from deblock.resident.client import ask


def ask_server(path: Path, request: dict) -> dict | None:
    """The answer of the server listening at ``path``; None if none answers."""
    return ask(request, path=str(path))


def started_servers(runtime: dict[str, str]) -> list[Path]:
    """The sockets of the servers started in the servers' directory of ``runtime`` (an
    environment), once one is there (a run with ``--server`` starts one in the
    background)."""
    folder = Path(runtime["XDG_RUNTIME_DIR"])
    for _ in range(200):
        sockets = list(folder.glob("deblock-*/*.sock"))
        if sockets:
            return sockets
        time.sleep(0.05)
    raise AssertionError("no server started")
