"""The suspensions that may come first, and all those that may come last before a way out,
by flow (an await in another's argument, one in either branch); the calls, items and
attributes that may raise (a library coroutine's await too, before it suspends), each a way
out to a caller that catches it, with the earliest suspension before it (not an await of a
sleep, nor on a ``finally``'s exception path)."""

import re
from pathlib import Path

import pytest

from deblock.analysis import analyze_source
from deblock.analysis.suspension_flow import START, firsts, last_before, lasts

CASE = Path(__file__).parent / "fixtures" / "cases" / "suspension_ends.py"
TEXT = CASE.read_text(encoding="utf-8")
LINES = TEXT.splitlines()
FUNCTIONS = analyze_source(TEXT, str(CASE)).summary.functions
NAMES = [n for n in re.findall(r"^async def (\w+)", TEXT, re.MULTILINE) if n != "combine"]


def _marked(function, mark: str) -> dict[int, str]:
    body = range(function.line, function.end_line + 1)
    return {n: m.group(1) for n in body if (m := re.search(mark, LINES[n - 1]))}


@pytest.mark.parametrize("name", NAMES)
def test_the_first_and_last_suspensions_and_the_raising_calls_are_found_by_flow(name):
    function = FUNCTIONS[f"suspension_ends.{name}"]
    suspending = {line for line, *_ in function.preceding}
    assert firsts(function.preceding, suspending) == set(_marked(function, r"# (first)"))
    assert lasts(function.preceding, function.exits, suspending) == set(
        _marked(function, r"# (last)")
    )
    points = {name: n for n, name in _marked(function, r"# point (\w+)").items()}
    raises = {
        n: START if name == "start" else points[name]
        for n, name in _marked(function, r"# raises: (\w+)").items()
    }
    found = dict(last_before(function.preceding, function.raising, suspending))
    assert {n: since for n, since in found.items() if n in raises} == raises
    assert not found.keys() & _marked(function, r"# (quiet)").keys()
