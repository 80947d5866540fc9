"""Comments and docstrings that say a blocking call is there on purpose.

A comment on the call's line, or in the comment lines right above it, that speaks of
blocking or holding the loop, or names the non-blocking alternative (``# time.sleep is a
more challenging scenario than asyncio.sleep``, ``# this .wait() may actually block for a
tiny fraction of a second``, hypercorn's ``# Block purposefully``) is its author's
evidence of a choice: a timeout test that needs the loop held, a call kept sync so that it
cannot be cancelled midway. The safe fix is then declined. A
comment that marks work to do (``# TODO: use aiofiles``) asks for the change instead.
The docstring of a function around the call that names it and speaks of blocking is such
evidence too (langgraph's test of a node whose ``time.sleep`` must outlast a timeout:
"Sync `time.sleep` inside an async node blocks the event loop so the in-process watchdog
cannot fire").
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Iterable
from functools import cache


@cache
def _choice() -> re.Pattern:
    """What says a blocking call is a choice; compiled when a comment or docstring is
    first read for it (case-blind: ~0.5 ms to compile, which a module without a finding
    need not pay)."""
    return re.compile(
        r"\bblocking\b|\bdeliberate|\bon purpose\b|\bpurpose(?:ful)?ly\b|\bintentional"
        # holding the loop is what a blocking call does on it
        r"|\bhold(?:s|ing)? the (?:event )?loop\b"
        # "blocks" of what runs, not of data ("the first block of the file")
        r"|\bblock(?:s|ed)?\b.*\b(?:loop|thread|second|seconds|moment|while|fraction)\b"
        r"|asyncio\.sleep|\bto_thread\b|\brun_in_executor\b|\brun_sync\b|\baiofiles\b",
        re.IGNORECASE,
    )


_TO_DO = re.compile(r"\b(?:TODO|FIXME|XXX)\b")


def deliberate_comment(text: Callable[[int], str], line: int) -> str | None:
    """The comment near line ``line`` (``text`` gives a 1-based line) that says its
    blocking call is deliberate, if any."""
    comments = [c for c in [_trailing_comment(text(line))] if c]
    above = line - 1
    while above > 0 and text(above).lstrip().startswith("#"):
        comments.append(text(above).lstrip())
        above -= 1
    return next((c for c in comments if _choice().search(c) and not _TO_DO.search(c)), None)


def docstrings(
    functions: Iterable[ast.FunctionDef | ast.AsyncFunctionDef],
) -> list[tuple[int, int, int, str]]:
    """(first line, last line, docstring's line, docstring) of each of ``functions`` that
    has a docstring."""
    found = []
    for function in functions:
        first = function.body[0]
        if first.__class__ is ast.Expr and first.value.__class__ is ast.Constant:
            text = first.value.value
            if text.__class__ is str:
                found.append((function.lineno, function.end_lineno, first.lineno, text))
    return found


def deliberate_docstring(
    functions: list[tuple[int, int, int, str]], line: int, written: str
) -> tuple[int, str] | None:
    """The line and text (on one line) of the docstring, of ``functions`` (``docstrings``),
    of a function around line ``line`` that names the call there (as ``written``:
    ``time.sleep``) and says it blocks on purpose, if any."""
    for first, last, at, docstring in functions:
        if first <= line <= last and written in docstring:
            named = re.compile(rf"(?<![\w.]){re.escape(written)}(?!\w)")
            if named.search(docstring) and _choice().search(docstring):
                return at, " ".join(docstring.split())
    return None


def _trailing_comment(text: str) -> str | None:
    if "#" not in text:
        return None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                return token.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return None


def deliberate_reason(comment: str, line: int, kind: str = "comment") -> str:
    """Why a safe fix is declined beside ``comment`` (near line ``line``), or beside a
    ``docstring`` that begins there."""
    shown = comment if len(comment) <= 60 else comment[:57] + "..."
    return f"the {kind} at line {line} says the blocking is deliberate (`{shown}`)"
