"""Programs fixed by ``deblock fix`` in a scratch directory, run in subprocesses against a
loopback HTTP server."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# no proxy between the clients and the loopback server (httpx reads the environment's)
_DIRECT = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def run_script(script: Path, *arguments: str) -> str:
    """The standard output of ``script`` run with ``arguments``."""
    command = [sys.executable, str(script), *arguments]
    return subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=60, env=_DIRECT
    ).stdout


def fixed(program: Path, directory: Path) -> Path:
    """A copy of ``program`` in ``directory``, fixed by ``deblock fix``."""
    copy = directory / program.name
    shutil.copy(program, copy)
    subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", copy.name],
        cwd=directory,
        check=True,
        capture_output=True,
    )
    return copy


class Echo(http.server.BaseHTTPRequestHandler):
    """Answers ``page PATH`` to a GET and what it was sent to a POST."""

    def do_GET(self) -> None:
        self.answer(f"page {self.path}".encode())

    def do_POST(self) -> None:
        self.answer(self.rfile.read(int(self.headers["Content-Length"])))

    def answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(server: http.server.ThreadingHTTPServer) -> Iterator[str]:
    """``server``'s URL while it serves in a thread of its own."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
