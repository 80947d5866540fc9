"""The json format: one array; findings have a ``code``, unreadable files ``"code": null``."""

from __future__ import annotations

import json

from deblock.runner import RunResult

KEYS = (
    "path", "line", "col", "end_line", "end_col", "code", "message", "fixable",
    "async_equivalent", "target", "strategy", "unsafe_strategy", "declined", "unfixable",
    "open_form", "lock",
)  # fmt: skip


def render(result: RunResult) -> str:
    entries = [{key: getattr(f, key) for key in KEYS} for f in result.findings]
    entries += [
        {**dict.fromkeys(KEYS), "path": e.path, "line": e.line, "col": e.col,
         "message": e.reason, "fixable": False}
        for e in result.errors
    ]  # fmt: skip
    return json.dumps(entries, indent=2) + "\n"
