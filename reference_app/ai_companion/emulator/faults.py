"""Injected latency, errors and hangs for the emulated providers (tests and benchmarks)."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field


@dataclass
class Faults:
    """How one emulated provider misbehaves; change the fields at any time, even mid-run.

    ``latency`` (+ up to ``jitter``) seconds are added to every request; a fraction
    ``error_rate`` of requests fail with HTTP ``error_status``; a fraction ``hang_rate``
    stall for ``hang_seconds`` first (longer than the client's timeout, so it gives up).
    Streamed replies send a token every ``token_interval`` seconds (an emulated model's
    pace); halfway, a fraction ``cut_rate`` of them drop the connection and a fraction
    ``stream_error_rate`` end with an error event (as Groq reports an overload mid-stream).
    """

    latency: float = 0.0
    jitter: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503
    hang_rate: float = 0.0
    hang_seconds: float = 30.0
    token_interval: float = 0.02
    cut_rate: float = 0.0
    stream_error_rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    requests: int = 0

    def reset(self) -> None:
        """Back to a healthy provider (the request counter keeps counting)."""
        self.latency = self.jitter = self.error_rate = self.hang_rate = 0.0
        self.cut_rate = self.stream_error_rate = 0.0
        self.error_status = 503

    async def inject(self) -> int | None:
        """Sleep as configured; return an HTTP status to fail with, or None to answer."""
        self.requests += 1
        delay = self.latency + self.rng.uniform(0, self.jitter)
        if self.rng.random() < self.hang_rate:
            delay += self.hang_seconds
        await asyncio.sleep(delay)
        return self.error_status if self.rng.random() < self.error_rate else None

    def stream_fault(self) -> str | None:
        """How the stream about to start breaks off halfway: ``"cut"`` (the connection drops),
        ``"error"`` (an error event ends it) or not at all (None)."""
        draw = self.rng.random()
        if draw < self.cut_rate:
            return "cut"
        return "error" if draw < self.cut_rate + self.stream_error_rate else None
