"""The walk notes the plain name each function takes an attribute of
(``FunctionRecord.attribute_bases``) from the name itself."""

import ast
import sys
from collections import Counter
from pathlib import Path

from deblock.analysis import nodes
from deblock.analysis.walker import walk_module

CASE = Path(__file__).parent / "fixtures" / "own_code" / "jobs.py"


def test_an_attribute_of_a_plain_name_gives_its_base_without_its_dotted_text():
    """``state.last`` and ``state.current`` give the base ``state`` as it is named: the walk
    makes no dotted text of either (``dotted_name``)."""
    made = Counter()

    def called(frame, event, arg):
        if event == "call" and frame.f_code is dotted:
            made[ast.unparse(frame.f_locals["expr"])] += 1

    dotted = nodes.dotted_name.__code__
    tree = ast.parse(CASE.read_text(encoding="utf-8"))
    sys.setprofile(called)
    try:
        facts = walk_module(tree, "jobs")
    finally:
        sys.setprofile(None)
    assert {r.qualname: r.attribute_bases for r in facts.functions} == {
        "jobs.note": {"state"},
        "jobs.run": {"state"},
    }
    assert made == {}
