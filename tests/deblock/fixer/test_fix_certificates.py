"""Loading certificates reads files (DBK301): made on the event loop, a default TLS context
(or an httpx client, which makes one) stalls it until the certificates are read; fixed, it is
made in a worker thread while the loop runs other tasks, and it is the same object, which
works as the original's did."""

import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "certificates"
CONTEXTS = FIXTURES / "contexts.py"
CLIENTS = FIXTURES / "http_clients.py"
SDK_CLIENTS = FIXTURES / "sdk_clients.py"
# no proxy between the clients and the loopback server (httpx reads the environment's)
_DIRECT = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def _run(script: str, *arguments: str) -> str:
    command = [sys.executable, str(FIXTURES / script), *arguments]
    return subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=60, env=_DIRECT
    ).stdout


def _fixed(program: Path, directory: Path) -> Path:
    fixed = directory / program.name
    shutil.copy(program, fixed)
    subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", fixed.name],
        cwd=directory,
        check=True,
        capture_output=True,
    )
    return fixed


def test_a_default_context_made_in_a_thread_frees_the_loop(tmp_path):
    fixed = _fixed(CONTEXTS, tmp_path)
    assert "await asyncio.to_thread(ssl.create_default_context)" in fixed.read_text()
    assert _run("load_slowly.py", str(CONTEXTS)) == "SSLContext stalled\n"
    assert _run("load_slowly.py", str(fixed)) == "SSLContext ran\n"


class _Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"page {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_an_httpx_client_made_in_a_thread_frees_the_loop_and_fetches_alike(tmp_path):
    fixed = _fixed(CLIENTS, tmp_path)
    assert "async with await asyncio.to_thread(httpx.AsyncClient, timeout=5)" in fixed.read_text()
    assert _run("load_slowly.py", str(CLIENTS)) == "AsyncClient stalled\n"
    assert _run("load_slowly.py", str(fixed)) == "AsyncClient ran\n"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        original = _run("fetch_many.py", str(CLIENTS), url)
        assert original == _run("fetch_many.py", str(fixed), url)
    finally:
        server.shutdown()
    assert original.count("page /") == 20


def test_an_sdk_client_made_in_a_thread_frees_the_loop(tmp_path):
    fixed = _fixed(SDK_CLIENTS, tmp_path)
    assert "return await asyncio.to_thread(\n        groq.AsyncGroq, api_key=" in fixed.read_text()
    assert _run("load_slowly.py", str(SDK_CLIENTS)) == "AsyncGroq stalled\n"
    assert _run("load_slowly.py", str(fixed)) == "AsyncGroq ran\n"
