"""The suspension that may come last before a coroutine's way out, by its flow, and the
last line that may run before any (``# head``): in the other branch, in a ``finally``,
across a loop's back edge, off the body's end, at a block's exit (not an asyncio lock's),
past a skipped operand, from a handler, out of a loop, a raise before any (its caller may
catch it)."""

import re
from pathlib import Path

import pytest

from deblock.analysis import analyze_source
from deblock.analysis.suspension_flow import START, first_after, last_before

CASE = Path(__file__).parent / "fixtures" / "cases" / "suspension_flow.py"
TEXT = CASE.read_text(encoding="utf-8")
LINES = TEXT.splitlines()
FUNCTIONS = analyze_source(TEXT, str(CASE)).summary.functions
NAMES = re.findall(r"^async def (\w+)", TEXT, re.MULTILINE)


@pytest.mark.parametrize("name", NAMES)
def test_each_way_out_names_the_earliest_suspension_that_may_come_last(name):
    function = FUNCTIONS[f"suspension_flow.{name}"]
    body = range(function.line, function.end_line + 1)
    points = {
        m.group(1): number
        for number in body
        if (m := re.search(r"# point (\w+)", LINES[number - 1]))
    }
    expected = {
        number: START if m.group(1) == "start" else points[m.group(1)]
        for number in body
        if (m := re.search(r"# last: (\w+)", LINES[number - 1]))
    }
    suspending = {line for line, *_ in function.preceding}
    assert suspending == set(points.values())
    assert dict(last_before(function.preceding, function.exits, suspending)) == expected
    head = [number for number in body if LINES[number - 1].endswith("# head")]
    assert [first_after(function.preceding, function.reach, suspending)] == head
