"""One message each way on a connection to the resident server: a ``marshal``-ed value
(both ends run the same interpreter) behind its length, the sender's file descriptors
beside the request. Neither end shuts its side: the connection's end tells the server's
child that its client has gone (``server._end_with_client``).

Sockets here are ``_socket``'s, which ``socket``'s subclass: the client, on the path of
every served run, imports neither ``socket`` nor what it pulls in (~5 ms of ~100).
"""

from __future__ import annotations

import marshal
import sys
from _socket import CMSG_LEN, SCM_RIGHTS, SOL_SOCKET

_CHUNK = 65536
_LENGTH = 8  # bytes of the length before the value
_MOST_DESCRIPTORS = 3  # a run's standard input, output and error
_INT = 4  # bytes of a descriptor in SCM_RIGHTS data (a C int)


def send(conn, value: object, descriptors: tuple[int, ...] = ()) -> None:
    data = marshal.dumps(value)
    data = len(data).to_bytes(_LENGTH, "big") + data
    sent = 0
    if descriptors:
        rights = b"".join(d.to_bytes(_INT, sys.byteorder) for d in descriptors)
        sent = conn.sendmsg([data], [(SOL_SOCKET, SCM_RIGHTS, rights)])
    conn.sendall(data[sent:])


def receive(conn) -> tuple[object, list[int]]:
    """The value sent, and the descriptors that came with it (the receiver's to close);
    ``None`` when the other end closed before sending all of one."""
    data, ancillary, _, _ = conn.recvmsg(_CHUNK, CMSG_LEN(_MOST_DESCRIPTORS * _INT))
    descriptors = [
        int.from_bytes(rights[i : i + _INT], sys.byteorder)
        for level, kind, rights in ancillary
        if (level, kind) == (SOL_SOCKET, SCM_RIGHTS)
        for i in range(0, len(rights) - len(rights) % _INT, _INT)
    ]
    while data and len(data) < _LENGTH + int.from_bytes(data[:_LENGTH], "big"):
        chunk = conn.recv(_CHUNK)
        if not chunk:
            return None, descriptors
        data += chunk
    try:
        return (marshal.loads(data[_LENGTH:]) if data else None), descriptors
    except (EOFError, ValueError, TypeError):
        return None, descriptors
