"""What the memory and the WhatsApp inbox need from a database, whichever it is."""

from __future__ import annotations

from typing import Any, Protocol


class Database(Protocol):
    """SQL with ``?`` placeholders; every statement commits on its own.

    Schemas are written once with ``{id}`` (an auto-numbered primary key), ``{real}`` and
    ``{bigint}`` for the column types that differ between databases.
    """

    dialect: str  # "sqlite" or "postgresql"

    async def create(self, schema: str) -> None:
        """Create the tables of ``schema`` if they do not exist yet."""

    async def execute(self, sql: str, *args: Any) -> int:
        """Run a statement; return how many rows it changed."""

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Run a query (or a write with ``RETURNING``); return its rows."""

    async def aclose(self) -> None: ...


async def fetch_one(database: Database, sql: str, *args: Any) -> tuple[Any, ...] | None:
    """The first row of a query, if any."""
    rows = await database.fetch(sql, *args)
    return rows[0] if rows else None
