"""With Python's own SIGINT handler, Ctrl-C is raised as ``KeyboardInterrupt`` where the main
thread is: in a blocking call on the event loop's thread. In a worker thread it never would
be (the loop's wait gets it, past the handler: the bridged prompt died). A call in a ``try``
that catches it keeps its place after ``deblock fix``: interrupted at its prompt, the
program still answers."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

PROGRAM = Path(__file__).parent / "fixtures" / "interrupt" / "prompt.py"


def _interrupted(program: Path) -> tuple[int, str]:
    """The exit status and output of ``program`` sent SIGINT at its prompt (-1: killed)."""
    status, out = _sent_sigint(program, times=1)
    return (-1 if status is None or status < 0 else status), out


def _sent_sigint(program: Path, times: int) -> tuple[int | None, str]:
    """The exit status (None: still running 10 s later, then killed) and output of
    ``program`` sent SIGINT ``times`` at its prompt (with SIGINT's default action restored:
    a shell starts a background job with it ignored, and Python then installs no handler)."""
    child = subprocess.Popen(
        [sys.executable, str(program)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert child.stdout.read(2) == b"> "
    for _ in range(times):
        _blocked(child.pid)
        child.send_signal(signal.SIGINT)
        time.sleep(0.2)
    status = None
    try:  # its input stays open: closed, the read could end in EOFError before the signal
        status = child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    child.stdin.close()
    return status, child.stdout.read().decode()


def _blocked(pid: int, timeout: float = 10.0) -> None:
    """Wait until process ``pid`` sleeps (in the read of its prompt): a signal that lands
    between the prompt and the read is only acted on once the read returns."""
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + timeout
    while stat.read_text().rpartition(")")[2].split()[0] != "S" and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_call_that_expects_ctrl_c_keeps_it(tmp_path):
    fixed = tmp_path / PROGRAM.name
    shutil.copy(PROGRAM, fixed)
    ran = subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", fixed.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert _interrupted(PROGRAM) == (0, "interrupted\n")
    assert _interrupted(fixed) == (0, "interrupted\n")
    assert "KeyboardInterrupt" in ran.stdout  # left, and the reason names it


BARE = PROGRAM.with_name("bare_prompt.py")


def _ends_at_ctrl_c(program: Path) -> bool:
    """Whether ``program`` ends within 10 s once sent SIGINT twice at its prompt (under
    ``asyncio.run`` the first cancels the main task, the second raises)."""
    return _sent_sigint(program, times=2)[0] is not None


def test_a_prompt_moved_into_a_thread_no_longer_ends_at_ctrl_c_so_its_fix_is_unsafe(tmp_path):
    """DBK701's thread bridge is an unsafe fix: plain ``deblock fix`` leaves the prompt,
    which Ctrl-C ends as before; bridged (``--unsafe-fixes``), the program outlives it."""
    fixed = tmp_path / BARE.name
    shutil.copy(BARE, fixed)

    def fix(*flags: str) -> str:
        command = [sys.executable, "-m", "deblock", "fix", "--no-cache", *flags, fixed.name]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True).stdout

    assert "DBK701" in fix() and fixed.read_text() == BARE.read_text()
    assert _ends_at_ctrl_c(BARE) and _ends_at_ctrl_c(fixed)
    fix("--unsafe-fixes")
    assert "await asyncio.to_thread(input" in fixed.read_text()
    assert not _ends_at_ctrl_c(fixed)


def test_console_reads_moved_by_the_unsafe_fix_read_the_same_lines_and_free_the_loop(tmp_path):
    """``sys.stdin.readline()`` and ``read()`` (DBK701) get ``input``'s unsafe fix: fed the
    same lines, slowly, the fixed program reads what the original read, and its loop runs
    other tasks while it waits (the original's ticker never ran)."""
    program = PROGRAM.parent / "stdin_lines.py"
    fixed = tmp_path / program.name
    shutil.copy(program, fixed)
    subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--unsafe-fixes", "--no-cache", str(fixed)],
        check=True,
        capture_output=True,
    )
    assert fixed.read_text().count("await asyncio.to_thread(sys.stdin.") == 2

    def fed(path: Path) -> str:
        child = subprocess.Popen(
            [sys.executable, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        child.stdin.write(b"alice\n")
        child.stdin.flush()
        time.sleep(0.3)
        child.stdin.write(b"bob\n")
        child.stdin.close()
        return child.stdout.read().decode().strip()

    assert fed(program) == "'alice\\n' 'bob\\n' still"
    assert fed(fixed) == "'alice\\n' 'bob\\n' ticked"
