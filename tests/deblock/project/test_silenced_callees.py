"""A ``# noqa`` on a sync helper's blocking call (bare, naming the call's code, its
flake8-async code, the one its arguments pick, or DBK801; on the call's first or last line,
or a line joined to it) silences the DBK801 of each async caller whose every chain goes
through it; another code, one inside its arguments, or another blocking call after it,
leaves it reported. Cold and from the
cache alike (the helper's summary keeps its silenced calls)."""

from pathlib import Path

from expectations import check_cold_and_warm


def test_a_noqa_in_the_callee_silences_its_callers_dbk801(tmp_path):
    project = Path(__file__).parent / "fixtures" / "silenced_callees"
    check_cold_and_warm(project, "bridge", "bridge/handler.py", tmp_path)
