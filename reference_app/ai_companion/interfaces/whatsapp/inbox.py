"""Webhook messages kept in the database, so dedupe and order survive restarts and span processes.

A message id is accepted once (until ``keep_for`` seconds after it arrived, Meta's redelivery
window); each sender's messages are then claimed one at a time, in the order they were accepted,
by whichever process sharing the database asks first. A claim left unfinished for ``LEASE``
seconds (its process died) may be taken again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict

from ai_companion.database import Database
from ai_companion.interfaces.whatsapp.payload import IncomingMessage

LEASE = 15 * 60.0  # longer than any turn with every provider timing out and retrying
SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    seq {id},
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    message TEXT NOT NULL,
    received_at {real} NOT NULL,
    started_at {real},
    finished_at {real}
);
CREATE INDEX IF NOT EXISTS inbox_unfinished ON inbox (sender, seq) WHERE finished_at IS NULL;
CREATE INDEX IF NOT EXISTS inbox_by_age ON inbox (received_at);
"""
# The sender's oldest unfinished message, if nobody is handling it (or their lease ran out).
_CLAIM = (
    "UPDATE inbox SET started_at = ? WHERE seq = (SELECT MIN(seq) FROM inbox "
    "WHERE sender = ? AND finished_at IS NULL) AND (started_at IS NULL OR started_at < ?) "
    "RETURNING message"
)


class Inbox:
    """The ``inbox`` table of one database; ``clock`` gives the time in seconds (shared by
    processes on several machines, so wall-clock time)."""

    def __init__(
        self, database: Database, *, keep_for: float, clock: Callable[[], float] = time.time
    ):
        self._db = database
        self._keep_for = keep_for
        self._clock = clock

    @classmethod
    async def open(cls, database: Database, *, keep_for: float, **options) -> Inbox:
        await database.create(SCHEMA)
        return cls(database, keep_for=keep_for, **options)

    async def accept(self, messages: list[IncomingMessage]) -> list[IncomingMessage]:
        """The messages whose ids were not seen within ``keep_for``, now stored to be handled."""
        now = self._clock()
        await self._db.execute(
            "DELETE FROM inbox WHERE finished_at IS NOT NULL AND received_at < ?",
            now - self._keep_for,
        )
        accepted = []
        for message in messages:
            stored = await self._db.fetch(
                "INSERT INTO inbox (message_id, sender, message, received_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (message_id) DO NOTHING RETURNING seq",
                message.id,
                message.sender,
                json.dumps(asdict(message)),
                now,
            )
            if stored:
                accepted.append(message)
        return accepted

    async def unfinished(self) -> int:
        """How many accepted messages are not handled yet."""
        rows = await self._db.fetch("SELECT COUNT(*) FROM inbox WHERE finished_at IS NULL")
        return int(rows[0][0])

    async def waiting_senders(self) -> list[str]:
        """Senders with unfinished messages (left by a restart, or handled elsewhere)."""
        rows = await self._db.fetch("SELECT DISTINCT sender FROM inbox WHERE finished_at IS NULL")
        return [str(row[0]) for row in rows]

    async def claim(self, sender: str) -> IncomingMessage | None:
        """The sender's next message to handle now, or None (none left, or one in progress)."""
        now = self._clock()
        rows = await self._db.fetch(_CLAIM, now, sender, now - LEASE)
        return IncomingMessage(**json.loads(rows[0][0])) if rows else None

    async def finish(self, message: IncomingMessage) -> None:
        await self._db.execute(
            "UPDATE inbox SET finished_at = ? WHERE message_id = ?", self._clock(), message.id
        )
