"""`deblock check` end to end, as a subprocess: formats, exit codes, selection, stdin."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from deblock import __version__

SLEEP = "DBK101 `time.sleep` blocks the event loop"


def test_reports_findings_as_path_line_col_code_message_and_exits_1(deblock, project):
    # alone: beside the fixtures' project, `noqa/section.py`'s open left on the loop
    # declines its file fixes (``shared_io``), as the directory run there does
    ran = deblock("check", "--no-cache", "blocking.py", cwd=project("blocking.py"))
    assert ran.returncode == 1
    lines = ran.stdout.splitlines()
    assert lines[0].startswith(f"blocking.py:5:5: {SLEEP}")
    assert lines[1].startswith("blocking.py:9:10: DBK201 ")
    assert lines[2].startswith("blocking.py:10:9: DBK202 ")
    assert lines[-1] == "Found 3 blocking calls in 1 file (3 fixable with `deblock fix`)."


def test_clean_code_exits_0(deblock, project):
    ran = deblock("check", "--no-cache", "clean.py", cwd=project("clean.py"))
    assert (ran.returncode, ran.stdout) == (0, "All checks passed!\n")


def test_checks_the_working_directory_by_default(deblock, project):
    root = project("blocking.py", "clean.py", into="pkg")
    ran = deblock("check", "--no-cache", cwd=root)
    assert ran.returncode == 1
    assert {line.split(":")[0] for line in ran.stdout.splitlines()[:-1]} == {"pkg/blocking.py"}


def test_paths_are_relative_to_the_working_directory(deblock, project):
    root = project("blocking.py", into="pkg")
    ran = deblock("check", "--no-cache", "-q", str(root / "pkg"), cwd=root)
    assert ran.stdout.startswith("pkg/blocking.py:5:5: ")
    outside = deblock("check", "--no-cache", "-q", str(root / "pkg"), cwd=root / "pkg" / "..")
    assert outside.stdout.startswith("pkg/blocking.py")


def test_quiet_prints_only_diagnostics(deblock, project):
    assert deblock("check", "--no-cache", "-q", "clean.py", cwd=project("clean.py")).stdout == ""
    ran = deblock("check", "--no-cache", "--quiet", "blocking.py", cwd=project("blocking.py"))
    assert len(ran.stdout.splitlines()) == 3


def test_json_format(deblock, project):
    ran = deblock(
        "check", "--no-cache", "--format", "json", "blocking.py", cwd=project("blocking.py")
    )
    assert ran.returncode == 1
    first = json.loads(ran.stdout)[0]
    assert first == {
        "path": "blocking.py",
        "line": 5,
        "col": 5,
        "end_line": 5,
        "end_col": 18,
        "code": "DBK101",
        "message": "`time.sleep` blocks the event loop; use `await asyncio.sleep(...)`",
        "fixable": True,
        "async_equivalent": "ASYNC251",
        "target": "time.sleep",
        "strategy": "sleep",
        "unsafe_strategy": None,
        "declined": None,
        "unsafe_because": None,
        "unfixable": None,
        "open_form": None,
        "lock": None,
    }


def test_a_finding_fixed_only_unsafely_says_why(deblock, project):
    """``input`` (its rule's only fix is unsafe) and a partial's ``time.sleep`` (its safe
    fix declined): the text and the JSON give the reason the fix is unsafe."""
    ran = deblock("check", "--no-cache", "unsafe_only.py", cwd=project("unsafe_only.py"))
    asked, paused = ran.stdout.splitlines()[:2]
    assert asked.endswith(
        "(unsafe fix: in a worker thread the prompt no longer ends at Ctrl-C, "
        "and the program waits at exit for the thread still reading a line)"
    )
    assert paused.endswith("a thread takes them whole)")
    ran = deblock(
        "check", "--no-cache", "--format", "json", "unsafe_only.py", cwd=project("unsafe_only.py")
    )
    found = json.loads(ran.stdout)
    assert found[0]["unsafe_because"].startswith("in a worker thread the prompt")
    assert found[1]["unsafe_because"] == found[1]["declined"]


def test_calls_on_a_connection_made_to_be_shared_are_named_on_its_class(deblock, project):
    """A sqlite3 connection made with ``check_same_thread=False`` has a class of its own in
    the analysis; the chain and the JSON name its calls as the user wrote them."""
    ran = deblock("check", "--no-cache", "shared_sqlite.py", cwd=project("shared_sqlite.py"))
    chained = next(line for line in ran.stdout.splitlines() if "DBK801" in line)
    assert "first_row → sqlite3.Cursor.fetchone (shared_sqlite.py:10)" in chained
    ran = deblock(
        "check",
        "--no-cache",
        "--format",
        "json",
        "shared_sqlite.py",
        cwd=project("shared_sqlite.py"),
    )
    targets = {f["target"] for f in json.loads(ran.stdout)}
    assert targets == {
        "sqlite3.Connection.execute",
        "sqlite3.Cursor.fetchone",
        "shared_sqlite.first_row",
    }


def test_json_format_lays_out_each_key_on_a_line_of_its_own(deblock, project):
    root = project("blocking.py", "bad_input/syntax_error.py", into="caf\u00e9")
    ran = deblock("check", "--no-cache", "--format", "json", ".", cwd=root)
    found = json.loads(ran.stdout)
    assert {f["code"] for f in found} == {"DBK101", "DBK201", "DBK202", None}
    assert ran.stdout == json.dumps(found, indent=2) + "\n"


def test_json_format_of_a_clean_run_is_an_empty_array(deblock, project):
    ran = deblock("check", "--no-cache", "--format", "json", "clean.py", cwd=project("clean.py"))
    assert (ran.returncode, json.loads(ran.stdout)) == (0, [])


def test_github_format_prints_workflow_annotations(deblock, project):
    ran = deblock(
        "check", "--no-cache", "--format", "github", "blocking.py", cwd=project("blocking.py")
    )
    first = ran.stdout.splitlines()[0]
    assert first == (
        "::error file=blocking.py,line=5,col=5,endLine=5,endColumn=18,title=DBK101::"
        "`time.sleep` blocks the event loop; use `await asyncio.sleep(...)`"
    )
    assert len(ran.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    ("option", "codes"),
    [
        (("--select", "DBK2"), {"DBK201", "DBK202"}),
        (("--select", "DBK101,DBK201"), {"DBK101", "DBK201"}),
        (("--select", "ASYNC230"), {"DBK201"}),
        (("--ignore", "DBK2"), {"DBK101"}),
        (("--ignore", "ASYNC251", "--ignore", "DBK202"), {"DBK201"}),
        (("--select", "DBK2", "--ignore", "DBK202"), {"DBK201"}),
        (("--select", "DBK201", "--ignore", "DBK2"), {"DBK201"}),
    ],
)
def test_select_and_ignore_take_code_prefixes(deblock, project, option, codes):
    ran = deblock(
        "check",
        "--no-cache",
        "--format",
        "json",
        *option,
        "blocking.py",
        cwd=project("blocking.py"),
    )
    assert {f["code"] for f in json.loads(ran.stdout)} == codes


@pytest.mark.parametrize(
    ("option", "lines"),
    [
        (("--select", "ASYNC212"), {8, 20}),
        (("--ignore", "ASYNC212"), {12, 16, 24, 28, 32, 36}),
        (("--select", "ASYNC221"), {24, 28}),
        (("--select", "ASYNC220"), {32, 36}),
    ],
)
def test_select_and_ignore_take_the_flake8_async_code_of_each_call(deblock, project, option, lines):
    """An httpx client's calls are ASYNC212 (as flake8-async and ruff say), a urllib3 pool's
    ASYNC211 and a module function's ASYNC210, though one rule (DBK501) finds them all;
    ``os.posix_spawn`` is ASYNC221, though DBK402 (ASYNC220) finds it, and so is an
    ``os.spawn*`` call that waits for its process (``os.P_WAIT``), not one that does not
    or whose mode nothing names."""
    ran = deblock(
        "check",
        "--no-cache",
        "--format",
        "json",
        *option,
        "flake8_async_codes.py",
        cwd=project("flake8_async_codes.py"),
    )
    assert {f["line"] for f in json.loads(ran.stdout)} == lines


def test_unknown_code_in_select_is_a_usage_error(deblock, project):
    ran = deblock("check", "--select", "XYZ1", "blocking.py", cwd=project("blocking.py"))
    assert ran.returncode == 2
    assert "--select: unknown rule code or prefix 'XYZ1'" in ran.stderr


def test_reads_stdin_with_stdin_filename(deblock, fixtures):
    source = (fixtures / "blocking.py").read_bytes()
    ran = deblock("check", "--stdin-filename", "src/app.py", cwd=fixtures, input=source)
    assert ran.returncode == 1
    assert ran.stdout.startswith(f"src/app.py:5:5: {SLEEP}")
    clean = deblock(
        "check", "--stdin-filename", "x.py", cwd=fixtures, input=b"async def f(): pass\n"
    )
    assert clean.returncode == 0


def test_missing_path_is_reported_and_fails(deblock, project):
    ran = deblock("check", "--no-cache", "clean.py", "nope.py", cwd=project("clean.py"))
    assert ran.returncode == 1
    assert "nope.py: error: no such file or directory" in ran.stdout


def test_bad_option_values_are_usage_errors(deblock, fixtures):
    assert deblock("check", "--format", "xml", cwd=fixtures).returncode == 2
    assert deblock("check", "--jobs", "0", cwd=fixtures).returncode == 2


def test_version(deblock, fixtures):
    ran = deblock("--version", cwd=fixtures)
    assert (ran.returncode, ran.stdout) == (0, f"deblock, version {__version__}\n")


def test_python_dash_m_deblock(project):
    ran = subprocess.run(
        [sys.executable, "-m", "deblock", "check", "--no-cache", "-q", "blocking.py"],
        cwd=project("blocking.py"),
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 1
    assert ran.stdout.startswith("blocking.py:5:5: DBK101")


def test_stdin_keeps_a_caller_s_atomic_run_as_a_file_check_does(deblock, fixtures, tmp_path):
    """A coroutine that never suspends, awaited where its caller reads and writes the file
    system, keeps its fixes declined when the module comes from standard input too."""
    program = fixtures.parent / "fixer/fixtures/runtime_declined/atomic_callers/program.py"
    (tmp_path / "program.py").write_bytes(program.read_bytes())
    checks = [
        deblock("check", "--no-cache", "--format", "json", "program.py", cwd=tmp_path),
        deblock(
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "program.py",
            cwd=tmp_path,
            input=program.read_bytes(),
        ),
    ]
    facts = [
        [
            (f["line"], f["strategy"], f["unsafe_strategy"], f["declined"])
            for f in json.loads(c.stdout)
        ]
        for c in checks
    ]
    assert facts[0] == facts[1]
    assert all("across awaits of coroutines that never suspend" in f[3] for f in facts[1])


def test_json_names_no_strategy_where_no_fix_can_be_written(deblock, project):
    """A twin on the package's async class and an iteration of a file: their rules' fixes
    do not apply there (``unfixable``), so no strategy reads as one."""
    ran = deblock(
        "check", "--no-cache", "--format", "json", "unfixable.py", cwd=project("unfixable.py")
    )
    found = json.loads(ran.stdout)
    assert [(f["line"], f["code"]) for f in found] == [(9, "DBK602"), (14, "DBK202")]
    for finding in found:
        assert finding["unfixable"] and not finding["fixable"]
        assert (finding["strategy"], finding["unsafe_strategy"]) == (None, None)
