"""Every fixture file declares its expected findings with ``# expect: CODE[, CODE]`` comments."""

from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

from deblock.analysis import analyze_source

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_fixture_reports_exactly_the_expected_findings(fixture: Path):
    source = fixture.read_text(encoding="utf-8")
    report = analyze_source(source, str(fixture))
    found = Counter(("", f.line, f.code) for f in report.findings)
    assert found == expected_findings(source)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*_valid.py")), ids=lambda p: p.stem)
def test_valid_fixtures_expect_nothing(fixture: Path):
    assert not expected_findings(fixture.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*_invalid.py")), ids=lambda p: p.stem)
def test_invalid_fixtures_expect_something(fixture: Path):
    assert expected_findings(fixture.read_text(encoding="utf-8"))
