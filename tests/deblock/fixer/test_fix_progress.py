"""`deblock fix` over many files shows a progress bar on a terminal, and only there."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import threading
from pathlib import Path

SLEEPY = Path(__file__).parent / "fixtures" / "cli" / "sleepy.py"
SCRIPT = Path(sys.executable).with_name("deblock")


def many_files(root: Path, count: int) -> Path:
    for i in range(count):
        shutil.copyfile(SLEEPY, root / f"m{i}.py")
    return root


def fix_with_stderr_on_a_terminal(cwd: Path) -> tuple[str, str]:
    """Run `deblock fix` with stderr on a pseudo-terminal: (stdout, what the terminal got)."""
    terminal, child = pty.openpty()
    process = subprocess.Popen(
        [str(SCRIPT), "fix", "."], cwd=cwd, stdout=subprocess.PIPE, stderr=child
    )
    os.close(child)
    shown: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(terminal, 4096)
            except OSError:  # the child's side closed
                return
            if not data:
                return
            shown.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    out, _ = process.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(terminal)
    return out.decode(), b"".join(shown).decode(errors="replace")


def test_a_terminal_sees_the_files_being_fixed(tmp_path):
    out, shown = fix_with_stderr_on_a_terminal(many_files(tmp_path, 25))
    assert out.strip() == "25 fixes applied (25 files changed)."
    assert "Fixing" in shown and "100%" in shown


def test_a_pipe_gets_no_progress_bar(deblock, tmp_path):
    ran = deblock("fix", ".", cwd=many_files(tmp_path, 25))
    assert ran.stdout.strip() == "25 fixes applied (25 files changed)."
    assert "Fixing" not in ran.stderr
