"""WhatsApp Cloud API webhook notifications as Meta sends them, and a signing client."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import httpx  # noqa: ASYNC127 -- the app and its SDKs are built on httpx
from ai_companion.interfaces.whatsapp.app import PATH
from ai_companion.interfaces.whatsapp.signature import sign

SECRET = "app-secret-for-tests"
GRAPH_TOKEN = "graph-token-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
PHONE_NUMBER_ID = "109876543210"
_ids = itertools.count(1)


def notification(*, messages=(), statuses=()) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": "123456789"},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "Test"}, "wa_id": m["from"]} for m in messages]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    change = {"field": "messages", "value": value}
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}


def message(sender: str, kind: str, content: dict[str, Any], message_id: str | None = None):
    return {
        "from": sender,
        "id": message_id or f"wamid.test{next(_ids)}",
        "timestamp": "1764504000",
        "type": kind,
        kind: content,
    }


def text(sender: str, body: str, message_id: str | None = None) -> dict[str, Any]:
    return message(sender, "text", {"body": body}, message_id)


def image(sender: str, media_id: str, caption: str = "") -> dict[str, Any]:
    return message(sender, "image", {"id": media_id, "mime_type": "image/png", "caption": caption})


def audio(sender: str, media_id: str) -> dict[str, Any]:
    return message(
        sender, "audio", {"id": media_id, "mime_type": "audio/ogg; codecs=opus", "voice": True}
    )


def status(message_id: str = "wamid.out1", state: str = "delivered") -> dict[str, Any]:
    return {"id": message_id, "status": state, "timestamp": "1764504001", "recipient_id": "4915"}


async def http_client(base_url: str) -> httpx.AsyncClient:
    # Building an httpx client loads TLS certificates from disk: keep that off the loop.
    return await asyncio.to_thread(httpx.AsyncClient, base_url=base_url, timeout=10)


class WebhookClient:
    """Real HTTP to the webhook; ``post`` signs the exact bytes it sends unless told not to."""

    def __init__(self, http: httpx.AsyncClient):
        self.http = http

    async def post(
        self, document: Any = None, *, body: bytes | None = None, secret: str | None = SECRET
    ) -> httpx.Response:
        raw = json.dumps(document).encode() if body is None else body
        return await self.post_raw(raw, None if secret is None else sign(raw, secret))

    async def post_raw(self, body: Any, signature: str | bytes | None) -> httpx.Response:
        """POST ``body`` (bytes or an async iterator, sent chunked) with ``signature``."""
        headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return await self.http.post(PATH, content=body, headers=headers)

    async def verify(self, **params: str) -> httpx.Response:
        return await self.http.get(PATH, params={f"hub.{k}": v for k, v in params.items()})
