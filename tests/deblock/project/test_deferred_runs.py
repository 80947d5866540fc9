"""A run's module pass leaves the runs of a module without findings unmade
(``ModuleSummary.deferred``); the project pass makes them for the modules a fix's safety
weighs (``project.deferred``), so a fix that would split a caller's run there is declined
as before."""

import shutil
from pathlib import Path

from deblock.analysis import AnalysisOptions
from deblock.config import load_settings
from deblock.file_check import check_bytes
from deblock.project.deferred import complete_demanded
from deblock.project.summaries import ModuleSummaries
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "deferred_runs"
AWAITS = Path(__file__).parent / "fixtures" / "deferred_awaits"
MODULES = ("ledger_app/ledger.py", "ledger_app/book.py", "ledger_app/shelf.py")


def _outcome(path: Path, defer: bool):
    return check_bytes(path.read_bytes(), str(path), AnalysisOptions(), defer=defer)


def test_a_module_without_findings_defers_its_runs():
    deferred = _outcome(PROJECT / "ledger_app/book.py", defer=True).summary
    whole = _outcome(PROJECT / "ledger_app/book.py", defer=False).summary
    add = "ledger_app.book.Book.add"
    assert deferred.deferred and not deferred.functions[add].runs
    assert not whole.deferred and whole.functions[add].runs
    assert not _outcome(PROJECT / "ledger_app/ledger.py", defer=True).summary.deferred  # a finding


def _only_finding(project: Path, module: str, tmp_path: Path, monkeypatch):
    """The one finding in ``module`` of a copy of ``project`` checked whole."""
    shutil.copytree(project, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    (finding,) = analyze_paths(["."], load_settings(["."]), jobs=1).files[module]
    return finding


def test_a_caller_without_findings_still_declines_the_fix_splitting_its_run(tmp_path, monkeypatch):
    finding = _only_finding(PROJECT, "ledger_app/ledger.py", tmp_path, monkeypatch)
    assert not finding.strategy and finding.unsafe_strategy
    assert finding.declined.startswith("`add` (ledger_app/book.py:")


def test_only_the_modules_a_fix_reaches_are_made_whole():
    outcomes = {module: _outcome(PROJECT / module, defer=True) for module in MODULES}
    source = ModuleSummaries(outcome.summary for outcome in outcomes.values())
    findings = {str(PROJECT / module): outcome.findings for module, outcome in outcomes.items()}
    assert complete_demanded(source, findings) == [str(PROJECT / "ledger_app/book.py")]


def test_a_deferred_summary_read_back_from_the_cache_is_made_whole_when_a_fix_needs_it(
    tmp_path, monkeypatch
):
    shutil.copytree(PROJECT, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    ledger = Path("ledger_app/ledger.py")
    fixed = ledger.read_text()
    ledger.write_text(fixed.replace("time.sleep(0.001)", "pass"))
    settings = load_settings(["."])
    assert not analyze_paths(["."], settings, jobs=1, cache_dir="cache").files[
        "ledger_app/ledger.py"
    ]
    ledger.write_text(fixed)  # book.py's deferred summary comes from the cache now
    files = analyze_paths(["."], settings, jobs=1, cache_dir="cache").files
    (finding,) = files["ledger_app/ledger.py"]
    assert not finding.strategy and finding.declined.startswith("`add` (ledger_app/book.py:")


def test_a_coroutine_awaited_in_a_run_holding_a_fix_is_made_whole(tmp_path, monkeypatch):
    finding = _only_finding(AWAITS, "counter_app/ledger.py", tmp_path, monkeypatch)
    assert not finding.strategy and finding.unsafe_strategy
    assert finding.declined.startswith("`add` (counter_app/book.py:10) reads and writes `store.")


def test_only_the_coroutines_awaited_in_a_run_holding_a_fix_are_made_whole():
    """``book.py`` made whole already: ``store.py`` is awaited in the run that awaits the
    fix, ``shelf.py`` only in one that holds none."""
    modules = ("ledger.py", "book.py", "store.py", "shelf.py")
    paths = {module: AWAITS / "counter_app" / module for module in modules}
    outcomes = {module: _outcome(path, defer=module != "book.py") for module, path in paths.items()}
    assert [m for m, o in outcomes.items() if o.summary.deferred] == ["store.py", "shelf.py"]
    source = ModuleSummaries(outcome.summary for outcome in outcomes.values())
    findings = {str(paths[module]): outcome.findings for module, outcome in outcomes.items()}
    assert complete_demanded(source, findings) == [str(paths["store.py"])]
