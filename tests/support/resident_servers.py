"""Asking a resident server (`deblock check --server`) of any installation by its socket:
the pre-commit hook's, run in pre-commit's own environment."""

from __future__ import annotations

from pathlib import Path

from deblock.resident.client import ask


def ask_server(path: Path, request: dict) -> dict | None:
    """The answer of the server listening at ``path``; None if none answers."""
    return ask(request, path=str(path))
