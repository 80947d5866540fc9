"""The github format: workflow commands that annotate the pull request's diff."""

from __future__ import annotations

from deblock.runner import RunResult


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: object) -> str:
    return _data(str(text)).replace(":", "%3A").replace(",", "%2C")


def _command(message: str, **properties: object) -> str:
    props = ",".join(f"{k}={_property(v)}" for k, v in properties.items() if v is not None)
    return f"::error {props}::{_data(message)}\n"


def render(result: RunResult) -> str:
    out = [
        _command(
            f.message,
            file=f.path,
            line=f.line,
            col=f.col,
            endLine=f.end_line,
            endColumn=f.end_col,
            title=f.code,
        )
        for f in result.findings
    ]
    out += [
        _command(e.reason, file=e.path, line=e.line, col=e.col, title="deblock")
        for e in result.errors
    ]
    return "".join(out)
