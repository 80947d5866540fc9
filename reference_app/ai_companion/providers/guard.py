"""Timeout, retries and a circuit breaker around every provider call."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from ai_companion.providers.errors import (
    ProviderRejected,
    ProviderUnavailable,
    detail_of,
    is_provider_failure,
    status_of,
)
from ai_companion.resilience import CircuitBreaker, CircuitOpenError, RetryPolicy

T = TypeVar("T")


class ProviderGuard:
    """Runs provider calls with a timeout per attempt, retries and a per-provider breaker."""

    def __init__(
        self,
        name: str,
        *,
        timeout: float,
        retries: int,
        failure_threshold: int = 3,
        reset_timeout: float = 10.0,
        base_delay: float = 0.2,
    ) -> None:
        self.name = name
        self.timeout = timeout
        self.breaker = CircuitBreaker(
            name,
            failure_threshold=failure_threshold,
            reset_timeout=reset_timeout,
            is_failure=is_provider_failure,
        )
        self.retry = RetryPolicy(
            attempts=retries + 1, base_delay=base_delay, is_retryable=is_provider_failure
        )

    async def _attempt(self, func: Callable[[], Awaitable[T]]) -> T:
        return await self.breaker.call_async(lambda: asyncio.wait_for(func(), self.timeout))

    async def run(self, func: Callable[[], Awaitable[T]]) -> T:
        """Await ``func()``; raise :class:`ProviderUnavailable` or :class:`ProviderRejected`."""
        try:
            return await self.retry.run(lambda: self._attempt(func))
        except CircuitOpenError as exc:
            raise ProviderUnavailable(f"{self.name} is unavailable ({exc})") from exc
        except Exception as exc:
            if is_provider_failure(exc):
                reason = f"HTTP {status_of(exc)}" if status_of(exc) else type(exc).__name__
                raise ProviderUnavailable(
                    f"{self.name} is unreachable ({reason}; {self.breaker.describe()})"
                ) from exc
            if status_of(exc) is not None:
                detail = detail_of(exc)
                raise ProviderRejected(f"{self.name} rejected the request: {detail}") from exc
            raise
