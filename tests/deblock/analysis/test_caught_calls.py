"""An await in a ``try`` is caught (``CallSite.caught``) where the coroutine runs code of
its own after what it raises (a handler, a ``finally``, a ``with`` block's exit), not where
every handler only raises it again."""

import re
from pathlib import Path

import pytest

from deblock.analysis import analyze_source

CASE = Path(__file__).parent / "fixtures" / "cases" / "caught_calls.py"
TEXT = CASE.read_text(encoding="utf-8")
LINES = TEXT.splitlines()
FUNCTIONS = analyze_source(TEXT, str(CASE)).summary.functions
NAMES = [n for n in re.findall(r"^async def (\w+)", TEXT, re.MULTILINE) if n != "fetch"]


@pytest.mark.parametrize("name", NAMES)
def test_an_await_is_caught_where_the_coroutine_runs_code_after_its_raise(name):
    function = FUNCTIONS[f"caught_calls.{name}"]
    (site,) = [s for s in function.sites if s.callee.endswith("fetch")]
    mark = re.search(r"# (caught|leaves)", LINES[site.line - 1]).group(1)
    assert site.caught == (mark == "caught")
