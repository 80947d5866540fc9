"""A safe fix never moves into a worker thread a call of a sync function that needs the
event loop: found through the project's summaries, in the caller's module or another, and
through the calls it makes in turn."""

import shutil
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

from deblock.config import load_settings
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "loop_bound"
PROGRAM = "app/program.py"


@pytest.fixture
def findings(tmp_path, monkeypatch):
    shutil.copytree(PROJECT, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return analyze_paths(["."], load_settings(["."]), jobs=1).files[PROGRAM]


def test_the_program_s_findings_are_the_expected_ones(findings):
    found = Counter((PROGRAM, f.line, f.code) for f in findings)
    assert found == expected_findings((PROJECT / PROGRAM).read_text(), PROGRAM)


def test_a_block_or_section_calling_a_helper_that_needs_the_loop_stays_on_it(findings):
    lines = (PROJECT / PROGRAM).read_text().splitlines()
    by_line = {f.line: f for f in findings}
    for number, line in enumerate(lines, 1):
        finding = by_line.get(number)
        if "# kept  #" in line:
            why = finding.block_stays or finding.declined
            assert why and "must run on the event loop's thread" in why, (number, finding)
            # a block stays (its files may still open async); a section has no fix at all:
            # moved into a thread, the call would raise there
            assert finding.block_stays or not finding.fixable, (number, finding)
        elif "# fixed  #" in line:
            assert finding.strategy and not finding.block_stays, (number, finding)
        elif "# carried  #" in line:  # no need of the loop, but a helper with no safe fix
            assert finding.declined.startswith("its fix would carry into the worker thread")


def test_the_reason_names_the_helper_and_the_calls_down_to_the_loop(findings):
    lines = (PROJECT / PROGRAM).read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "forward(done)" in text) - 2
    (kept,) = [f for f in findings if f.line == line]
    assert "`forward` must run on the event loop's thread" in kept.block_stays
    assert "forward → schedule → `asyncio." in kept.block_stays
    timing = (PROJECT / "app" / "timing.py").read_text().splitlines()
    scheduled = next(i for i, text in enumerate(timing, 1) if "call_soon(callback)" in text)
    assert kept.block_stays.endswith(f"(app/timing.py:{scheduled})")


def test_a_blocking_helper_that_needs_the_loop_gets_no_fix_at_all(findings):
    """DBK801's fix (unsafe: the helper runs in a worker thread) would run ``stamped`` where
    no loop runs, and its ``schedule`` raise there: no fix, with the reason."""
    lines = (PROJECT / PROGRAM).read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "# no fix" in text)
    (helper,) = [f for f in findings if f.line == line]
    assert helper.code == "DBK801" and helper.strategy is None and helper.unsafe_strategy is None
    assert helper.declined.startswith(
        "`stamped` must run on the event loop's thread: stamped → schedule → "
    )
