"""A module's summary reads back from its cached JSON form as the summary it was."""

import json
from pathlib import Path

import pytest

from deblock.analysis import analyze_source
from deblock.analysis.summary import ModuleSummary

FIXTURES = Path(__file__).parents[1] / "fixer" / "fixtures"
PROGRAMS = sorted(FIXTURES.glob("runtime*/**/*.py"))


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_summary_survives_its_json_form(path):
    summary = analyze_source(path.read_text(), path.name).summary
    assert ModuleSummary.from_dict(json.loads(json.dumps(summary.to_dict()))) == summary
