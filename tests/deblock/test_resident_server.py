"""`deblock check --server` and `deblock server`: real servers, real sockets, real
subprocesses, each test with a runtime directory of its own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import deblock

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and Unix sockets")

Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def runtime(server_runtime: dict[str, str]) -> dict[str, str]:
    """The servers' directory of the test, and no ``PYTHONPATH`` but the test's own."""
    server_runtime.pop("PYTHONPATH", None)
    return server_runtime


@pytest.fixture
def run(runtime: dict[str, str]) -> Run:
    """Run `deblock ARGS` (``python -m deblock``, so a ``PYTHONPATH`` in ``env`` chooses
    the copy of deblock) in ``cwd``."""

    def deblock_(*args: str, cwd: Path, env: dict | None = None, input=None, umask=-1):
        ran = subprocess.run(
            [sys.executable, "-m", "deblock", *args],
            cwd=cwd,
            env=env or runtime,
            input=input,
            capture_output=True,
            timeout=120,
            umask=umask,
        )
        assert b"Traceback" not in ran.stderr, ran.stderr.decode()
        return ran

    return deblock_


def _status(run: Run, cwd: Path, env: dict | None = None) -> dict | None:
    """The server's pid and runs, from `deblock server status`; None if none runs."""
    ran = run("server", "status", cwd=cwd, env=env)
    if ran.returncode:
        assert b"not running" in ran.stdout
        return None
    words = ran.stdout.decode().replace(",", "").split()
    return {
        "pid": int(words[words.index("(pid") + 1]),
        "runs": int(words[words.index("runs)") - 1]),
    }


def _wait_for_server(run: Run, cwd: Path, env: dict | None = None) -> dict:
    for _ in range(300):
        status = _status(run, cwd, env)
        if status:
            return status
        time.sleep(0.05)
    raise AssertionError("no server started")


def test_a_check_through_the_server_reports_as_one_run_here(project, run):
    root = project("blocking.py", "clean.py", "unsafe_only.py")
    args = ["check", "--no-cache", "--format", "json", "."]
    here = run(*args, cwd=root)
    assert _status(run, root) is None
    first = run(*args, "--server", cwd=root)  # runs here, and starts the server
    started = _wait_for_server(run, root)
    served = [run(*args, "--server", cwd=root) for _ in range(2)]
    assert _status(run, root) == {"pid": started["pid"], "runs": started["runs"] + 2}
    findings = json.loads(here.stdout)
    assert here.returncode == 1 and {f["path"] for f in findings} >= {"blocking.py"}
    for other in (first, *served):
        assert (other.returncode, other.stdout, other.stderr) == (1, here.stdout, here.stderr)


def test_the_server_runs_in_the_client_s_directory_environment_and_streams(project, run, runtime):
    root = project("blocking.py", "clean.py")
    run("server", "start", cwd=root)
    runs = _wait_for_server(run, root)["runs"]
    relative = run("check", "--server", "--no-cache", "clean.py", cwd=root)
    assert relative.returncode == 0 and b"All checks passed" in relative.stdout
    source = (root / "blocking.py").read_bytes()
    piped = run("check", "--server", "--stdin-filename", "in.py", cwd=root, input=source)
    assert piped.returncode == 1 and piped.stdout.startswith(b"in.py:5:5: DBK101")
    usage = run("check", "--server", "--format", "xml", cwd=root)
    assert usage.returncode == 2 and b"Invalid value for '--format'" in usage.stderr
    (root / "pyproject.toml").write_text('[tool.deblock]\nselect = ["DBK2"]\n')
    configured = run("check", "--server", "--no-cache", "blocking.py", cwd=root)
    assert b"DBK101" not in configured.stdout and b"DBK2" in configured.stdout
    private = run("check", "--server", "--cache-dir", "private", "clean.py", cwd=root, umask=0o077)
    cached = [p for p in (root / "private").rglob("*") if p.is_file()]
    assert private.returncode == 0 and cached
    assert {p.stat().st_mode & 0o077 for p in cached} == {0}
    debug = run("check", "--server", "--format", "json", "blocking.py", cwd=root,
                env={**runtime, "DEBLOCK_DEBUG": "1"})  # fmt: skip
    assert debug.returncode == 1
    assert _status(run, root)["runs"] == runs + 6


def test_a_fix_through_the_server_rewrites_as_one_run_here(project, run):
    """`deblock fix --server` (the deblock-fix-server hook): the same diff, files and exit
    status as a fix run here, in a server that has imported LibCST and the codemods."""
    root = project("blocking.py", "unsafe_only.py")
    original = {p.name: p.read_bytes() for p in root.glob("*.py")}
    here = [run("fix", *args, "--no-cache", ".", cwd=root) for args in (["--diff"], [])]
    fixed = {p.name: p.read_bytes() for p in root.glob("*.py")}
    assert here[0].returncode == 1 and b"+++ b/blocking.py" in here[0].stdout
    assert fixed["blocking.py"] != original["blocking.py"]
    run("server", "start", cwd=root)
    runs = _wait_for_server(run, root)["runs"]
    for name, text in original.items():
        (root / name).write_bytes(text)
    served = [
        run("fix", *args, "--server", "--no-cache", ".", cwd=root) for args in (["--diff"], [])
    ]
    assert {p.name: p.read_bytes() for p in root.glob("*.py")} == fixed
    for ours, theirs in zip(served, here, strict=True):
        assert (ours.returncode, ours.stdout, ours.stderr) == (
            theirs.returncode,
            theirs.stdout,
            theirs.stderr,
        )
    assert _status(run, root)["runs"] == runs + 2


def test_the_server_s_code_stamp_covers_the_codemods():
    """A change to a codemod stales the server as a change to deblock's own files does:
    in an editable install the codemods stand outside deblock's directory."""
    import deblock.codemods
    from deblock.resident.server import code_stamp

    files = dict(code_stamp()[2])
    assert str(Path(deblock.codemods.__file__)) in files
    assert str(Path(deblock.__file__)) in files


def test_concurrent_checks_through_the_server_each_report_their_own(project, run, runtime):
    root = project("blocking.py", "clean.py", "unsafe_only.py")
    run("server", "start", cwd=root)
    _wait_for_server(run, root)
    names = ["blocking.py", "clean.py", "unsafe_only.py"] * 3
    expected = {name: run("check", "--no-cache", name, cwd=root) for name in names[:3]}
    command = [sys.executable, "-m", "deblock", "check", "--server", "--no-cache"]
    clients = [
        subprocess.Popen([*command, name], cwd=root, env=runtime, stdout=subprocess.PIPE)
        for name in names
    ]
    for name, client in zip(names, clients, strict=True):
        assert client.communicate(timeout=60)[0] == expected[name].stdout
        assert client.returncode == expected[name].returncode
    assert _status(run, root)["runs"] == len(names)


def test_a_server_whose_deblock_changed_stops_and_the_run_happens_here(project, run, runtime):
    """The server answers a run ``stale`` once deblock's code differs from what it
    imported: the client runs the check itself, and starts a server of the new code."""
    root = project("blocking.py")
    copy = Path(tempfile.mkdtemp(prefix="dbk-src"))
    try:
        shutil.copytree(Path(deblock.__file__).parent, copy / "deblock")
        env = {**runtime, "PYTHONPATH": str(copy)}
        run("server", "start", cwd=root, env=env)
        old = _wait_for_server(run, root, env)
        rules = copy / "deblock" / "rules" / "sleep.py"
        rules.write_text(rules.read_text().replace("blocks the event loop", "stalls the loop"))
        ran = run("check", "--server", "--no-cache", "blocking.py", cwd=root, env=env)
        assert ran.returncode == 1 and b"`time.sleep` stalls the loop" in ran.stdout
        new = _wait_for_server(run, root, env)
        assert new["pid"] != old["pid"] and new["runs"] == 0
        served = run("check", "--server", "--no-cache", "blocking.py", cwd=root, env=env)
        assert served.stdout == ran.stdout and _status(run, root, env)["runs"] == 1
    finally:
        shutil.rmtree(copy)


def test_start_status_stop(project, run):
    root = project("clean.py")
    assert run("server", "stop", cwd=root).stdout == b"deblock server: not running\n"
    started = run("server", "start", "--idle", "5", cwd=root)
    assert started.returncode == 0 and b"started (pid" in started.stdout
    assert b"already running" in run("server", "start", cwd=root).stdout
    status = run("server", "status", cwd=root)
    assert b"stops after 5 min idle, 0 runs" in status.stdout
    assert run("server", "stop", cwd=root).stdout == b"deblock server: stopped\n"
    for _ in range(100):
        if _status(run, root) is None:
            break
        time.sleep(0.05)
    assert run("server", "status", cwd=root).returncode == 1


def test_an_idle_server_stops_and_removes_its_socket(runtime, tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-m", "deblock.resident.server", "--idle", "1"], env=runtime
    )
    assert server.wait(timeout=60) == 0
    assert list(Path(runtime["XDG_RUNTIME_DIR"]).glob("deblock-*/*.sock")) == []


def test_a_client_that_ends_interrupts_its_run(project, run, runtime):
    """Ctrl-C ends the client only (the server's child runs in the server's session): its
    connection's end interrupts the child, which stops rather than finishing the check."""
    root = project("blocking.py")
    (root / "slow").mkdir()
    for index in range(1000):  # a run of several seconds
        shutil.copyfile(root / "blocking.py", root / "slow" / f"m{index}.py")
    run("server", "start", cwd=root)
    _wait_for_server(run, root)
    command = [
        sys.executable,
        "-m",
        "deblock",
        "check",
        "--server",
        "--no-cache",
        "-j",
        "1",
        "slow",
    ]
    client = subprocess.Popen(
        command,
        cwd=root,
        env=runtime,
        stdout=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # background: ignored
    )
    for _ in range(200):
        children = _server_children(runtime)
        if children:
            break
        time.sleep(0.05)
    assert len(children) == 1 and client.poll() is None
    client.send_signal(signal.SIGINT)
    assert client.wait(timeout=30) == 130  # as a run here would end
    for _ in range(100):
        if not _alive(children[0]):
            break
        time.sleep(0.05)
    assert not _alive(children[0])


def _server_children(runtime: dict) -> list[int]:
    """The processes the test's server forked (its runs)."""
    folder = runtime["XDG_RUNTIME_DIR"].encode()
    ran = subprocess.run(["pgrep", "-f", "deblock.resident.server"], capture_output=True, text=True)
    pids = [int(p) for p in ran.stdout.split() if folder in Path(f"/proc/{p}/environ").read_bytes()]
    return [p for p in pids if _parent(p) in pids]


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_runtime_directory_others_may_enter_is_not_used(project, run, runtime):
    root = project("blocking.py")
    folder = Path(runtime["XDG_RUNTIME_DIR"], f"deblock-{os.getuid()}")
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    started = run("server", "start", cwd=root)
    assert started.returncode == 2 and b"is not this user's alone" in started.stderr
    ran = run("check", "--server", "--no-cache", "blocking.py", cwd=root)
    assert ran.returncode == 1 and b"DBK101" in ran.stdout
    assert b"is not this user's alone: no resident server" in ran.stderr
    assert list(folder.iterdir()) == []
