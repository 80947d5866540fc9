"""Memory: per-conversation history and summaries, and de-duplicated facts found by full-text
search (SQLite's FTS5 with BM25, or PostgreSQL's text search)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai_companion.database import Database
from ai_companion.database.base import fetch_one

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id {id},
    conversation TEXT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation, id);
CREATE TABLE IF NOT EXISTS summaries (
    conversation TEXT PRIMARY KEY,
    content TEXT NOT NULL,
    covers_until {bigint} NOT NULL
);
CREATE TABLE IF NOT EXISTS facts (
    id {id},
    conversation TEXT NOT NULL,
    fact TEXT NOT NULL,
    normalized TEXT NOT NULL,
    UNIQUE (conversation, normalized)
);
"""


@dataclass(frozen=True)
class FactSearch:
    """A database's full-text index over facts, and its query for the best matches."""

    schema: str
    relevant: str  # parameters: the match query, the conversation, the limit
    any_word: str  # joins quoted words into a query matching any of them


SEARCH = {
    "sqlite": FactSearch(
        schema="""
CREATE VIRTUAL TABLE IF NOT EXISTS facts_fts USING fts5(
    fact, content='facts', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS facts_indexed AFTER INSERT ON facts BEGIN
    INSERT INTO facts_fts (rowid, fact) VALUES (new.id, new.fact);
END;
""",
        relevant=(
            "SELECT facts.fact FROM facts_fts JOIN facts ON facts.id = facts_fts.rowid "
            "WHERE facts_fts MATCH ? AND facts.conversation = ? ORDER BY bm25(facts_fts) LIMIT ?"
        ),
        any_word=" OR ",
    ),
    "postgresql": FactSearch(
        schema="""
CREATE INDEX IF NOT EXISTS facts_search ON facts USING GIN (to_tsvector('english', fact));
""",
        relevant=(
            "SELECT fact FROM facts, websearch_to_tsquery('english', ?) AS query "
            "WHERE to_tsvector('english', fact) @@ query AND conversation = ? "
            "ORDER BY ts_rank(to_tsvector('english', fact), query) DESC, id LIMIT ?"
        ),
        any_word=" or ",
    ),
}
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


def match_query(text: str, any_word: str = " OR ") -> str:
    """A full-text query matching any meaningful word of ``text`` (each word quoted)."""
    words = {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 and w not in _STOPWORDS}
    return any_word.join(f'"{w}"' for w in sorted(words))


class MemoryStore:
    """One database shared by every conversation (and, with PostgreSQL, every process)."""

    def __init__(self, database: Database):
        self.database = database
        self._search = SEARCH[database.dialect]

    @classmethod
    async def open(cls, database: Database) -> MemoryStore:
        """The memory in ``database``, its tables created if needed (closed if that fails)."""
        store = cls(database)
        try:
            await database.create(SCHEMA + store._search.schema)
        except BaseException:
            await database.aclose()
            raise
        return store

    async def close(self) -> None:
        await self.database.aclose()

    async def add_message(self, conversation: str, role: str, content: str) -> int:
        row = await fetch_one(
            self.database,
            "INSERT INTO messages (conversation, role, content) VALUES (?, ?, ?) RETURNING id",
            conversation,
            role,
            content,
        )
        return int(row[0]) if row else 0

    async def history(self, conversation: str, limit: int | None = 50) -> list[StoredMessage]:
        """The latest ``limit`` (None: all) messages not yet in the summary, oldest first."""
        sql = (
            "SELECT id, role, content FROM messages WHERE conversation = ? AND id > "
            "COALESCE((SELECT covers_until FROM summaries WHERE conversation = ?), 0) "
            "ORDER BY id DESC"
        )
        bounds = () if limit is None else (limit,)
        rows = await self.database.fetch(
            sql + (" LIMIT ?" if bounds else ""), conversation, conversation, *bounds
        )
        return [StoredMessage(*row) for row in reversed(rows)]

    async def summary(self, conversation: str) -> str:
        row = await fetch_one(
            self.database, "SELECT content FROM summaries WHERE conversation = ?", conversation
        )
        return str(row[0]) if row else ""

    async def save_summary(self, conversation: str, content: str, covers_until: int) -> None:
        await self.database.execute(
            "INSERT INTO summaries (conversation, content, covers_until) VALUES (?, ?, ?) "
            "ON CONFLICT (conversation) DO UPDATE SET content = excluded.content, "
            "covers_until = excluded.covers_until",
            conversation,
            content,
            covers_until,
        )

    async def remember(self, conversation: str, facts: list[str]) -> int:
        """Store new facts, ignoring ones already known; return how many were new."""
        stored = 0
        for fact in facts:
            if normalize_fact(fact):
                stored += await self.database.execute(
                    "INSERT INTO facts (conversation, fact, normalized) VALUES (?, ?, ?) "
                    "ON CONFLICT (conversation, normalized) DO NOTHING",
                    conversation,
                    fact.strip(),
                    normalize_fact(fact),
                )
        return stored

    async def facts(self, conversation: str) -> list[str]:
        rows = await self.database.fetch(
            "SELECT fact FROM facts WHERE conversation = ? ORDER BY id", conversation
        )
        return [str(row[0]) for row in rows]

    async def relevant_facts(self, conversation: str, text: str, limit: int = 5) -> list[str]:
        """Facts sharing words with ``text``, best match first; the latest if it has none."""
        query = match_query(text, self._search.any_word)
        sql, parameters = (
            (self._search.relevant, (query, conversation, limit))
            if query
            else (_LATEST, (conversation, limit))
        )
        rows = await self.database.fetch(sql, *parameters)
        return [str(row[0]) for row in rows]
