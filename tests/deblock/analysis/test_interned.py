"""A run's module summaries point at one object for each equal string and integer, and
read the same as before."""

from __future__ import annotations

import pickle

from deblock.analysis import AnalysisOptions
from deblock.analysis.interned import Interned
from deblock.file_check import check_bytes

# its blocking call on a line past the integers Python keeps one object of (-5..256)
MODULE = (
    b"import time\n"
    + b"\n" * 300
    + b"""
class Store:
    def save(self, value):
        time.sleep(1)
        return value
"""
)


def summarised(name: str):
    """A module's summary as a worker's comes to the run: unpickled, none of its values
    shared with another module's."""
    outcome = check_bytes(MODULE, f"/app/{name}.py", AnalysisOptions(), summarise=True)
    return pickle.loads(pickle.dumps(outcome.summary))


def test_two_modules_summaries_share_their_equal_values_and_read_the_same():
    one, two = summarised("one"), summarised("two")
    before = pickle.loads(pickle.dumps((one, two)))
    (callee, line, direct), (callee_two, line_two, _) = (
        one.functions["one.Store.save"].blocking[0],
        two.functions["two.Store.save"].blocking[0],
    )
    assert (callee, line) == (callee_two, line_two) == ("time.sleep", 305)
    assert callee is not callee_two and line is not line_two
    interned = Interned()
    interned.summary(one)
    interned.summary(two)
    assert (one, two) == before
    (callee, line, shared_direct), (callee_two, line_two, direct_two) = (
        one.functions["one.Store.save"].blocking[0],
        two.functions["two.Store.save"].blocking[0],
    )
    assert callee is callee_two and line is line_two
    assert shared_direct is direct is direct_two is True  # a boolean is never an integer's


def test_no_summary_is_nothing_to_do():
    Interned().summary(None)
