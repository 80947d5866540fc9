"""One message each way on a connection to the resident server: a ``marshal``-ed value
(both ends run the same interpreter) behind its length, the sender's file descriptors
beside the request. Neither end shuts its side: the connection's end tells the server's
child that its client has gone (``server._end_with_client``)."""

from __future__ import annotations

import marshal
import socket

_CHUNK = 65536
_LENGTH = 8  # bytes of the length before the value
_MOST_DESCRIPTORS = 3  # a run's standard input, output and error


def send(conn: socket.socket, value: object, descriptors: tuple[int, ...] = ()) -> None:
    data = marshal.dumps(value)
    data = len(data).to_bytes(_LENGTH, "big") + data
    sent = socket.send_fds(conn, [data], list(descriptors)) if descriptors else 0
    conn.sendall(data[sent:])


def receive(conn: socket.socket) -> tuple[object, list[int]]:
    """The value sent, and the descriptors that came with it (the receiver's to close);
    ``None`` when the other end closed before sending all of one."""
    data, descriptors, _, _ = socket.recv_fds(conn, _CHUNK, _MOST_DESCRIPTORS)
    while data and len(data) < _LENGTH + int.from_bytes(data[:_LENGTH], "big"):
        chunk = conn.recv(_CHUNK)
        if not chunk:
            return None, descriptors
        data += chunk
    try:
        return (marshal.loads(data[_LENGTH:]) if data else None), descriptors
    except (EOFError, ValueError, TypeError):
        return None, descriptors
