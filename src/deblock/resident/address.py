"""Where the resident server of this deblock listens: a Unix socket in a directory only
this user may enter, named after the interpreter and the installation it runs."""

from __future__ import annotations

import os
import stat
import sys

import deblock


def directory() -> str:
    """The user's directory for servers' sockets, logs and locks."""
    base = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return os.path.join(base, f"deblock-{os.getuid()}")


def private(path: str, create: bool = False) -> bool:
    """Whether directory ``path`` is this user's alone (made so when ``create``): another
    user's socket there would be handed this process's standard streams."""
    if create:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    mode = status.st_mode
    return stat.S_ISDIR(mode) and status.st_uid == os.getuid() and mode & 0o077 == 0


def refusal() -> str | None:
    """Why no server may run here: the servers' directory (made if missing) is not this
    user's alone; ``None`` when it is."""
    folder = directory()
    return None if private(folder, create=True) else f"{folder} is not this user's alone"


def base_name() -> str:
    """The server's file name stem: one server per interpreter and deblock installation."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython builds it in
        from hashlib import blake2b
    key = f"{sys.executable}\0{os.path.dirname(deblock.__file__)}\0{deblock.__version__}"
    return blake2b(key.encode(), digest_size=8).hexdigest()


def server_file(suffix: str) -> str:
    """The server's file ending in ``suffix``: its ``.sock``et, ``.lock`` and ``.log``."""
    return os.path.join(directory(), base_name() + suffix)


def socket_path() -> str:
    return server_file(".sock")
