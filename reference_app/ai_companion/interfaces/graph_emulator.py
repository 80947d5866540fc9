"""A loopback stand-in for the WhatsApp Cloud (Graph) API: media download/upload and messages.

It checks the bearer token and the phone number id like Meta does, takes uploads only of the
media types WhatsApp sends (the content checked, so WAV or Ogg Vorbis is refused), keeps them so
they can be downloaded again, and records every message sent, so the webhook runs offline
and tests can assert what a user would have received. It serves on the caller's event loop.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ai_companion.emulator import Faults
from ai_companion.interfaces.whatsapp.graph import MEDIA_LIMITS, WHATSAPP_MEDIA_TYPES
from ai_companion.media import sniff

Handler = Callable[[Request], Awaitable[Response]]
SENT_PATIENCE = 10.0  # seconds to wait for expected messages before giving up
WHATSAPP_ONLY = "send one of " + ", ".join(WHATSAPP_MEDIA_TYPES) + ", with content to match"


@dataclass(frozen=True)
class SentMessage:
    """A message the business sent: ``content`` is the ``text``/``audio``/``image`` object."""

    to: str
    kind: str
    content: dict[str, Any]


@dataclass(frozen=True)
class StoredMedia:
    data: bytes
    mime: str


def _essence(mime: str) -> str:
    """The type without its parameters: ``audio/ogg`` for ``audio/ogg; codecs=opus``."""
    return mime.partition(";")[0].strip().lower()


def _graph_error(status: int, message: str, code: int = 100) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "OAuthException", "code": code}}, status
    )


@dataclass
class GraphEmulator:
    """The Graph API for one business number; ``faults`` per endpoint group."""

    token: str = field(repr=False)
    phone_number_id: str = "100000000000001"
    media: dict[str, StoredMedia] = field(default_factory=dict)
    sent: list[SentMessage] = field(default_factory=list)
    faults: dict[str, Faults] = field(
        default_factory=lambda: {name: Faults() for name in ("download", "upload", "messages")}
    )
    on_sent: Callable[[SentMessage], object] | None = None

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()

    def add_media(self, data: bytes, mime: str) -> str:
        """Store media as if a user had sent it; return its media id."""
        media_id = f"{next(self._ids):015d}"
        self.media[media_id] = StoredMedia(data, mime)
        return media_id

    async def wait_for_sent(self, count: int) -> list[SentMessage]:
        """The sent messages once there are at least ``count`` (within ``SENT_PATIENCE`` s)."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.sent) >= count), SENT_PATIENCE
            )
        return list(self.sent)

    def _guarded(self, faults: str, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.encode(), self.token.encode()
            ):
                return _graph_error(401, "Invalid OAuth access token.", code=190)
            if request.path_params.get("phone_id", self.phone_number_id) != self.phone_number_id:
                return _graph_error(400, "Unknown phone number id.")
            status = await self.faults[faults].inject()
            if status is not None:
                return _graph_error(status, f"injected failure (HTTP {status})", code=2)
            return await handler(request)

        return endpoint

    async def _media_info(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        stored = self.media.get(media_id)
        if stored is None:
            return _graph_error(404, "Unknown media id.")
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": str(request.url_for("media_content", media_id=media_id)),
                "mime_type": stored.mime,
                "file_size": len(stored.data),
                "id": media_id,
            }
        )

    async def _media_content(self, request: Request) -> Response:
        stored = self.media.get(request.path_params["media_id"])
        if stored is None:
            return _graph_error(404, "Unknown media id.")
        return Response(stored.data, media_type=stored.mime)

    async def _upload(self, request: Request) -> Response:
        async with request.form(max_part_size=max(MEDIA_LIMITS.values())) as form:
            upload, mime = form.get("file"), str(form.get("type", ""))
            if form.get("messaging_product") != "whatsapp" or isinstance(upload, str) or not upload:
                return _graph_error(400, "messaging_product and file are required.")
            data = await upload.read()
        found = sniff(data)
        if (
            found is None
            or found.mime not in WHATSAPP_MEDIA_TYPES
            or _essence(found.mime) != _essence(mime)
        ):
            return _graph_error(400, f"Unsupported media: {mime or 'no type'} ({WHATSAPP_ONLY}).")
        if len(data) > MEDIA_LIMITS[found.kind]:
            return _graph_error(400, f"The {found.kind} is over WhatsApp's size limit.")
        return JSONResponse({"id": self.add_media(data, mime)})

    async def _message(self, request: Request) -> Response:
        body = await request.json()
        kind = body.get("type")
        content = body.get(kind) if isinstance(kind, str) else None
        if body.get("messaging_product") != "whatsapp" or not body.get("to") or not content:
            return _graph_error(400, "messaging_product, to, type and its object are required.")
        if kind in ("audio", "image") and content.get("id") not in self.media:
            return _graph_error(400, "Unknown media id.")
        if kind == "text" and not content.get("body"):
            return _graph_error(400, "A text message needs a body.")
        message = SentMessage(str(body["to"]), kind, content)
        async with self._changed:
            self.sent.append(message)
            self._changed.notify_all()
        if self.on_sent is not None:
            self.on_sent(message)
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": message.to, "wa_id": message.to}],
                "messages": [{"id": f"wamid.emulated{len(self.sent)}"}],
            }
        )

    def app(self) -> Starlette:
        """The ASGI application, at the Graph API's own paths (serve it under any base URL)."""
        return Starlette(
            routes=[
                Route("/{phone_id}/media", self._guarded("upload", self._upload), methods=["POST"]),
                Route(
                    "/{phone_id}/messages",
                    self._guarded("messages", self._message),
                    methods=["POST"],
                ),
                Route(
                    "/media-content/{media_id}",
                    self._guarded("download", self._media_content),
                    name="media_content",
                ),
                Route("/{media_id}", self._guarded("download", self._media_info)),
            ]
        )
