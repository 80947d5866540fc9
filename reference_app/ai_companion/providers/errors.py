"""Provider errors as the user sees them, and which SDK failures are worth retrying."""

from __future__ import annotations

import asyncio

import groq
import httpx  # noqa: ASYNC127 -- the SDKs are built on httpx; we catch its errors
import together

_CONNECTION_ERRORS = (
    TimeoutError,
    asyncio.TimeoutError,  # a distinct class before Python 3.11
    httpx.TransportError,
    groq.APIConnectionError,
    together.APIConnectionError,
)
_RETRYABLE_STATUS = frozenset({408, 409, 429})


class ProviderError(RuntimeError):
    """A provider call failed for good; the message is fit to show the user."""


class ProviderUnavailable(ProviderError):
    """The provider is down, slow or its circuit is open."""


class ProviderRejected(ProviderError):
    """The provider refused the request itself (bad input, auth): retrying will not help."""


def status_of(exc: BaseException) -> int | None:
    """The HTTP status an SDK exception carries, if any (Stainless and Fern SDKs alike)."""
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def detail_of(exc: BaseException) -> str:
    """The provider's own error message when the SDK parsed one, else the exception text."""
    body = getattr(exc, "body", None)
    error = body.get("error", body) if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message) if message else str(exc)


def is_provider_failure(exc: BaseException) -> bool:
    """Timeouts, connection errors, 5xx, rate limits and errors reported mid-stream: the
    provider's fault; retry, count."""
    if isinstance(exc, _CONNECTION_ERRORS):
        return True
    status = status_of(exc)
    if status is None:
        # Groq's streams report a failure after the 200 as an error event: an APIError
        # without a status (its status errors and connection errors are subclasses).
        return type(exc) is groq.APIError
    return status in _RETRYABLE_STATUS or status >= 500
