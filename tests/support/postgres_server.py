"""A throwaway PostgreSQL server on loopback: initdb into a temporary directory, then postgres.

Debian's ``postgresql`` package (installed by scripts/test) puts the binaries under
/usr/lib/postgresql/VERSION/bin. PostgreSQL refuses to run as root, so under root the server
runs as the package's unprivileged ``postgres`` user.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ai_companion.database import PostgresDatabase

SUPERUSER = "companion"
READY = "database system is ready to accept connections"


def binaries() -> Path | None:
    """The directory holding ``initdb`` and ``postgres``, if PostgreSQL is installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    return versions[-1].parent if versions else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server(bin_dir: Path, timeout: float = 60) -> Iterator[str]:
    """Run a server until the block ends; yield the URL of its ``postgres`` database."""
    user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="companion-pg-"))
    if user:
        shutil.chown(root, user)
    data, log, port = root / "data", root / "server.log", free_port()
    try:
        subprocess.run(
            [bin_dir / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "--no-sync"],
            user=user,
            cwd=root,  # the checkout may be closed to the postgres user
            check=True,
            capture_output=True,
        )
        with log.open("w") as output:
            server = subprocess.Popen(
                [bin_dir / "postgres", "-D", data, "-h", "127.0.0.1", "-p", str(port), "-k", root]
                + ["-c", "fsync=off", "-c", "max_connections=200"],
                user=user,
                cwd=root,
                stderr=output,
            )
        try:
            deadline = time.monotonic() + timeout
            while READY not in log.read_text():
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start:\n" + log.read_text())
                time.sleep(0.05)
            yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
        finally:
            server.send_signal(signal.SIGINT)  # fast shutdown: ends any connection left open
            server.wait(timeout=timeout)
    finally:
        shutil.rmtree(root, ignore_errors=True)


async def fresh_database(server_url: str) -> str:
    """The URL of a new, empty database on the server at ``server_url``."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    server = await PostgresDatabase.open(server_url, max_size=1)
    try:
        await server.execute(f'CREATE DATABASE "{name}"')
    finally:
        await server.aclose()
    return server_url.rpartition("/")[0] + "/" + name
