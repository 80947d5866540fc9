"""The companion's database: SQLite in the data directory, or PostgreSQL named by a URL."""

from __future__ import annotations

from ai_companion.database.base import Database
from ai_companion.database.postgres import PostgresDatabase
from ai_companion.database.sqlite import SqliteDatabase
from ai_companion.settings import Settings

SQLITE_FILE = "memory.sqlite3"


async def open_database(settings: Settings) -> Database:
    """PostgreSQL when ``settings.database_url`` is set (shared by processes), else SQLite."""
    if settings.database_url:
        return await PostgresDatabase.open(settings.database_url)
    return await SqliteDatabase.open(settings.data_dir / SQLITE_FILE)


__all__ = ["Database", "PostgresDatabase", "SqliteDatabase", "open_database"]
