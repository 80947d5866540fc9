"""Serving an ASGI app with uvicorn on the running event loop (no thread, no signal capture)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp

LOOPBACK = "127.0.0.1"


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The command's own event loop handles Ctrl-C; several servers share it.
        yield


class AsgiServer:
    """``async with AsgiServer(app) as server``: ``app`` answers on ``server.url`` meanwhile."""

    def __init__(self, app: ASGIApp, host: str = LOOPBACK, port: int = 0):
        self.host, self.port = host, port
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,  # access lines carry query strings, e.g. the verify token
            lifespan="off",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=2,
        )
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def __aenter__(self) -> AsgiServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]  # the free port chosen for port 0
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                await self._task
                raise OSError(f"cannot serve on {self.url}")
            await asyncio.sleep(0.01)
        return self

    async def wait(self) -> None:
        """Serve until SIGTERM arrives or the task is cancelled (Ctrl-C under ``asyncio.run``)."""
        if self._task is None:
            return
        terminated = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, terminated.set)
        waiting = asyncio.ensure_future(terminated.wait())
        try:
            await asyncio.wait([self._task, waiting], return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()
            loop.remove_signal_handler(signal.SIGTERM)

    async def __aexit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        if self._task is not None:
            await self._task
