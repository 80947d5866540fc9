"""SQLite through ``aiosqlite`` (WAL mode): one connection, for one process."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiofiles.os
import aiosqlite

TYPES = {"id": "INTEGER PRIMARY KEY", "real": "REAL", "bigint": "INTEGER"}


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, connection: aiosqlite.Connection):
        self._db = connection
        # Tasks share the connection: a statement and its commit must not interleave with
        # another task's (a commit while a cursor is still reading fails).
        self._turn = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> SqliteDatabase:
        await aiofiles.os.makedirs(path.parent, exist_ok=True)
        connection = await aiosqlite.connect(path)
        await connection.execute("PRAGMA journal_mode=WAL")
        return cls(connection)

    async def create(self, schema: str) -> None:
        await self._db.executescript(schema.format(**TYPES))
        await self._db.commit()

    async def execute(self, sql: str, *args: Any) -> int:
        async with self._turn:
            cursor = await self._db.execute(sql, args)
            await self._db.commit()
            return cursor.rowcount

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        async with self._turn:
            async with self._db.execute(sql, args) as cursor:
                rows = await cursor.fetchall()
            if self._db.in_transaction:  # a write with RETURNING
                await self._db.commit()
        return [tuple(row) for row in rows]

    async def aclose(self) -> None:
        await self._db.close()
