"""Loading certificates reads files (DBK301): made on the event loop, a default TLS context
(or an httpx client, async or sync, which makes one) stalls it until the certificates are
read; fixed, it is made in a worker thread while the loop runs other tasks, and it is the
same object, which works as the original's did."""

import http.server
from pathlib import Path

from loopback_fixes import Echo, fixed, run_script, serving

FIXTURES = Path(__file__).parent / "fixtures" / "certificates"
CONTEXTS = FIXTURES / "contexts.py"
CLIENTS = FIXTURES / "http_clients.py"
SYNC_CLIENTS = FIXTURES / "sync_clients.py"
SDK_CLIENTS = FIXTURES / "sdk_clients.py"


def _run(script: str, *arguments: str) -> str:
    return run_script(FIXTURES / script, *arguments)


def _frees_the_loop_and_fetches_alike(original: Path, program: Path, made: str) -> None:
    """The ``original``'s loop stalls while it makes a ``made`` client, ``program``'s runs
    another task; twenty concurrent loopback fetches give the same pages, ``program``'s
    under blockbuster."""
    assert _run("load_slowly.py", str(original)) == f"{made} stalled\n"
    assert _run("load_slowly.py", str(program)) == f"{made} ran\n"
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)) as url:
        pages = _run("fetch_many.py", str(original), url)
        assert pages == _run("fetch_many.py", str(program), url, "--blockbuster")
    assert pages.count("page /") == 20


def test_a_default_context_made_in_a_thread_frees_the_loop(tmp_path):
    program = fixed(CONTEXTS, tmp_path)
    assert "await asyncio.to_thread(ssl.create_default_context)" in program.read_text()
    assert _run("load_slowly.py", str(CONTEXTS)) == "SSLContext stalled\n"
    assert _run("load_slowly.py", str(program)) == "SSLContext ran\n"


def test_an_httpx_client_made_in_a_thread_frees_the_loop_and_fetches_alike(tmp_path):
    program = fixed(CLIENTS, tmp_path)
    assert "async with await asyncio.to_thread(httpx.AsyncClient, timeout=5)" in program.read_text()
    _frees_the_loop_and_fetches_alike(CLIENTS, program, "AsyncClient")


def test_an_sdk_client_made_in_a_thread_frees_the_loop(tmp_path):
    program = fixed(SDK_CLIENTS, tmp_path)
    expected = "return await asyncio.to_thread(\n        groq.AsyncGroq, api_key="
    assert expected in program.read_text()
    assert _run("load_slowly.py", str(SDK_CLIENTS)) == "AsyncGroq stalled\n"
    assert _run("load_slowly.py", str(program)) == "AsyncGroq ran\n"


def test_a_sync_client_made_and_used_in_a_thread_frees_the_loop_and_fetches_alike(tmp_path):
    program = fixed(SYNC_CLIENTS, tmp_path)
    text = program.read_text()
    assert "return await asyncio.to_thread(httpx.Client, timeout=5)" in text
    assert "client = httpx.Client(timeout=5)\n        reply = client.get(url)" in text
    assert "_sections_lock" not in text  # each call makes and uses a client of its own
    _frees_the_loop_and_fetches_alike(SYNC_CLIENTS, program, "Client")
