"""The project pass decides on demand whether an await at a call site would change the
program (``CallSite.kept``): only for the sites whose findings have a safe fix."""

import shutil
from pathlib import Path

import pytest

from deblock.analysis import analyze_source
from deblock.analysis.checker import check_module
from deblock.analysis.model import AnalysisOptions
from deblock.project.findings import project_findings
from deblock.project.summaries import ModuleSummaries

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def shop(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "shop", tmp_path, dirs_exist_ok=True)
    shutil.copy(FIXTURES / "site_kept" / "paying.py", tmp_path / "shop" / "paying.py")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(paths: list[str]) -> dict[int, object]:
    reports = [analyze_source(Path(p).read_text(), p) for p in paths]
    found = project_findings(ModuleSummaries(r.summary for r in reports))
    return {f.line: f for f in found if f.path == "shop/paying.py"}


def _paths(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))


def test_the_module_pass_leaves_kept_to_the_project_pass(shop):
    text = Path("shop/paying.py").read_text()
    options = AnalysisOptions()
    sites = [s for f in analyze_source(text, "shop/paying.py").summary.functions.values()
             for s in f.sites]  # fmt: skip
    assert [s.kept for s in sites] == [None, None]
    asked = check_module(text, "shop/paying.py", options, sites_kept=True).summary
    kept = [s.kept for f in asked.functions.values() for s in f.sites]
    assert kept[0] is None and "`finally`" in kept[1]


def test_a_safe_fix_at_a_site_in_cleanup_code_is_declined(shop):
    found = _findings(_paths(shop))
    assert (found[8].strategy, found[8].declined) == ("to-thread", None)
    assert found[12].strategy is None and "`finally`" in found[12].declined
    assert found[12].unsafe_strategy == "to-thread"


def test_a_module_changed_since_it_was_analysed_gets_no_safe_fix(shop):
    paths = _paths(shop)
    reports = [analyze_source(Path(p).read_text(), p) for p in paths]
    paying = Path("shop/paying.py")
    paying.write_text("\n" + paying.read_text())  # every call moved one line down
    found = project_findings(ModuleSummaries(r.summary for r in reports))
    on_paying = {f.line: f for f in found if f.path == "shop/paying.py"}
    assert on_paying[8].strategy is None
    assert "changed during the run" in on_paying[8].declined
