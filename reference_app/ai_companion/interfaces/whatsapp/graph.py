"""A client for the parts of Meta's Graph API the companion uses: media and messages."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx  # noqa: ASYNC127 -- only its AsyncClient is used

from ai_companion.media import MediaType

# WhatsApp's own limits for the media the companion exchanges.
MEDIA_LIMITS = {"image": 5 * 1024 * 1024, "audio": 16 * 1024 * 1024}
# The image and audio types WhatsApp sends (Ogg only with Opus: it refuses WAV, for one).
WHATSAPP_MEDIA_TYPES = (
    "image/jpeg",
    "image/png",
    "audio/aac",
    "audio/amr",
    "audio/mp4",
    "audio/mpeg",
    "audio/ogg; codecs=opus",
)


class GraphError(RuntimeError):
    """A Graph API call failed; the message names the call, never the token."""


class MediaTooLarge(GraphError):
    """A media file is over WhatsApp's size limit for its kind."""


def check_size(kind: str, size: int) -> None:
    if size > MEDIA_LIMITS[kind]:
        raise MediaTooLarge(f"{kind} of {size} bytes is over the {MEDIA_LIMITS[kind]}-byte limit")


@dataclass
class GraphClient:
    """Downloads and uploads media and sends messages from one business phone number."""

    http: httpx.AsyncClient
    base_url: str
    phone_number_id: str

    @classmethod
    async def open(
        cls, base_url: str, token: str, phone_number_id: str, *, timeout: float = 20.0
    ) -> GraphClient:
        # Building an httpx client loads TLS certificates from disk: keep that off the loop.
        http = await asyncio.to_thread(
            httpx.AsyncClient,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            follow_redirects=False,
        )
        return cls(http, base_url.rstrip("/"), phone_number_id)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self.http.request(method, f"{self.base_url}/{path}", **kwargs)
        except httpx.HTTPError as exc:
            raise GraphError(f"{method} /{path}: {type(exc).__name__}") from None
        if response.is_error:
            raise GraphError(f"{method} /{path}: HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise GraphError(f"{method} /{path}: the answer is not a JSON object")
        return answer

    async def download(self, media_id: str, kind: str) -> bytes:
        """The media's bytes; refused before or while downloading when over the limit."""
        info = await self._call("GET", media_id)
        url, size = info.get("url"), info.get("file_size")
        if not isinstance(url, str):
            raise GraphError(f"GET /{media_id}: no media URL")
        if str(size).isdigit():
            check_size(kind, int(size))
        data = bytearray()
        try:
            async with self.http.stream("GET", url) as response:
                if response.is_error:
                    raise GraphError(f"media download: HTTP {response.status_code}")
                async for chunk in response.aiter_bytes():
                    data += chunk
                    check_size(kind, len(data))
        except httpx.HTTPError as exc:
            raise GraphError(f"media download: {type(exc).__name__}") from None
        return bytes(data)

    async def upload(self, data: bytes, media: MediaType) -> str:
        """Upload media for a message; return its media id."""
        check_size(media.kind, len(data))
        answer = await self._call(
            "POST",
            f"{self.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": media.mime},
            files={"file": (f"reply{media.suffix}", data, media.mime)},
        )
        if not isinstance(answer.get("id"), str):
            raise GraphError("media upload: no media id in the answer")
        return str(answer["id"])

    async def send(self, to: str, kind: str, content: dict[str, Any]) -> str:
        """Send a ``kind`` message (text, audio, image) to ``to``; return its message id."""
        answer = await self._call(
            "POST",
            f"{self.phone_number_id}/messages",
            json={"messaging_product": "whatsapp", "to": to, "type": kind, kind: content},
        )
        messages = answer.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def send_text(self, to: str, text: str) -> str:
        return await self.send(to, "text", {"body": text})
