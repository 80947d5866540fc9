"""A rule's documentation as plain text (`deblock explain`, SARIF help) and as Markdown
(SARIF help for code-scanning viewers)."""

from __future__ import annotations

import textwrap

from deblock.rules import equivalents
from deblock.rules.model import Rule


def _sections(rule: Rule) -> tuple[tuple[str, str, bool], ...]:
    """(title, body, is_code) for each section of the documentation."""
    return (
        ("What it does", rule.what, False),
        ("Why is this bad?", rule.why, False),
        ("Example", rule.example, True),
        ("Use instead", rule.instead, True),
        ("Fix safety", _fix(rule), False),
    )


def _fix(rule: Rule) -> str:
    """The fix safety label, and what `deblock fix` does."""
    safe, unsafe = rule.strategy, rule.unsafe_strategy
    if safe and unsafe:
        does = f"`deblock fix` applies the `{safe}` fix; with `--unsafe-fixes`, the `{unsafe}` fix"
    elif safe:
        does = f"`deblock fix` applies the `{safe}` fix"
    elif unsafe:
        does = f"`deblock fix --unsafe-fixes` applies the `{unsafe}` fix"
        does += f" (unsafe: {rule.unsafe_because})" if rule.unsafe_because else ""
    else:
        does = "`deblock fix` leaves it to you"
    return f"{rule.fix_safety}: {does}."


def title(rule: Rule) -> str:
    """``DBK101 blocking-sleep (flake8-async: ASYNC251)``."""
    codes = ", ".join(equivalents(rule))
    equivalent = f" (flake8-async: {codes})" if codes else ""
    return f"{rule.code} {rule.name}{equivalent}"


def explanation(rule: Rule) -> str:
    """The plain-text documentation, as `deblock explain` prints it."""
    parts = [f"{title(rule)}\n"]
    for heading, body, is_code in _sections(rule):
        text = body if is_code else textwrap.fill(body, 84)
        parts.append(f"{heading}\n{textwrap.indent(text, '    ')}\n")
    return "\n".join(parts)


def markdown(rule: Rule) -> str:
    """The documentation in Markdown, code in fenced Python blocks."""
    parts = [f"## {title(rule)}"]
    for heading, body, is_code in _sections(rule):
        parts.append(f"**{heading}**\n\n" + (f"```python\n{body}\n```" if is_code else body))
    return "\n\n".join(parts) + "\n"
