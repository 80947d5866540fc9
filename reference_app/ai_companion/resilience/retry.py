"""Retries with exponential backoff and full jitter, sleeping with ``asyncio.sleep``."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    """Retry ``attempts - 1`` times on errors ``is_retryable`` accepts, never on others."""

    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 5.0
    is_retryable: Callable[[BaseException], bool] = lambda exc: True
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        """Full jitter: uniform between 0 and the capped exponential delay for ``attempt``."""
        return self.rng.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))

    async def run(self, func: Callable[[], Awaitable[T]]) -> T:
        """Await ``func()``, retrying retryable failures after a backoff."""
        attempt = 0
        while True:
            try:
                return await func()
            except Exception as exc:
                if attempt + 1 >= self.attempts or not self.is_retryable(exc):
                    raise
                delay = self.delay(attempt)
                reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
                log.info("retrying in %.2fs after %s (attempt %d)", delay, reason, attempt + 1)
            await asyncio.sleep(delay)
            attempt += 1
