"""Files that cannot be read or parsed are reported, never stop the run, never print a
traceback, and make the exit code 1."""

from __future__ import annotations

import json
import os
import socket
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from deblock.analysis import AnalysisOptions
from deblock.cli import main
from deblock.file_check import check_bytes

RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.fixture
def report(deblock, project):
    ran = deblock("check", "--no-cache", "--format", "json", "bad_input", cwd=project("bad_input"))
    assert ran.returncode == 1
    return {(e["path"].removeprefix("bad_input/"), e["code"]): e for e in json.loads(ran.stdout)}


def test_every_bad_file_is_reported_and_the_good_ones_are_still_checked(report):
    assert set(report) == {
        ("bom.py", "DBK101"),
        ("crlf.py", "DBK101"),
        ("latin1_cookie.py", "DBK101"),
        ("good.py", "DBK101"),
        ("latin1_no_cookie.py", None),
        ("nul_bytes.py", None),
        ("syntax_error.py", None),
        ("newer_syntax.py", "DBK101" if sys.version_info >= (3, 12) else None),
    }


def test_bom_crlf_and_coding_cookie_keep_exact_positions(report):
    for name in ("bom.py", "crlf.py"):
        finding = report[(name, "DBK101")]
        assert (finding["line"], finding["col"], finding["end_col"]) == (5, 5, 18)
    assert report[("latin1_cookie.py", "DBK101")]["line"] == 7


def test_reasons_and_positions(report):
    assert report[("syntax_error.py", None)]["message"] == "syntax error: invalid syntax"
    assert report[("syntax_error.py", None)]["line"] == 4
    undecodable = report[("latin1_no_cookie.py", None)]
    assert undecodable["message"].startswith("cannot decode byte 0xe9 as utf-8")
    assert undecodable["line"] == 5
    assert report[("nul_bytes.py", None)]["message"].startswith("binary file (contains NUL bytes)")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="type parameters parse on 3.12+")
def test_newer_syntax_is_named_as_such(report):
    error = report[("newer_syntax.py", None)]
    assert error["message"].startswith(f"uses syntax newer than Python {RUNNING}")
    assert error["message"].endswith("not analysed")
    assert error["line"] == 4


def test_text_format_names_path_line_and_reason(deblock, project):
    ran = deblock(
        "check",
        "--no-cache",
        "bad_input/syntax_error.py",
        "bad_input/empty.py",
        cwd=project("bad_input"),
    )
    assert ran.returncode == 1
    assert ran.stdout.splitlines() == [
        "bad_input/syntax_error.py:4:18: error: syntax error: invalid syntax",
        "1 file could not be checked.",
    ]


def test_empty_file_is_clean(deblock, project):
    assert (
        deblock("check", "--no-cache", "bad_input/empty.py", cwd=project("bad_input")).returncode
        == 0
    )


def test_broken_symlink_and_symlink_loop(deblock, project):
    root = project("blocking.py")
    (root / "broken.py").symlink_to(root / "missing.py")
    (root / "loop_a.py").symlink_to(root / "loop_b.py")
    (root / "loop_b.py").symlink_to(root / "loop_a.py")
    (root / "linked.py").symlink_to(root / "blocking.py")
    (root / "dir_loop").symlink_to(root)
    ran = deblock("check", "--no-cache", ".", cwd=root)
    assert ran.returncode == 1
    errors = [line for line in ran.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "broken.py: error: broken symbolic link",
        "loop_a.py: error: symbolic link loop",
        "loop_b.py: error: symbolic link loop",
    ]
    checked = {line.split(":")[0] for line in ran.stdout.splitlines() if " DBK" in line}
    assert checked == {"blocking.py", "linked.py"}  # symlinked directories are not followed


def test_a_socket_named_like_a_module_is_not_a_regular_file(deblock, project):
    root = project("blocking.py")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "sock.py"))
    try:
        ran = deblock("check", "--no-cache", "-q", ".", cwd=root)
    finally:
        server.close()
    assert "sock.py: error: not a regular file" in ran.stdout.splitlines()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_chmod_000(deblock, project):
    root = project("blocking.py")
    (root / "blocking.py").chmod(0)
    ran = deblock("check", "--no-cache", "-q", ".", cwd=root)
    assert ran.stdout == "blocking.py: error: cannot read file: Permission denied\n"


def test_unreadable_file_simulated(project, monkeypatch):
    """Runs as root too: ``open`` is made to fail for one file, as chmod 000 would."""
    root = project("blocking.py", "clean.py")
    monkeypatch.chdir(root)
    real_open = open

    def deny(path, *args, **kwargs):
        if str(path).endswith("blocking.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    for cache in (["--no-cache"], ["--cache-dir", str(root / "cache")]):
        result = CliRunner().invoke(main, ["check", "-q", *cache, "."])
        assert result.exit_code == 1
        assert result.output == "blocking.py: error: cannot read file: Permission denied\n"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200).map(lambda b: b"async def f():\n    " + b))
def test_any_bytes_give_findings_or_an_error_never_an_exception(data):
    outcome = check_bytes(data, "fuzz.py", AnalysisOptions())
    assert outcome.error is None or not outcome.error.reason.startswith("internal error")


def test_unreadable_directory_simulated(project, monkeypatch):
    """Runs as root too: ``os.scandir`` fails for one directory, as chmod 000 would."""
    root = project("blocking.py", into="locked")
    project("clean.py")
    monkeypatch.chdir(root)
    real_scandir = os.scandir

    def deny(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr("os.scandir", deny)
    result = CliRunner().invoke(main, ["check", "-q", "--no-cache", "."])
    assert (result.exit_code, result.output) == (
        1,
        "locked: error: cannot read directory: Permission denied\n",
    )
