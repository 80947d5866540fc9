"""Which SDK failures are the provider's fault (retried and counted) and which are ours."""

from __future__ import annotations

import asyncio

import groq
import httpx
import pytest
import together
from ai_companion.providers.errors import detail_of, is_provider_failure
from elevenlabs.core.api_error import ApiError

REQUEST = httpx.Request("POST", "http://127.0.0.1/v1")


def groq_status(status: int) -> groq.APIStatusError:
    response = httpx.Response(status, request=REQUEST)
    return groq.APIStatusError("failed", response=response, body={"error": {"message": "why"}})


@pytest.mark.parametrize(
    ("exc", "failure"),
    [
        (groq_status(500), True),
        (groq_status(503), True),
        (groq_status(429), True),
        (groq_status(400), False),
        (groq_status(401), False),
        (groq_status(422), False),
        (ApiError(status_code=502), True),
        (ApiError(status_code=404), False),
        (groq.APITimeoutError(REQUEST), True),
        (together.APIConnectionError(request=REQUEST), True),
        (httpx.ConnectError("refused"), True),
        (asyncio.TimeoutError(), True),
        (ValueError("bad input"), False),
    ],
)
def test_provider_failures_are_told_apart_from_our_mistakes(exc, failure):
    assert is_provider_failure(exc) is failure


def test_detail_prefers_the_providers_own_message():
    assert detail_of(groq_status(400)) == "why"
    assert detail_of(ValueError("plain")) == "plain"
