"""The files a call made itself (``own_files``): a sleep in a first run before work on them
is weighed as touching no resource other tasks' first runs touch."""

from pathlib import Path

import pytest

from deblock.analysis import analyze_source

CASE = Path(__file__).parent / "fixtures" / "cases" / "own_files.py"
SOURCE = CASE.read_text()


def _marked(mark: str) -> list[int]:
    return [n for n, text in enumerate(SOURCE.splitlines(), 1) if text.endswith(f"# {mark}")]


@pytest.mark.parametrize("mark", ["own", "shared"])
def test_a_first_run_s_sleep_is_swapped_only_before_work_on_the_call_s_own_files(mark):
    sleeps = {f.line: f for f in analyze_source(SOURCE, str(CASE)).findings if f.code == "DBK101"}
    assert _marked(mark)
    for line in _marked(mark):
        assert (sleeps[line].strategy is not None) == (mark == "own"), line
        if mark == "shared":
            assert "touches too in its first run" in sleeps[line].declined, line
