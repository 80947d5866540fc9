"""Helpers for the CLI tests: fixture files, and `deblock` run as a real subprocess."""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fixture_copies import copied
from resident_servers import ask_server

FIXTURES = Path(__file__).parent / "fixtures"
SCRIPT = Path(sys.executable).with_name("deblock")
# tests of projects that import one another: run by their own test, with the projects on
# the path (``fixer/test_fix_reached_projects_runtime.py``), of a project installed only
# in the environment its test makes (``project/test_installed_copy.py``), or a project's own
# test only checked, never run (``test_layout_record.py``)
collect_ignore_glob = [
    "fixer/fixtures/cli/reached_projects/*",
    "project/fixtures/installed_copy/*",
    "fixtures/layout_record/*",
]


@pytest.fixture
def python_sigint():
    """SIGINT raising ``KeyboardInterrupt``, as Python sets it up, for this test: a shell
    starts a background job with SIGINT ignored, and Python then installs no handler."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def server_runtime() -> Iterator[dict[str, str]]:
    """An environment whose resident servers (`deblock check --server`) live in a fresh,
    short directory (a socket's path has ~100 bytes at most); those left are stopped."""
    folder = tempfile.mkdtemp(prefix="dbk", dir="/tmp")
    yield {**os.environ, "XDG_RUNTIME_DIR": folder}
    for path in Path(folder).glob("deblock-*/*.sock"):
        ask_server(path, {"op": "stop"})
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fixtures() -> Path:
    """The directory of fixture files (read-only: copy before changing)."""
    return FIXTURES


@pytest.fixture
def deblock() -> Callable[..., subprocess.CompletedProcess]:
    """Run the installed `deblock` console script; ``input`` is bytes for stdin."""

    def run(*args: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess:
        command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "deblock"]
        completed = subprocess.run(
            [*command, *args], cwd=cwd, input=input, capture_output=True, timeout=120
        )
        completed.stdout = completed.stdout.decode()
        completed.stderr = completed.stderr.decode()
        assert "Traceback" not in completed.stderr, completed.stderr
        return completed

    return run


@pytest.fixture
def imported() -> Callable[..., tuple[str, list[str]]]:
    """Run ``deblock`` with ``args`` in a fresh interpreter: its output, and which of
    ``modules`` it imported."""

    def run(args: list[str], cwd: Path, modules: tuple[str, ...]) -> tuple[str, list[str]]:
        probe = (
            "import sys\n"
            "from deblock.cli import main\n"
            "try:\n"
            f"    main({args!r})\n"
            "except SystemExit:\n"
            "    pass\n"
            f"print(sorted(m for m in {modules!r} if m in sys.modules), file=sys.stderr)\n"
        )
        ran = subprocess.run(
            [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=True
        )
        return ran.stdout, ast.literal_eval(ran.stderr.splitlines()[-1])

    return run


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Copy fixture files (paths relative to the fixtures dir) into a temporary project."""

    def copy(*names: str, into: str = "") -> Path:
        for name in names:
            copied(FIXTURES / name, tmp_path / into)
        return tmp_path

    return copy
