"""Loading certificates reads files (DBK301): made on the event loop, a default TLS context
stalls it until the system's trust store is read; fixed, it is made in a worker thread while
the loop runs other tasks, and it is the same context."""

import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "certificates"
PROGRAM = FIXTURES / "contexts.py"


def _run(program: Path) -> str:
    command = [sys.executable, str(FIXTURES / "load_slowly.py"), str(program)]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def test_a_default_context_made_in_a_thread_frees_the_loop(tmp_path):
    fixed = tmp_path / PROGRAM.name
    shutil.copy(PROGRAM, fixed)
    subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", fixed.name],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert "await asyncio.to_thread(ssl.create_default_context)" in fixed.read_text()
    assert _run(PROGRAM) == "SSLContext stalled\n"
    assert _run(fixed) == "SSLContext ran\n"
