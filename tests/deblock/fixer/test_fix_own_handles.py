"""A section that only makes and uses handles of its own (a temporary file, here) shares
nothing with other calls: fixed, it moves into one worker thread without the module's lock,
so concurrent calls run it at once, and they give the original's results, with nothing
blocking the event loop (blockbuster)."""

import http.server
import subprocess
import threading
from pathlib import Path

import pytest
from loopback_fixes import Echo, fixed, run_script, serving

FIXTURES = Path(__file__).parent / "fixtures"
UPLOADS = FIXTURES / "own_handles" / "spooled_uploads.py"
FETCH_MANY = FIXTURES / "certificates" / "fetch_many.py"


class _Peers(Echo):
    """Answers a POST once another request is in flight too (or after a second), counting
    on its server the requests that met another."""

    def do_POST(self) -> None:
        server = self.server
        with server.turns:
            server.in_flight += 1
            server.turns.notify_all()
            server.met += server.turns.wait_for(lambda: server.in_flight > 1, timeout=1)
        try:
            super().do_POST()
        finally:
            with server.turns:
                server.in_flight -= 1


class _PeersServer(http.server.ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Peers)
        self.turns = threading.Condition()
        self.in_flight = self.met = 0


def test_calls_making_their_own_temporary_files_run_at_once_and_upload_alike(tmp_path):
    program = fixed(UPLOADS, tmp_path)
    text = program.read_text()
    assert "await asyncio.to_thread(_fetch_in_thread)" in text
    assert "_sections_lock" not in text and "threading" not in text
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)) as url:
        original = run_script(FETCH_MANY, str(UPLOADS), url)
        assert original == run_script(FETCH_MANY, str(program), url, "--blockbuster")
        with pytest.raises(subprocess.CalledProcessError, match="returned non-zero"):
            run_script(FETCH_MANY, str(UPLOADS), url, "--blockbuster")  # writes on the loop
    assert original.count("upload to http") == 20
    server = _PeersServer()
    with serving(server) as url:
        run_script(FETCH_MANY, str(program), url)
    assert server.met >= 2  # two worker threads posted at once: no lock between them
