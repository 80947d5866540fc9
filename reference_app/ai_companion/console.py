"""Lines typed at the console, read without blocking the event loop or the program's exit.

Standard input has no portable non-blocking reader, so a line is read in a thread. Not the
loop's default executor (``asyncio.to_thread``): Ctrl-C interrupts the main thread, never
the worker still reading, and ``asyncio.run`` and the interpreter wait at exit for that
thread, so the chat would outlive Ctrl-C. A daemon thread of its own is left behind.
"""

from __future__ import annotations

import asyncio
import sys
import threading


async def read_line() -> str:
    """The next line of standard input ("" at its end)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def settle(line: str | None, error: BaseException | None) -> None:
        if future.done():  # cancelled: the chat ended
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line)

    def read() -> None:
        try:
            line, error = sys.stdin.readline(), None
        except Exception as exc:  # handed to the coroutine awaiting the line
            line, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, line, error)
        except RuntimeError:  # the loop closed while the line was awaited
            pass

    threading.Thread(target=read, name="console-reader", daemon=True).start()
    return await future
