"""The command line's side of `deblock check --server`: hand the resident server this
process's standard streams, arguments, working directory, environment and umask; it runs the
command in a child forked from its warm process and answers the exit status."""

from __future__ import annotations

import _socket
import os
import sys

from deblock.exit_status import INTERRUPTED
from deblock.resident.address import private, socket_path
from deblock.resident.messages import receive, send


def ask(request: dict, descriptors: tuple[int, ...] = (), path: str | None = None) -> dict | None:
    """The answer to ``request`` of the server at ``path`` (this installation's by
    default); ``None`` when none runs there (or its directory is not this user's alone)."""
    path = path or socket_path()
    if not (os.path.exists(path) and private(os.path.dirname(path))):
        return None
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(path)
        send(conn, request, descriptors)
        answer, extra = receive(conn)
    except OSError:  # gone meanwhile, or stopping
        return None
    finally:
        conn.close()
    for descriptor in extra:
        os.close(descriptor)
    return answer if isinstance(answer, dict) else {}


def forward(argv: list[str]) -> int | None:
    """Run the command line ``argv`` in the server: its exit status, or ``None`` when no
    server runs or it stopped (its deblock or packages changed) and the caller runs it."""
    umask = os.umask(0o022)
    os.umask(umask)
    request = {"op": "run", "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
    request["umask"] = umask
    try:
        answer = ask(request, (0, 1, 2))
    except KeyboardInterrupt:  # the run, interrupted as the connection ends, says so
        return INTERRUPTED
    if answer is None or answer.get("stale"):
        return None
    if "status" not in answer:
        sys.stderr.write("deblock: the resident server's run ended without an exit status\n")
        return 2
    return answer["status"]
