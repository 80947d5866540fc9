"""The CLI imports a subcommand only when it runs, and a missing one fails cleanly."""

from __future__ import annotations

import ast
import subprocess
import sys

from click.testing import CliRunner

from deblock import cli


def _imported(args: list[str], cwd, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a ``deblock`` run with ``args`` (in this process) imported."""
    probe = (
        "import sys\n"
        "from deblock.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=True
    )
    return ast.literal_eval(ran.stdout.splitlines()[-1])


def test_a_one_file_check_imports_no_fixer_no_process_pool_no_ignore_patterns(fixtures):
    heavy = ("libcst", "deblock.fixer", "multiprocessing", "concurrent.futures", "pathspec")
    assert _imported(["check", "--no-cache", "-q", "blocking.py"], fixtures, heavy) == []


def test_a_warm_run_imports_no_analyzer(fixtures, tmp_path):
    args = ["check", "--cache-dir", str(tmp_path), "-q", "blocking.py"]
    analyzer = ("deblock.analysis.checker", "deblock.project.findings")
    assert _imported(args, fixtures, analyzer) == list(analyzer)  # filling the cache
    assert _imported(args, fixtures, analyzer) == []


def test_a_subcommand_whose_module_is_missing_fails_cleanly(monkeypatch):
    monkeypatch.setitem(cli.COMMANDS, "fix", "deblock.not_built_yet.command:fix")
    help_text = CliRunner().invoke(cli.main, ["--help"]).output
    assert "fix      (not available: No module named 'deblock.not_built_yet')" in help_text
    result = CliRunner().invoke(cli.main, ["fix", "--diff", "."])
    assert result.exit_code == 2
    assert "`deblock fix` is not available in this installation" in result.output


def test_a_subcommand_missing_a_dependency_fails_cleanly(monkeypatch, fixtures):
    monkeypatch.syspath_prepend(str(fixtures / "commands"))
    monkeypatch.setitem(cli.COMMANDS, "check", "broken_command:check")
    result = CliRunner().invoke(cli.main, ["check"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: `deblock check` is not available in this installation "
        "(No module named 'no_such_dependency_for_deblock_tests')\n"
    )
