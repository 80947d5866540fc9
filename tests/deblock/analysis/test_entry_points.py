"""A module's summary says whether it runs as a program: a ``__main__`` block, or a loop
run by one of its top-level statements."""

import ast
from pathlib import Path

import pytest

from deblock.analysis import analyze_source
from deblock.analysis.entry_points import entry_coroutines

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


def test_the_program_s_first_tasks_are_the_coroutines_its_top_level_runs():
    """What a top-level statement, or one in its ``__main__``/``try`` blocks, hands to a loop
    runner (an argument of ``sys.exit`` too) runs as the program's first task; a runner
    called inside a function does not."""
    case = ENTRY_POINTS / "program_first_tasks.py"
    tree = ast.parse(case.read_text(encoding="utf-8"))
    assert entry_coroutines(tree) == {"main", "serve", "check"}
