"""Signals held off while files are replaced, and delivered by their own handlers after."""

from __future__ import annotations

import signal
import threading

import pytest

from deblock.uninterrupted import uninterrupted


def test_ctrl_c_inside_is_raised_once_the_block_has_ended(python_sigint):
    ran = []
    with pytest.raises(KeyboardInterrupt):
        with uninterrupted():
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGINT)  # twice: raised once
            ran.append("end")
    assert ran == ["end"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_sigterm_goes_to_its_own_handler_after_the_block():
    seen = []
    previous = signal.signal(signal.SIGTERM, lambda number, _: seen.append(("handler", number)))
    try:
        with uninterrupted():
            signal.raise_signal(signal.SIGTERM)
            seen.append("end")
        assert seen == ["end", ("handler", signal.SIGTERM)]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_in_another_thread_the_block_runs_as_it_is(python_sigint):
    """Only the main thread may set handlers: elsewhere nothing is deferred or raised."""
    outcome = []

    def run():
        with uninterrupted():
            outcome.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert outcome == [signal.default_int_handler]
