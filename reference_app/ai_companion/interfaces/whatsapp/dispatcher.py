"""Background processing of webhook messages: de-duplicated, in order per sender, bounded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from ai_companion.interfaces.whatsapp.inbox import Inbox
from ai_companion.interfaces.whatsapp.payload import IncomingMessage

log = logging.getLogger(__name__)
Handler = Callable[[IncomingMessage], Awaitable[None]]


class Busy(RuntimeError):
    """Too many messages are waiting; the sender (Meta) should deliver again later."""


class Dispatcher:
    """Runs ``handle`` for each new message of ``inbox`` in a background task.

    A message id the inbox has seen (Meta redelivers, maybe to another process or after a
    restart) is skipped; one sender's messages are handled one after another in arrival order,
    by whichever process sharing the inbox claims them; here at most ``concurrency`` are handled
    at once, and at most ``max_pending`` may wait in the inbox. Entering resumes the messages
    left waiting; ``async with`` waits for the work in flight on exit.
    """

    def __init__(
        self, handle: Handler, inbox: Inbox, *, concurrency: int = 8, max_pending: int = 1000
    ):
        self._handle = handle
        self._inbox = inbox
        self._slots = asyncio.Semaphore(concurrency)
        self._max_pending = max_pending
        self._wanted: set[str] = set()  # senders whose queue must be looked at (again)
        self._drains: dict[str, asyncio.Task[None]] = {}

    async def waiting(self) -> int:
        """Messages accepted (by any process sharing the inbox) and not handled yet."""
        return await self._inbox.unfinished()

    async def submit(self, messages: list[IncomingMessage]) -> int:
        """Accept the messages not seen before; return how many; raise :class:`Busy` if full."""
        waiting = await self.waiting()
        if waiting + len({m.id for m in messages}) > self._max_pending:
            raise Busy(f"{waiting} messages are already waiting")
        accepted = await self._inbox.accept(messages)
        for message in accepted:
            self._wake(message.sender)
        return len(accepted)

    def _wake(self, sender: str) -> None:
        self._wanted.add(sender)
        if sender not in self._drains:
            self._drains[sender] = asyncio.create_task(self._drain(sender))

    async def _drain(self, sender: str) -> None:
        """Handle the sender's messages until none is left to claim, even ones woken meanwhile."""
        try:
            while sender in self._wanted:
                self._wanted.discard(sender)
                while await self._handle_next(sender):
                    pass
        except Exception:  # the inbox failed: the messages stay there for the next wake-up
            log.exception("cannot work through a sender's messages")
        finally:
            del self._drains[sender]

    async def _handle_next(self, sender: str) -> bool:
        async with self._slots:
            message = await self._inbox.claim(sender)
            if message is None:
                return False
            try:
                await self._handle(message)
            except Exception:  # one failed message must not stop the sender's queue
                log.exception("message %s could not be handled", message.id)
            await self._inbox.finish(message)
        return True

    async def join(self) -> None:
        """Wait until every message this process took on has been handled."""
        while self._drains:
            await asyncio.gather(*self._drains.values(), return_exceptions=True)

    async def __aenter__(self) -> Dispatcher:
        for sender in await self._inbox.waiting_senders():
            self._wake(sender)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.join()
