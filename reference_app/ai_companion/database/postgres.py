"""PostgreSQL through ``asyncpg``: a connection pool, shared safely by many processes."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import ssl
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import asyncpg

TYPES = {"id": "BIGSERIAL PRIMARY KEY", "real": "DOUBLE PRECISION", "bigint": "BIGINT"}
SCHEMA_LOCK = 0x636F6D70  # an advisory lock: processes starting together create tables in turn
LOOPBACK = ("localhost", "127.0.0.1", "::1")
_PLACEHOLDER = re.compile(r"\?")


def numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1``, ``$2``..."""
    count = itertools.count(1)
    return _PLACEHOLDER.sub(lambda _: f"${next(count)}", sql)


def connect_options(url: str) -> dict[str, Any]:
    """The password and TLS context for ``url``, decided once (blocking: loads certificates).

    Left to asyncpg, every new connection would look for ``~/.pgpass`` and client certificates
    on the event loop. So the password comes from the URL or ``PGPASSWORD`` only, and
    ``sslmode`` (disable, require, verify-ca, verify-full) defaults to ``disable`` on
    loopback and ``require`` elsewhere.
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    default = "disable" if (parts.hostname or "localhost") in LOOPBACK else "require"
    mode = query.get("sslmode", default)
    options: dict[str, Any] = {
        "password": unquote(parts.password or "") or os.environ.get("PGPASSWORD", "")
    }
    if mode == "disable":
        options["ssl"] = False
    elif mode == "require":
        options["ssl"] = context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    elif mode in ("verify-ca", "verify-full"):
        options["ssl"] = context = ssl.create_default_context(cafile=query.get("sslrootcert"))
        context.check_hostname = mode == "verify-full"
    else:
        raise ValueError(
            f"sslmode={mode} is not supported (disable, require, verify-ca, verify-full)"
        )
    return options


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool

    @classmethod
    async def open(cls, url: str, *, max_size: int = 10) -> PostgresDatabase:
        options = await asyncio.to_thread(connect_options, url)
        dsn = urlsplit(url)._replace(query="").geturl()  # sslmode and friends are in ``options``
        return cls(await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, **options))

    async def create(self, schema: str) -> None:
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
            await connection.execute(schema.format(**TYPES))

    async def execute(self, sql: str, *args: Any) -> int:
        status = await self._pool.execute(numbered(sql), *args)
        count = status.rpartition(" ")[2]  # e.g. "UPDATE 3", "INSERT 0 1"
        return int(count) if count.isdigit() else 0

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await self._pool.fetch(numbered(sql), *args)]

    async def aclose(self) -> None:
        await self._pool.close()
