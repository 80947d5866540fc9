"""Talking to a resident server (`deblock check --server`) of any installation by its
socket: the pre-commit hook's runs in pre-commit's own environment."""

from __future__ import annotations

import socket
from pathlib import Path

from deblock.resident.messages import receive, send


def ask_server(path: Path, request: dict) -> dict | None:
    """The answer of the server listening at ``path``; None if none answers."""
    with socket.socket(socket.AF_UNIX) as conn:
        try:
            conn.connect(str(path))
            send(conn, request)
            return receive(conn)[0]
        except OSError:
            return None
