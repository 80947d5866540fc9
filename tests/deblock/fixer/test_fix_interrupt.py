"""With Python's own SIGINT handler, Ctrl-C is raised as ``KeyboardInterrupt`` where the main
thread is: in a blocking call on the event loop's thread. In a worker thread it never would
be (the loop's wait gets it, past the handler: the bridged prompt died). A call in a ``try``
that catches it keeps its place after ``deblock fix``: interrupted at its prompt, the
program still answers."""

import shutil
import signal
import subprocess
import sys
from pathlib import Path

PROGRAM = Path(__file__).parent / "fixtures" / "interrupt" / "prompt.py"


def _interrupted(program: Path) -> tuple[int, str]:
    """The exit status and output of ``program`` sent SIGINT at its prompt."""
    child = subprocess.Popen(
        [sys.executable, str(program)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdout.read(2) == b"> "
    child.send_signal(signal.SIGINT)
    try:
        out, _ = child.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        out, _ = child.communicate()
        return -1, out.decode()
    return child.returncode, out.decode()


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
