"""The README stays true to the code: its rules table and its set-up commands."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rules_table_is_the_one_deblock_prints():
    table = subprocess.run(
        [sys.executable, "-m", "deblock", "rules", "--format", "markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert table in README


def test_ci_runs_the_readme_test_command():
    assert "scripts/test" in README and "scripts/demo" in README
    assert "exec scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_the_fix_example_is_what_deblock_fix_prints(tmp_path):
    example = README.split("$ deblock fix examples/service\n", 1)[1].split("```", 1)[0]
    shutil.copytree(ROOT / "examples" / "service", tmp_path / "examples" / "service")
    ran = subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", "examples/service"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert ran.stdout == example
