"""Project-wide findings through `deblock check`: cached runs, noqa."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

SHOP = Path(__file__).parent / "fixtures" / "shop"


@pytest.fixture
def shop(tmp_path):
    shutil.copytree(SHOP, tmp_path / "shop")
    return tmp_path / "shop"


def check(cwd: Path, *args: str) -> list[dict]:
    run = subprocess.run(
        [sys.executable, "-m", "deblock", "check", "--format", "json", *args, "."],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


def expected_chains(shop: Path) -> int:
    """How many DBK801 findings the fixture package's ``# expect`` comments announce."""
    expected = sum((expected_findings(p.read_text()) for p in shop.rglob("*.py")), Counter())
    return sum(n for (_, _, code), n in expected.items() if code == "DBK801")


def codes(findings: list[dict]) -> list[tuple[str, int, str]]:
    return sorted((f["path"], f["line"], f["code"]) for f in findings)


def test_cold_and_warm_runs_report_the_same_project_findings(shop):
    cold = check(shop)
    warm = check(shop)
    assert codes(cold) == codes(warm)
    chained = [f for f in warm if f["code"] == "DBK801"]
    assert len(chained) == expected_chains(shop)
    assert any("helper_chain → _pause → time.sleep" in f["message"] for f in chained)


def test_noqa_silences_a_project_finding(shop):
    handlers = shop / "shop" / "handlers.py"
    text = handlers.read_text()
    handlers.write_text(
        text.replace("helper_chain(path)  # expect: DBK801", "helper_chain(path)  # noqa: DBK801")
    )
    found = check(shop, "--no-cache")
    lines = [f["line"] for f in found if (f["path"], f["code"]) == ("shop/handlers.py", "DBK801")]
    assert 19 not in lines and 20 in lines


def test_a_helper_module_without_coroutines_is_still_followed(shop):
    (shop / "shop" / "utils" / "disk.py").write_text(
        (shop / "shop" / "utils" / "disk.py").read_text().replace("async def save", "def save_sync")
    )
    found = check(shop, "--no-cache", "--select", "DBK801")
    assert ("shop/handlers.py", 19, "DBK801") in codes(found)


def test_warm_runs_reuse_project_findings_until_a_module_changes(shop):
    check(shop, "--cache-dir", "cache")
    (stored,) = (shop / "cache").glob("*/*.project")
    data = json.loads(stored.read_text())
    for findings in data["found"]["files"].values():
        for finding in findings:
            finding["message"] = "from the cache"
    stored.write_text(json.dumps(data))
    warm = check(shop, "--cache-dir", "cache")
    assert {f["message"] for f in warm if f["code"] == "DBK801"} == {"from the cache"}
    disk = shop / "shop" / "utils" / "disk.py"
    disk.write_text(disk.read_text() + "\n# changed\n")
    changed = check(shop, "--cache-dir", "cache")
    assert "from the cache" not in {f["message"] for f in changed}
    assert len([f for f in changed if f["code"] == "DBK801"]) == expected_chains(shop)


def test_a_lost_summary_file_is_rebuilt_from_the_sources(shop):
    check(shop, "--cache-dir", "cache")
    (summaries,) = (shop / "cache").glob("*/*.summaries")
    shutil.rmtree(summaries)
    handlers = shop / "shop" / "handlers.py"
    handlers.write_text(handlers.read_text() + "\n# changed\n")
    found = check(shop, "--cache-dir", "cache")
    assert len([f for f in found if f["code"] == "DBK801"]) == expected_chains(shop)
