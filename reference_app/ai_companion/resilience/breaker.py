"""A circuit breaker (closed / open / half-open) usable from coroutines and threads."""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


class BreakerState(str, enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitOpenError(RuntimeError):
    """Raised without calling the provider while the breaker is open."""

    def __init__(self, name: str, retry_in: float) -> None:
        super().__init__(f"{name} breaker open; retry in {retry_in:.1f}s")
        self.name = name
        self.retry_in = retry_in


class CircuitBreaker:
    """Stops calling a failing provider, then probes it with one trial call.

    ``failure_threshold`` consecutive failures open the circuit; after ``reset_timeout``
    seconds one caller is let through (half-open): success closes the circuit, failure
    reopens it. Only exceptions for which ``is_failure`` is true count; others (say, a
    validation error) pass through untouched. The state lives behind a ``threading.Lock``
    held for a few instructions only, never across an ``await``, so the breaker is safe
    for concurrent coroutines and for threads.
    """

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 3,
        reset_timeout: float = 10.0,
        is_failure: Callable[[BaseException], bool] = lambda exc: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._is_failure = is_failure
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False

    @property
    def state(self) -> BreakerState:
        """The current state, moving open → half-open once the reset timeout has passed."""
        with self._lock:
            if self._state is BreakerState.OPEN and self._retry_in() <= 0:
                self._state = BreakerState.HALF_OPEN
            return self._state

    @property
    def failures(self) -> int:
        return self._failures

    def _retry_in(self) -> float:
        return self._opened_at + self.reset_timeout - self._clock()

    def _admit(self) -> None:
        with self._lock:
            if self._state is BreakerState.OPEN:
                if self._retry_in() > 0:
                    raise CircuitOpenError(self.name, self._retry_in())
                self._state = BreakerState.HALF_OPEN
            if self._state is BreakerState.HALF_OPEN:
                if self._probing:
                    raise CircuitOpenError(self.name, 0.0)
                self._probing = True

    def _record(self, exc: BaseException | None) -> None:
        with self._lock:
            self._probing = False
            if exc is None:
                self._state = BreakerState.CLOSED
                self._failures = 0
                return
            if not self._is_failure(exc):
                return
            self._failures += 1
            if self._state is BreakerState.HALF_OPEN or self._failures >= self.failure_threshold:
                self._state = BreakerState.OPEN
                self._opened_at = self._clock()

    async def call_async(self, func: Callable[[], Awaitable[T]]) -> T:
        """Await ``func()`` through the breaker."""
        self._admit()
        try:
            result = await func()
        except BaseException as exc:
            self._record(exc)
            raise
        self._record(None)
        return result

    def call(self, func: Callable[[], T]) -> T:
        """Call a synchronous ``func()`` through the breaker (for threads, not coroutines)."""
        self._admit()
        try:
            result = func()
        except BaseException as exc:
            self._record(exc)
            raise
        self._record(None)
        return result

    def describe(self) -> str:
        return f"{self.name} breaker {self.state.value}"
