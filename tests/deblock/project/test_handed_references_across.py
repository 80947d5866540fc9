"""A project's function handed by reference to a library function that calls it
(``map(self.read, paths)``, ``sorted(items, key=settled)``) is a call site of the project
pass, as a direct call is: a finding where what it runs blocks further down, fixable only
where the call a fix runs in a thread makes every call of it (``# whole``), not where a lazy
result is iterated later (``# kept``); a thread bridge handing one is no DBK805."""

import shutil
from collections import Counter
from pathlib import Path

from expectations import expected_findings

from deblock.config import load_settings
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "handed_references"
PROGRAM = "shelf/program.py"


def test_handed_project_functions_are_found_and_fixed_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(shutil.copytree(PROJECT, tmp_path / "project"))
    findings = analyze_paths(["."], load_settings(["."]), jobs=1).files.get(PROGRAM, [])
    source = (PROJECT / PROGRAM).read_text()
    assert Counter((PROGRAM, f.line, f.code) for f in findings) == expected_findings(
        source, PROGRAM
    )
    marked = {
        number: "# whole" in line
        for number, line in enumerate(source.splitlines(), start=1)
        if "# whole" in line or "# kept" in line
    }
    assert {f.line: f.fixable for f in findings} == marked
