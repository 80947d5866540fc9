"""Serving the emulator on loopback: in a background thread of this process, or on its own."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable

import uvicorn

from ai_companion.emulator.app import build_app
from ai_companion.emulator.engines import Engines
from ai_companion.emulator.faults import Faults
from ai_companion.emulator.streaming import StreamCut
from ai_companion.providers import PROVIDER_NAMES

LOOPBACK = "127.0.0.1"


def _not_an_injected_cut(record: logging.LogRecord) -> bool:
    """Keeps uvicorn from logging a stream cut on purpose as an application error."""
    return not (record.exc_info and isinstance(record.exc_info[1], StreamCut))


class Emulator:
    """The emulated providers on ``http://127.0.0.1:<port>``.

    ``faults[name]`` (``"groq"``, ``"together"``, ``"elevenlabs"``) tunes each provider's
    latency, errors and hangs at any time. In-process use: ``async with Emulator() as emu``
    (or ``await emu.start()`` / ``await emu.stop()``) serves from a background thread with its
    own event loop, so the emulator's work never competes with the caller's loop.
    """

    def __init__(self, port: int = 0, engines: Engines | None = None):
        self.port = port
        self._engines = engines
        self.faults = {name: Faults() for name in PROVIDER_NAMES}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def engines(self) -> Engines:
        if self._engines is None:
            raise RuntimeError("the emulator has not started")
        return self._engines

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def _prepare(self) -> tuple[uvicorn.Server, socket.socket]:
        if self._engines is None:
            self._engines = Engines.detect()
        logging.getLogger("uvicorn.error").addFilter(_not_an_injected_cut)
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
        # and without it every reused connection waits for a delayed ACK (~40 ms a request).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self._engines, self.faults),
            log_level="warning",
            access_log=False,
            lifespan="off",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=1,  # don't wait out injected hangs on shutdown
        )
        return uvicorn.Server(config), sock

    def _start_thread(self) -> None:
        server, sock = self._prepare()
        self._server = server
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])), name="emulator", daemon=True
        )
        self._thread.start()
        while not server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the emulator failed to start")
            time.sleep(0.01)

    async def start(self) -> Emulator:
        # Binding, engine detection and waiting for the server thread all block briefly.
        await asyncio.to_thread(self._start_thread)
        return self

    def _stop_thread(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join()
        self._server = self._thread = None

    async def stop(self) -> None:
        # Joining the server thread blocks until uvicorn has drained its connections.
        await asyncio.to_thread(self._stop_thread)

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def serve_forever(self, announce: Callable[[str], object] = print) -> None:
        """Serve in the calling thread until interrupted, announcing the base URL once bound."""
        server, sock = self._prepare()
        announce(self.base_url)
        asyncio.run(server.serve(sockets=[sock]))
