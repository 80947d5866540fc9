"""Holding Ctrl-C and SIGTERM off while files are replaced.

A signal's Python handler runs between any two bytecodes: ``KeyboardInterrupt`` could be
raised after a temporary file is created and before the name bound to it, where no
``except`` can remove it. Within ``uninterrupted()`` the signals are only noted, and
delivered, with their own handlers, once the block has ended. Around a fork the signals are
blocked instead (``blocked``): a handler run inside an at-fork hook has its exception printed
and dropped, and the forked process would inherit a deferring handler.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Run the block with SIGINT and SIGTERM deferred to its end (signals are handled by
    the main thread only: in another, the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = {}
    try:
        for number in SIGNALS:
            if signal.getsignal(number) is not None:  # None: a handler not set from Python
                held[number] = signal.signal(number, lambda n, _: caught.append(n))
        yield
    finally:
        for number, handler in held.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


@contextmanager
def blocked() -> Iterator[None]:
    """Run the block with SIGINT and SIGTERM blocked: the kernel keeps them pending and
    delivers them at the block's end. Processes forked inside start with them blocked
    (``unblock`` there)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def unblock() -> None:
    """Let SIGINT and SIGTERM reach this process again (in one forked within ``blocked``)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
