"""A blocking function handed by reference (``map(Path.read_text, paths)``) is fixable only
where the call a fix runs in a thread makes every call of it (``# whole``), not where a lazy
result is iterated later or its rule's fix is no thread (``# kept``), as the fixture's
lines are marked."""

from pathlib import Path

from deblock.analysis import analyze_source

CASE = Path(__file__).parent / "fixtures" / "handed_references_invalid.py"


def test_only_calls_run_whole_are_fixable():
    source = CASE.read_text()
    marked = {
        number: "whole" in line
        for number, line in enumerate(source.splitlines(), start=1)
        if "# whole" in line or "# kept" in line
    }
    findings = analyze_source(source, str(CASE)).findings
    assert {f.line: f.fixable for f in findings} == marked
