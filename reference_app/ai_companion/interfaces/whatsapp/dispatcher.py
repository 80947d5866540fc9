"""Background processing of webhook messages: de-duplicated, in order per sender, bounded."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable

from ai_companion.interfaces.whatsapp.payload import IncomingMessage

log = logging.getLogger(__name__)
Handler = Callable[[IncomingMessage], Awaitable[None]]


class Busy(RuntimeError):
    """Too many messages are waiting; the sender (Meta) should deliver again later."""


class Dispatcher:
    """Runs ``handle`` for each new message in a background task.

    A message id seen before (Meta redelivers) is skipped; one sender's messages are handled
    one after another in arrival order; at most ``concurrency`` are handled at once, and at
    most ``max_pending`` may wait. ``async with`` waits for the work in flight on exit.
    """

    def __init__(
        self,
        handle: Handler,
        *,
        concurrency: int = 8,
        max_pending: int = 1000,
        remembered_ids: int = 10_000,
    ):
        self._handle = handle
        self._slots = asyncio.Semaphore(concurrency)
        self._max_pending = max_pending
        self._remembered_ids = remembered_ids
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._queues: dict[str, deque[IncomingMessage]] = {}
        self._workers: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    def submit(self, messages: list[IncomingMessage]) -> int:
        """Queue the messages not seen before; return how many; raise :class:`Busy` if full."""
        waiting = self.pending + len({m.id for m in messages} - self._seen.keys())
        if waiting > self._max_pending:
            raise Busy(f"{self.pending} messages are already waiting")
        accepted = 0
        for message in messages:
            if message.id in self._seen:
                continue
            self._remember(message.id)
            queue = self._queues.get(message.sender)
            if queue is None:
                queue = self._queues[message.sender] = deque()
                worker = asyncio.create_task(self._work_through(message.sender, queue))
                self._workers.add(worker)
                worker.add_done_callback(self._workers.discard)
            queue.append(message)
            accepted += 1
        return accepted

    def _remember(self, message_id: str) -> None:
        self._seen[message_id] = None
        if len(self._seen) > self._remembered_ids:
            self._seen.popitem(last=False)

    async def _work_through(self, sender: str, queue: deque[IncomingMessage]) -> None:
        while queue:
            message = queue[0]
            async with self._slots:
                try:
                    await self._handle(message)
                except Exception:  # one failed message must not stop the sender's queue
                    log.exception("message %s could not be handled", message.id)
            queue.popleft()
        del self._queues[sender]

    async def join(self) -> None:
        """Wait until every queued message has been handled."""
        while self._workers:
            await asyncio.gather(*self._workers, return_exceptions=True)

    async def __aenter__(self) -> Dispatcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.join()
