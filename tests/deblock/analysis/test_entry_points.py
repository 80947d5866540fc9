"""A module's summary says whether it runs as a program: a ``__main__`` block, or a loop
run by one of its top-level statements."""

from pathlib import Path

import pytest

from deblock.analysis import analyze_source

ENTRY_POINTS = Path(__file__).parent / "fixtures" / "entry_points"


@pytest.mark.parametrize("case", sorted(ENTRY_POINTS.glob("*.py")), ids=lambda p: p.stem)
def test_a_module_runs_as_a_program_only_on_evidence_in_its_top_level(case):
    summary = analyze_source(case.read_text(encoding="utf-8"), str(case)).summary
    assert summary.program is case.stem.startswith("program_")


def test_the_summary_keeps_the_fact_through_its_dict_form():
    case = ENTRY_POINTS / "program_runs_at_import.py"
    summary = analyze_source(case.read_text(encoding="utf-8"), str(case)).summary
    assert type(summary).from_dict(summary.to_dict()).program is True
    assert "program" not in analyze_source("x = 1\n", "lib.py").summary.to_dict()
