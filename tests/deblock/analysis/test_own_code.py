"""A function's own nodes (``FunctionRecord.own_code``) are walked once per analysis: the
phases that read them all take the record's list instead of walking the tree again."""

import ast
import sys
from collections import Counter
from pathlib import Path

from deblock.analysis import analyze_source, nodes

CASE = Path(__file__).parent / "fixtures" / "own_code" / "jobs.py"


def test_each_functions_own_nodes_are_walked_once():
    """``run`` is read for the parameters it awaits (``awaiters``) and both functions for
    what must stay on the loop's thread (``thread_bound``); each walk of a function's own
    nodes starts an ``own_nodes`` generator on the function's node."""
    walks = Counter()

    def started(frame, event, arg):  # a generator's resumptions are calls too: not counted
        if event == "call" and frame.f_code is walk and "todo" not in frame.f_locals:
            node = frame.f_locals["node"]
            if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef):
                walks[node.name] += 1

    walk = nodes.own_nodes.__code__
    sys.setprofile(started)
    try:
        report = analyze_source(CASE.read_text(encoding="utf-8"), str(CASE), defer=True)
    finally:
        sys.setprofile(None)
    assert list(report.summary.awaiters.values()) == [("#0", "job")]
    assert walks == {"run": 1, "note": 1}
