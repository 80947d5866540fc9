"""Where concurrent calls (``busy_pool.CALLS`` of them) wait for each other, to go on
together: a runtime fixture's calls then race at the same statements."""

from __future__ import annotations

import asyncio

from busy_pool import CALLS


class Meeting:
    """Every call of ``wait`` returns once all ``CALLS`` calls have come."""

    def __init__(self) -> None:
        self.come = 0
        self.everyone = asyncio.Event()

    async def wait(self) -> None:
        self.come += 1
        if self.come == CALLS:
            self.everyone.set()
        await self.everyone.wait()
