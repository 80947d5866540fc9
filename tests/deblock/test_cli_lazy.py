"""The CLI imports a subcommand only when it runs, and a missing one fails cleanly."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from deblock import cli


def test_a_one_file_check_imports_no_fixer_no_process_pool_no_ignore_patterns(project, imported):
    # no pathspec: the file's project (the copy's) is walked for the modules that import
    # it (``project.importers``), honouring .gitignore files as its run does; a project of
    # the file alone: its fixes of file calls would take in all other modules (``shared_io``)
    root = project("blocking.py")
    (root / "pyproject.toml").write_text('[project]\nname = "blocking"\n')
    heavy = ("libcst", "deblock.fixer", "multiprocessing", "concurrent.futures")
    heavy += ("_hashlib",)  # OpenSSL's hashes: the digests are BLAKE2b's, built in
    heavy += ("deblock.uninterrupted", "signal")  # signals are held off around forks only
    assert imported(["check", "--no-cache", "-q", "blocking.py"], root, heavy)[1] == []


def test_a_file_without_findings_imports_none_of_the_analysis_that_weighs_findings(
    project, imported
):
    """What judges a finding's fix (its deliberate comments, patches, open blocks, locks
    held, affine results, …) is imported only for a file that has one: a typical module
    of the pre-commit case has none."""
    weighing = ("affinity", "apart_twins", "argument_codes", "client_switch", "deliberate")
    weighing += ("expected_raises", "handed_state", "held_locks", "lock_reentries")
    weighing += ("moved_blocks", "nonblocking", "open_forms", "patches", "plain_text")
    weighing += ("section_heads", "steady_tests", "unbound")
    weighing += ("raced_cleanup", "shared_iterations", "signal_readers", "sleep_delays")
    weighing += ("guarded_gets", "loaded_reads")  # queues' sizes read, boto3's modules
    modules = (*(f"deblock.analysis.{name}" for name in weighing), "deblock.output.text")
    modules += ("deblock.project.async_library",)
    args = ["check", "--no-cache", "--format", "json", "quiet_service.py"]
    output, loaded = imported(args, project("quiet_service.py"), modules)
    assert output == "[]\n" and loaded == []


def test_a_check_without_a_configuration_imports_no_toml_parser(project, imported):
    root = project("blocking.py")
    args = ["check", "--cache-dir", "cache", "-q", "blocking.py"]
    assert imported(args, root, ("tomllib", "tomli"))[1] == []
    (root / "empty.toml").write_text(" \n\n")
    args = ["check", "--config", "empty.toml", "--format", "json", "blocking.py"]
    output, parsers = imported(args, root, ("tomllib", "tomli"))
    assert parsers == [] and json.loads(output)


@pytest.mark.parametrize(
    ("dependencies", "parsed", "form"),
    [('["httpx"]', [], "thread"), ('["AioFiles>=23"]', ["tomllib"], "aiofiles.open")],
)
def test_a_project_s_pyproject_toml_is_parsed_only_when_it_may_name_what_a_fix_asks_about(
    project, imported, dependencies, parsed, form
):
    """Whether a project depends on aiofiles settles an open block's fix: a ``pyproject.toml``
    whose text cannot name it is not parsed (nor the TOML parser imported)."""
    root = project("../fixer/fixtures/cli/reader.py")  # an open block in a coroutine
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "app"\ndependencies = {dependencies}\n'
    )
    (root / "empty.toml").write_text("")
    args = ["check", "--config", "empty.toml", "--format", "json", "reader.py"]
    output, parsers = imported(args, root, ("tomllib", "tomli"))
    assert parsers == parsed
    assert [f["open_form"] for f in json.loads(output) if f["open_form"]] == [form]


def test_a_warm_run_imports_no_analyzer_and_a_cache_is_written_without_tempfile(
    project, tmp_path, imported
):
    args = ["check", "--cache-dir", str(tmp_path), "-q", "blocking.py"]
    analyzer = (
        "deblock.analysis.checker",
        "deblock.analysis.sections",
        "deblock.analysis.summary",
        "deblock.analysis.walker",
        "deblock.project.findings",
    )
    filling = imported(args, project("blocking.py"), (*analyzer, "tempfile"))[1]
    assert filling == sorted(analyzer)
    assert list(tmp_path.rglob("*.json")) and not list(tmp_path.rglob("*.tmp"))
    assert imported(args, project("blocking.py"), analyzer)[1] == []


def test_a_warm_run_whose_project_pass_declines_loop_bound_calls_imports_no_analyzer(
    project, imported
):
    """The calls a fix would move into a thread that need the event loop's thread are
    declined in every run, from the cache too: weighing what that leaves on the loop reads
    findings alone."""
    root = project("../fixer/fixtures/runtime_declined/loop_bound")
    args = ["check", "--cache-dir", "cache", "-q", "."]
    analyzer = ("deblock.analysis.checker", "deblock.analysis.sections")
    filled, _ = imported(args, root, analyzer)
    warm, loaded = imported(args, root, analyzer)
    assert loaded == [] and warm == filled and "DBK" in warm


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


def test_a_subcommand_imports_with_the_collector_paused_and_resumed_after(monkeypatch, fixtures):
    monkeypatch.syspath_prepend(str(fixtures / "commands"))
    monkeypatch.setitem(cli.COMMANDS, "check", "collector_state_command:check")
    enabled = gc.isenabled()
    gc.enable()
    try:
        result = CliRunner().invoke(cli.main, ["check"])
        assert gc.isenabled()
    finally:
        if not enabled:
            gc.disable()
    assert result.output == "collecting while imported: False\n"


def test_a_run_over_files_without_async_imports_no_project_pass(project, imported):
    """No module is summarised, so no call site is there to judge: neither the project pass
    nor the analyzer it would import is loaded, without a cache and with one."""
    root = project("sync_only.py")
    judge = ("deblock.analysis.checker", "deblock.project.findings", "deblock.project.namespaces")
    for cache in (["--no-cache"], ["--cache-dir", "cache"], ["--cache-dir", "cache"]):
        args = ["check", *cache, "--format", "json", "sync_only.py"]
        assert imported(args, root, judge) == ("[]\n", [])


@pytest.mark.parametrize(
    ("module", "how"),
    [
        ("deblock.collector", "import"),
        ("deblock.exit_status", "import"),
        ("deblock.cli", "import"),
        ("deblock.runner", "import"),
        ("deblock.runner", "class"),
    ],
)
def test_ctrl_c_ends_a_run_with_one_line_and_status_130(fixtures, project, module, how):
    """Wherever Ctrl-C comes (the console script's first import of the program's own
    modules, the command line importing, the subcommand importing, a class being made,
    which Python reports as a RuntimeError), the run says so in one line and exits as a
    shell reports an interrupted run; no traceback, no "internal error", not 1 (findings
    left)."""
    pressed = [sys.executable, str(fixtures / "ctrl_c_at_import.py"), module, how]
    ran = subprocess.run(
        [*pressed, "check", "blocking.py"],
        cwd=project("blocking.py"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (ran.returncode, ran.stderr) == (130, "Interrupted.\n")
