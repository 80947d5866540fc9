"""SQLite memory: per-conversation history and summaries, de-duplicated facts searched with FTS5."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import aiofiles.os
import aiosqlite

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    conversation TEXT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation, id);
CREATE TABLE IF NOT EXISTS summaries (
    conversation TEXT PRIMARY KEY,
    content TEXT NOT NULL,
    covers_until INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    conversation TEXT NOT NULL,
    fact TEXT NOT NULL,
    normalized TEXT NOT NULL,
    UNIQUE (conversation, normalized)
);
CREATE VIRTUAL TABLE IF NOT EXISTS facts_fts USING fts5(
    fact, content='facts', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS facts_indexed AFTER INSERT ON facts BEGIN
    INSERT INTO facts_fts (rowid, fact) VALUES (new.id, new.fact);
END;
"""

_RELEVANT = (
    "SELECT facts.fact FROM facts_fts JOIN facts ON facts.id = facts_fts.rowid "
    "WHERE facts_fts MATCH ? AND facts.conversation = ? ORDER BY bm25(facts_fts) LIMIT ?"
)
_LATEST = "SELECT fact FROM facts WHERE conversation = ? ORDER BY id DESC LIMIT ?"

_STOPWORDS = frozenset(
    "the and for are you your was what who how why when where with that this have has "
    "from about can could would should will just like its it's i'm me my our they them "
    "there their then than but not all any some do does did been being into out".split()
)


@dataclass(frozen=True)
class StoredMessage:
    id: int
    role: str
    content: str


def normalize_fact(fact: str) -> str:
    """Lower-case words only, so "My name is Sam." and "my name is sam" are one fact."""
    return " ".join(re.findall(r"[\w']+", fact.lower()))


def match_query(text: str) -> str:
    """An FTS5 query matching any meaningful word of ``text`` (each word quoted)."""
    words = {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 and w not in _STOPWORDS}
    return " OR ".join(f'"{w}"' for w in sorted(words))


class MemoryStore:
    """One SQLite database (WAL mode) shared by every conversation."""

    def __init__(self, db: aiosqlite.Connection):
        self._db = db

    @classmethod
    async def open(cls, path: Path) -> MemoryStore:
        await aiofiles.os.makedirs(path.parent, exist_ok=True)
        db = await aiosqlite.connect(path)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.executescript(SCHEMA)
        await db.commit()
        return cls(db)

    async def close(self) -> None:
        await self._db.close()

    async def journal_mode(self) -> str:
        async with self._db.execute("PRAGMA journal_mode") as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else ""

    async def add_message(self, conversation: str, role: str, content: str) -> int:
        cursor = await self._db.execute(
            "INSERT INTO messages (conversation, role, content) VALUES (?, ?, ?)",
            (conversation, role, content),
        )
        await self._db.commit()
        return int(cursor.lastrowid or 0)

    async def history(self, conversation: str, limit: int | None = 50) -> list[StoredMessage]:
        """The latest ``limit`` (None: all) messages not yet in the summary, oldest first."""
        async with self._db.execute(
            "SELECT id, role, content FROM messages WHERE conversation = ? AND id > "
            "COALESCE((SELECT covers_until FROM summaries WHERE conversation = ?), 0) "
            "ORDER BY id DESC LIMIT ?",
            (conversation, conversation, -1 if limit is None else limit),
        ) as cursor:
            rows = await cursor.fetchall()
        return [StoredMessage(*row) for row in reversed(list(rows))]

    async def summary(self, conversation: str) -> str:
        async with self._db.execute(
            "SELECT content FROM summaries WHERE conversation = ?", (conversation,)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else ""

    async def save_summary(self, conversation: str, content: str, covers_until: int) -> None:
        await self._db.execute(
            "INSERT INTO summaries (conversation, content, covers_until) VALUES (?, ?, ?) "
            "ON CONFLICT (conversation) DO UPDATE SET content = excluded.content, "
            "covers_until = excluded.covers_until",
            (conversation, content, covers_until),
        )
        await self._db.commit()

    async def remember(self, conversation: str, facts: list[str]) -> int:
        """Store new facts, ignoring ones already known; return how many were new."""
        stored = 0
        for fact in facts:
            if normalize_fact(fact):
                cursor = await self._db.execute(
                    "INSERT OR IGNORE INTO facts (conversation, fact, normalized) VALUES (?, ?, ?)",
                    (conversation, fact.strip(), normalize_fact(fact)),
                )
                stored += cursor.rowcount
        await self._db.commit()
        return stored

    async def facts(self, conversation: str) -> list[str]:
        async with self._db.execute(
            "SELECT fact FROM facts WHERE conversation = ? ORDER BY id", (conversation,)
        ) as cursor:
            return [str(row[0]) for row in await cursor.fetchall()]

    async def relevant_facts(self, conversation: str, text: str, limit: int = 5) -> list[str]:
        """Facts sharing words with ``text``, best BM25 match first; the latest if it has none."""
        query = match_query(text)
        sql, parameters = (
            (_RELEVANT, (query, conversation, limit)) if query else (_LATEST, (conversation, limit))
        )
        async with self._db.execute(sql, parameters) as cursor:
            return [str(row[0]) for row in await cursor.fetchall()]
