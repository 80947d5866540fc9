"""The resident server: imports what `deblock check` runs, then forks a child for each
run a client hands it (``client.forward``).

    python -m deblock.resident.server [--idle SECONDS]

Started by `deblock server start` or `deblock check --server`; stops after ``--idle``
seconds without a request, on `deblock server stop`, or, answering a run with ``stale``,
when deblock's code or the environment's packages differ from what it imported.
"""

from __future__ import annotations

import _thread
import argparse
import fcntl
import gc
import importlib
import importlib.util
import os
import pkgutil
import signal
import socket
import sys
import threading
import time

from deblock.__main__ import command_line
from deblock.library.packages import environment_stamp
from deblock.resident import IDLE_SECONDS
from deblock.resident.address import refusal, server_file, socket_path
from deblock.resident.messages import receive, send

_REQUEST_SECONDS = 10  # for a client to send its request
_STDIO = ("r", "w", "w")  # the modes of the streams a run is handed
# What a run imports besides deblock's modules when it asks for them.
_LIBRARIES = ("json", "tomllib", "concurrent.futures.process", "multiprocessing.context")
_PACKAGES = ("deblock", "deblock.codemods")  # codemods/ stands apart in an editable install


def code_stamp() -> tuple:
    """What the server's imports were made of: deblock's files and the environment's
    package directories (a change means a fresh process would run other code)."""
    files = {}
    for top in code_directories():
        for root, folders, names in os.walk(top):
            folders[:] = [f for f in folders if f != "__pycache__"]
            for name in names:
                if name.endswith(".py"):
                    status = os.stat(os.path.join(root, name))
                    files[os.path.join(root, name)] = (status.st_mtime_ns, status.st_size)
    return sys.executable, environment_stamp(None), tuple(sorted(files.items()))


def code_directories() -> list[str]:
    """The directories of deblock's packages (``_PACKAGES``): a codemods/ beside its
    source stands outside deblock's own directory."""
    return [
        d
        for package in _PACKAGES
        for d in importlib.util.find_spec(package).submodule_search_locations
    ]


def preload() -> None:
    """Import every module a run may use, as a fresh process would on demand (but the
    server's own)."""
    for library in _LIBRARIES:
        importlib.import_module(library)
    for package in _PACKAGES:
        found = pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}.")
        for module in found:
            if not module.name.startswith("deblock.resident"):
                importlib.import_module(module.name)


def serve(idle: float) -> int:
    """Serve until idle for ``idle`` seconds, stopped, or stale; 0, or 1 when another
    server of this installation runs already."""
    reason = refusal()
    if reason:
        print(f"deblock server: {reason}", file=sys.stderr)
        return 1
    lock = open(server_file(".lock"), "w")  # held while serving
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 1
    stamp = code_stamp()
    preload()
    path = socket_path()
    if os.path.exists(path):
        os.unlink(path)  # a server that died without removing it (the lock was free)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(idle)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped as they end
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    started = time.time()
    gc.freeze()  # the children share the imports' pages; no collection copies them
    try:
        status = {"pid": os.getpid(), "since": started, "idle": idle, "runs": 0}
        while _answer(listener, stamp, status):
            pass
    finally:
        os.unlink(path)
    return 0


def _answer(listener: socket.socket, stamp: tuple, status: dict) -> bool:
    """Take one connection and answer it (``status`` for any request but a run, which
    it counts); whether to go on serving."""
    try:
        conn, _ = listener.accept()
    except TimeoutError:
        return False
    with conn:
        conn.settimeout(_REQUEST_SECONDS)
        try:
            request, descriptors = receive(conn)
        except OSError:  # a client that sent nothing in time, or went away
            return True
        try:
            operation = request.get("op") if isinstance(request, dict) else None
            if operation != "run" or len(descriptors) != len(_STDIO):
                send(conn, status | {"stopping": operation == "stop"})
                return operation != "stop"
            if code_stamp() != stamp:  # a fresh process would run other code
                send(conn, {"stale": True})
                return False
            status["runs"] += 1
            if os.fork() == 0:
                _run_child(listener, conn, request, descriptors)
            return True
        finally:
            for descriptor in descriptors:
                os.close(descriptor)


def _run_child(listener: socket.socket, conn: socket.socket, request: dict, streams) -> None:
    """In the forked child: become the client's process (streams, directory, umask,
    environment, arguments), run the command line, send its exit status, and end."""
    status = 2
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the run waits for its own workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # its client's end interrupts it, however the server was started (a background
        # job ignores SIGINT, and so would its server, whose interrupts would do nothing)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        listener.close()
        conn.settimeout(None)
        for target, descriptor in enumerate(streams):
            os.dup2(descriptor, target)
            os.close(descriptor)
        sys.stdin, sys.stdout, sys.stderr = (_stream(i, m) for i, m in enumerate(_STDIO))
        os.chdir(request["cwd"])
        os.umask(request["umask"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(request["argv"])
        _end_with_client(conn)
        status = command_line(sys.argv[1:])
    finally:
        try:
            send(conn, {"status": status})
        finally:
            os._exit(0)


def _end_with_client(conn: socket.socket) -> None:
    """Interrupt the run (as Ctrl-C would) when its client ends first: it sends nothing
    after its request, so its connection's end is the only thing that can come."""

    def watch() -> None:
        try:
            conn.recv(1)
        except OSError:
            pass
        _thread.interrupt_main()

    threading.Thread(target=watch, daemon=True).start()


def _stream(descriptor: int, mode: str):
    """A standard stream on the client's ``descriptor``, encoded as this process's are."""
    like = (sys.stdin, sys.stdout, sys.stderr)[descriptor]
    interactive = os.isatty(descriptor)
    return open(
        descriptor,
        mode,
        encoding=like.encoding,
        errors=like.errors,
        closefd=False,
        buffering=1 if interactive else -1,
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m deblock.resident.server")
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS,
                        help="seconds without a request before it stops")  # fmt: skip
    sys.exit(serve(parser.parse_args().idle))


if __name__ == "__main__":
    main()
