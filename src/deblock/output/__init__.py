"""Output formats of `deblock check`: each module has ``render(result) -> str``."""

from __future__ import annotations

import importlib

from deblock.runner import RunResult

MODULES = {"text": "text", "json": "json_array", "sarif": "sarif", "github": "github"}
FORMATS = tuple(MODULES)


def render(result: RunResult, fmt: str) -> str:
    """The findings and errors of a run in format ``fmt`` (one of ``FORMATS``)."""
    return importlib.import_module(f"deblock.output.{MODULES[fmt]}").render(result)
