"""A safe fix never makes a coroutine that never suspended await where a caller relies on
it: a caller that reads and writes one resource (a file, ``self.x``) across its awaits of
such coroutines keeps them whole, in its module or another, and through what they await
in turn; the caller's own fixes in such a run too; and of a coroutine that suspends, the
statements it runs after its last suspension, with the caller's after the await."""

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

from deblock.config import load_settings
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "atomic_callers"
MODULES = ("atomic_app/program.py", "atomic_app/journal.py")


@pytest.fixture
def files(tmp_path, monkeypatch):
    shutil.copytree(PROJECT, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return analyze_paths(["."], load_settings(["."]), jobs=1).files


def _marked(module: str, mark: str) -> list[int]:
    lines = (PROJECT / module).read_text().splitlines()
    return [number for number, text in enumerate(lines, 1) if f"# {mark}  #" in text]


@pytest.mark.parametrize("module", MODULES)
def test_the_findings_are_the_expected_ones(files, module):
    found = Counter((module, f.line, f.code) for f in files[module])
    assert found == expected_findings((PROJECT / module).read_text(), module)


@pytest.mark.parametrize("module", MODULES)
def test_fixes_that_would_split_a_caller_s_atomic_run_are_offered_as_unsafe(files, module):
    by_line = {f.line: f for f in files[module]}
    torn = _marked(module, "torn")
    assert torn
    for line in torn:
        finding = by_line[line]
        assert not finding.strategy and finding.unsafe_strategy, finding
        assert "across awaits of coroutines that never suspend" in finding.declined
    for line in _marked(module, "suspending"):  # what a suspending callee runs after its last
        finding = by_line[line]
        assert not finding.strategy and finding.unsafe_strategy, finding
        assert "before its first suspension or after its last run with it" in finding.declined
    for line in _marked(module, "started"):  # other coroutines' first runs read it before
        finding = by_line[line]
        assert not finding.strategy and finding.unsafe_strategy, finding
        assert "touches too in its first run" in finding.declined
    for line in _marked(module, "fixed"):  # spared by the callers
        finding = by_line[line]
        # beside a torn call left on the loop, where the module's lock does not reach
        beside = re.match(r"line (\d+) touches the file system too", finding.declined or "")
        assert finding.strategy or (beside and int(beside[1]) in torn), finding


def test_the_reason_names_the_caller_and_what_it_reads_and_writes(files):
    by_line = {f.line: f for f in files["atomic_app/program.py"]}
    (load, save, *_) = _marked("atomic_app/program.py", "torn")
    bump = _line("atomic_app/program.py", "async def bump")
    assert by_line[load].declined.startswith(
        f"`bump` (atomic_app/program.py:{bump}) reads and writes the file system"
    )
    (append, _) = _marked("atomic_app/journal.py", "torn")
    take = _line("atomic_app/program.py", "async def take")
    declined = {f.line: f.declined for f in files["atomic_app/journal.py"]}[append]
    assert declined.startswith(
        f"`take` (atomic_app/program.py:{take}) reads and writes `self.next`"
    )


def _line(module: str, text: str) -> int:
    lines = (PROJECT / module).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_a_coroutine_awaiting_itself_is_weighed_as_caller_and_callee(tmp_path, monkeypatch):
    shutil.copytree(PROJECT.parent / "self_awaiting", tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    files = analyze_paths(["."], load_settings(["."]), jobs=1).files
    codes = {path: sorted(f.code for f in found) for path, found in files.items()}
    assert codes == {"files.py": ["DBK201"], "uploads.py": ["DBK201", "DBK202"]}
    assert not any(f.strategy for found in files.values() for f in found)


def test_a_parameter_read_twice_is_said_to_maybe_hold_what_other_code_changes(
    tmp_path, monkeypatch
):
    """A caller's run reading a parameter twice (``len(log)``) is torn because the list
    handed in may be one some module changes, not because other code is known to write
    ``log``: the reason says so."""
    fixtures = Path(__file__).parents[1] / "fixer" / "fixtures" / "runtime_declined"
    shutil.copytree(fixtures / "reread_whole_parameter", tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    files = analyze_paths(["."], load_settings(["."]), jobs=1).files
    lines = Path("program.py").read_text().splitlines()
    (line,) = [number for number, text in enumerate(lines, 1) if "# torn  #" in text]
    (torn,) = [f for f in files["program.py"] if f.line == line]
    assert "reads `log` twice, which may hold an object other code changes" in torn.declined
