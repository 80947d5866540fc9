"""The json format: one array; findings have a ``code``, unreadable files ``"code": null``."""

from __future__ import annotations

import json

from deblock.findings import Finding
from deblock.rules.network import shown_name
from deblock.runner import RunResult

KEYS = (
    "path", "line", "col", "end_line", "end_col", "code", "message", "fixable",
    "async_equivalent", "target", "strategy", "unsafe_strategy", "declined", "unsafe_because",
    "unfixable", "open_form", "lock",
)  # fmt: skip


# Where no fix can be written (``unfixable``), no strategy is named: a rule's default one
# (a twin on another class: ``call-twin``; an iteration: ``to-thread``) would read as a fix.
_FIXES = ("strategy", "unsafe_strategy")


def render(result: RunResult) -> str:
    entries = [{key: _value(f, key) for key in KEYS} for f in result.findings]
    entries += [
        {**dict.fromkeys(KEYS), "path": e.path, "line": e.line, "col": e.col,
         "message": e.reason, "fixable": False}
        for e in result.errors
    ]  # fmt: skip
    return _indented(entries)


# Entries hold scalars only, so each is one C-encoded object laid out as ``indent=2``
# would; ``json.dumps(indent=...)`` runs the pure-Python encoder (~2x as long: the warm
# run of the bench corpus spent ~5 ms of its ~130 ms there).
_ENTRY = json.JSONEncoder(separators=(",\n    ", ": "))


def _value(finding: Finding, key: str) -> object:
    if key in _FIXES and finding.unfixable:
        return None
    value = getattr(finding, key)
    return shown_name(value) if key == "target" and value else value


def _indented(entries: list[dict]) -> str:
    """``json.dumps(entries, indent=2) + "\\n"``, for a list of flat objects."""
    if not entries:
        return "[]\n"
    objects = ",\n".join("  {\n    " + _ENTRY.encode(e)[1:-1] + "\n  }" for e in entries)
    return "[\n" + objects + "\n]\n"
