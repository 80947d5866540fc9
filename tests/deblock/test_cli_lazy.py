"""The CLI imports a subcommand only when it runs, and a missing one fails cleanly."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from deblock import cli


def test_a_one_file_check_imports_no_fixer_no_process_pool_no_ignore_patterns(fixtures):
    probe = (
        "import sys\n"
        "from deblock.cli import main\n"
        "try:\n"
        "    main(['check', '--no-cache', '-q', 'blocking.py'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('libcst', 'deblock.fixer', 'multiprocessing', 'concurrent.futures', 'pathspec')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=fixtures, capture_output=True, text=True, check=True
    )
    assert ran.stdout.splitlines()[-1] == "[]"


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
