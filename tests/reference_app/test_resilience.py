"""Circuit breaker and retry policy, on their own, with a controllable clock."""

from __future__ import annotations

import asyncio
import random

import pytest
from ai_companion.resilience import BreakerState, CircuitBreaker, CircuitOpenError, RetryPolicy


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class ProviderDown(Exception):
    pass


class BadInput(Exception):
    pass


def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(
        "test",
        failure_threshold=3,
        reset_timeout=10,
        is_failure=lambda exc: isinstance(exc, ProviderDown),
        clock=clock,
    )


async def fail() -> None:
    raise ProviderDown


async def succeed() -> str:
    return "ok"


def flaky(failures: int, error: type[Exception] = ProviderDown):
    """A coroutine function raising ``error`` ``failures`` times, then returning "done"."""
    calls: list[int] = []

    async def call() -> str:
        calls.append(1)
        if len(calls) <= failures:
            raise error
        return "done"

    return call, calls


async def tripped() -> tuple[Clock, CircuitBreaker]:
    """A breaker opened at time 0 by consecutive failures, and its clock."""
    clock = Clock()
    cb = breaker(clock)
    for _ in range(cb.failure_threshold):
        with pytest.raises(ProviderDown):
            await cb.call_async(fail)
    return clock, cb


async def test_opens_after_threshold_and_rejects_without_calling():
    _, cb = await tripped()
    assert cb.state is BreakerState.OPEN
    call, calls = flaky(0)
    with pytest.raises(CircuitOpenError) as info:
        await cb.call_async(call)
    assert calls == []
    assert info.value.retry_in == pytest.approx(10)
    assert str(info.value) == "test breaker open; retry in 10.0s"


async def test_half_opens_after_timeout_then_success_closes():
    clock, cb = await tripped()
    clock.now = 10.5
    assert cb.state is BreakerState.HALF_OPEN
    assert await cb.call_async(succeed) == "ok"
    assert cb.state is BreakerState.CLOSED
    assert cb.failures == 0


async def test_failed_probe_reopens_immediately():
    clock, cb = await tripped()
    clock.now = 11
    with pytest.raises(ProviderDown):
        await cb.call_async(fail)
    assert cb.state is BreakerState.OPEN
    with pytest.raises(CircuitOpenError):
        await cb.call_async(succeed)


async def test_half_open_admits_a_single_probe_at_a_time():
    clock, cb = await tripped()
    clock.now = 11
    release = asyncio.Event()

    async def slow_probe() -> str:
        await release.wait()
        return "probe"

    probe = asyncio.create_task(cb.call_async(slow_probe))
    await asyncio.sleep(0)
    with pytest.raises(CircuitOpenError):
        await cb.call_async(succeed)
    release.set()
    assert await probe == "probe"
    assert cb.state is BreakerState.CLOSED


async def test_errors_that_are_not_provider_failures_do_not_count():
    cb = breaker(Clock())

    async def invalid() -> None:
        raise BadInput

    for _ in range(5):
        with pytest.raises(BadInput):
            await cb.call_async(invalid)
    assert cb.state is BreakerState.CLOSED
    assert cb.failures == 0


async def test_success_resets_the_consecutive_failure_count():
    cb = breaker(Clock())
    for _ in range(2):
        with pytest.raises(ProviderDown):
            await cb.call_async(fail)
    await cb.call_async(succeed)
    with pytest.raises(ProviderDown):
        await cb.call_async(fail)
    assert cb.state is BreakerState.CLOSED


async def test_concurrent_failures_open_it_once_and_every_call_is_accounted_for():
    cb = breaker(Clock())

    async def slow_fail() -> None:
        await asyncio.sleep(0.01)
        raise ProviderDown

    results = await asyncio.gather(
        *(cb.call_async(slow_fail) for _ in range(50)), return_exceptions=True
    )
    assert all(isinstance(r, ProviderDown) for r in results)
    assert cb.failures == 50
    assert cb.state is BreakerState.OPEN


def _sync_fail() -> None:
    raise ProviderDown


async def test_sync_call_from_worker_threads_shares_the_state():
    cb = breaker(Clock())
    for _ in range(3):
        with pytest.raises(ProviderDown):
            await asyncio.to_thread(cb.call, _sync_fail)
    assert cb.state is BreakerState.OPEN
    with pytest.raises(CircuitOpenError):
        await asyncio.to_thread(cb.call, lambda: "never")


async def test_retry_retries_retryable_errors_then_succeeds():
    call, calls = flaky(2)
    assert await RetryPolicy(attempts=3, base_delay=0.001).run(call) == "done"
    assert len(calls) == 3


async def test_retry_gives_up_after_the_last_attempt():
    call, calls = flaky(10)
    with pytest.raises(ProviderDown):
        await RetryPolicy(attempts=4, base_delay=0.001).run(call)
    assert len(calls) == 4


async def test_retry_never_retries_non_retryable_errors():
    call, calls = flaky(10, BadInput)
    policy = RetryPolicy(attempts=5, is_retryable=lambda e: isinstance(e, ProviderDown))
    with pytest.raises(BadInput):
        await policy.run(call)
    assert calls == [1]


def test_backoff_is_exponential_capped_and_jittered():
    policy = RetryPolicy(base_delay=0.1, max_delay=1.0, rng=random.Random(7))
    for attempt, cap in [(0, 0.1), (1, 0.2), (2, 0.4), (3, 0.8), (6, 1.0)]:
        delays = [policy.delay(attempt) for _ in range(200)]
        assert all(0 <= d <= cap for d in delays)
        assert max(delays) > 0.8 * cap  # reaches near the cap...
        assert len(set(delays)) > 100  # ...with jitter spreading the retries
