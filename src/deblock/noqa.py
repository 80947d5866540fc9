"""``# noqa`` suppression comments, read from real comments only (never from strings).

``# noqa`` silences every finding on its line, ``# noqa: DBK101, ASYNC251`` only the
listed codes; a flake8-async code silences the deblock rule it corresponds to. A comment
applies to the first and the last line of a finding (its call). As in flake8 and ruff, the
comment ending lines joined by a backslash, or by a string spanning them, applies to each.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from functools import cache

from deblock.findings import Finding, decline

# Why a section holding a silenced call is not moved into a thread by a safe fix.
_SILENCED = (
    "line {line} of its section is silenced by `# noqa`: moving the section into a thread"
    " would move that call too"
)


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """The comment and code patterns, compiled for the first file that has a ``noqa``
    (case-blind classes take ~1.9 ms to compile, which a run over files without one
    need not pay)."""
    comment = r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?"
    return re.compile(comment, re.IGNORECASE), re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


ALL = frozenset({"*"})


def noqa_lines(source: str) -> dict[int, frozenset[str]]:
    """Line number → the codes its ``# noqa`` comment silences (``ALL`` for a bare one); the
    lines joined to the commented one (a backslash, a string spanning them) get its codes."""
    lines: dict[int, frozenset[str]] = {}
    at = source.lower().rfind("noqa")
    if at < 0:
        return lines
    # no comment below the last line that mentions noqa adds a line: the tokenizer stops
    # there (pure Python, it read the bench corpus's 160 such modules in ~1.4 CPU-s)
    last_mention = source.count("\n", 0, at) + 1
    comment, code = _patterns()
    first = None  # the first line of the physical lines joined so far
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.start[0] > last_mention:
                break
            if token.type == tokenize.COMMENT:
                match = comment.search(token.string)
                if match:
                    codes = match.group("codes")
                    lines[token.start[0]] = (
                        frozenset(c.upper() for c in code.findall(codes)) if codes else ALL
                    )
            if token.type in _LINE_ENDS:
                last = token.start[0]
                if first is not None and first < last and last in lines:
                    lines.update(dict.fromkeys(range(first, last), lines[last]))
                first = None
            elif first is None and token.type not in _NOT_ON_A_LINE:
                first = token.start[0]
    except (tokenize.TokenError, SyntaxError):
        pass  # the comments read so far still count
    return lines


_LINE_ENDS = (tokenize.NL, tokenize.NEWLINE)
_NOT_ON_A_LINE = (tokenize.DEDENT, tokenize.ENDMARKER)


def is_silenced(finding: Finding, lines: dict[int, frozenset[str]]) -> bool:
    """Whether a ``# noqa`` on the finding's first or last line silences it, or one in the
    callee on each blocking call it reaches (``Finding.silenced_within``)."""
    return finding.silenced_within or span_silenced(
        lines, finding.line, finding.end_line, finding.code, finding.async_equivalent
    )


def span_silenced(
    lines: dict[int, frozenset[str]], first: int, last: int, *codes: str | None
) -> bool:
    """Whether a ``# noqa`` of ``lines`` on line ``first`` or ``last`` (of a call) silences
    one of ``codes`` (a rule's, its flake8-async code's): bare, or naming it."""
    for line in {first, last}:
        named = lines.get(line)
        if named is not None and ("*" in named or any(c in named for c in codes)):
            return True
    return False


def noqa_at(source: str, numbers: Iterable[int]) -> dict[int, frozenset[str]]:
    """The ``# noqa`` comments on the lines ``numbers`` only (the file is tokenized only
    when one of those lines mentions noqa, or may be joined to a later one)."""
    lowered = source.lower()  # faster than a case-blind search, and needed below
    if "noqa" not in lowered:
        return {}
    text_lines = lowered.split("\n")  # decode_source normalised line endings
    wanted = {n for n in numbers if 0 < n <= len(text_lines)}
    if not any(_may_hold_noqa(text_lines[n - 1]) for n in wanted):
        return {}
    return {n: codes for n, codes in noqa_lines(source).items() if n in wanted}


def _may_hold_noqa(line: str) -> bool:
    """Whether ``line`` has a ``noqa``, or may be joined to a later line that has one: it
    ends with a backslash or opens a triple-quoted string."""
    return "noqa" in line or line.rstrip().endswith("\\") or '"""' in line or "'''" in line


def without_silenced(
    findings: Iterable[Finding], lines: dict[int, frozenset[str]]
) -> list[Finding]:
    """The findings that no ``# noqa`` comment of ``lines`` silences (nor of a callee)."""
    return [f for f in findings if not is_silenced(f, lines)]


def keep_silenced_sections(findings: list[Finding], kept: list[Finding]) -> list[Finding]:
    """``kept`` (of ``findings``) with the safe fixes of each section that holds a silenced
    finding declined, offered as unsafe: the section moves into the thread whole, and would
    take the call its ``# noqa`` leaves on the event loop with it."""
    silenced = {f.section: f.line for f in findings if f.section and f not in kept}
    return [
        decline(f, _SILENCED.format(line=silenced[f.section]), unsafe=True)
        if f.section in silenced and f.strategy
        else f
        for f in kept
    ]


def noqa_to_json(lines: dict[int, frozenset[str]]) -> dict[str, list[str]]:
    """``lines`` in a JSON form (for the cache)."""
    return {str(n): sorted(codes) for n, codes in lines.items()}


def noqa_from_json(data: dict[str, list[str]]) -> dict[int, frozenset[str]]:
    """``lines`` back from their JSON form."""
    return {int(n): frozenset(codes) for n, codes in data.items()}
