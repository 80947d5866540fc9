"""The webhook as a Starlette application: Meta's handshake and signed notifications."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ai_companion.interfaces.whatsapp import payload, signature
from ai_companion.interfaces.whatsapp.dispatcher import Busy, Dispatcher

log = logging.getLogger(__name__)
PATH = "/whatsapp/webhook"
MAX_BODY = 1024 * 1024  # notifications are a few kB; Meta batches at most a few hundred


class BodyTooLarge(ValueError):
    """The request body is over the limit."""


@dataclass(frozen=True)
class WebhookSecurity:
    """What a request must prove. ``allow_unsigned`` (development only) applies without a secret."""

    verify_token: str = field(repr=False)
    app_secret: str = field(repr=False)
    allow_unsigned: bool = False
    max_body: int = MAX_BODY


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused as soon as its declared or received size passes ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(declared)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge(len(body))
    return bytes(body)


def _refuse(status: int, reason: str) -> PlainTextResponse:
    """A bare status for the caller; the reason goes to the log only."""
    log.warning("webhook: refused with %d: %s", status, reason)
    return PlainTextResponse(HTTPStatus(status).phrase, status)


def build_app(security: WebhookSecurity, dispatcher: Dispatcher) -> Starlette:
    """``GET`` answers the verification handshake; ``POST`` queues the messages it carries."""

    # Async although it never awaits: Starlette would run a sync endpoint in a worker thread.
    async def verify(request: Request) -> Response:  # noqa: ASYNC124
        query = request.query_params
        token = query.get("hub.verify_token", "")
        if (
            query.get("hub.mode") == "subscribe"
            and security.verify_token
            and hmac.compare_digest(token.encode(), security.verify_token.encode())
        ):
            return PlainTextResponse(query.get("hub.challenge", ""))
        return _refuse(403, "verification failed")

    async def notify(request: Request) -> Response:
        if not security.app_secret and not security.allow_unsigned:
            return _refuse(403, "WHATSAPP_APP_SECRET is not configured")
        header = request.headers.get("x-hub-signature-256")
        if security.app_secret and not header:
            return _refuse(403, "missing signature")
        try:
            body = await read_body(request, security.max_body)
        except BodyTooLarge:
            return _refuse(413, "body too large")
        if security.app_secret and not signature.is_valid(header, body, security.app_secret):
            return _refuse(403, "invalid signature")
        try:
            messages = payload.parse(body)
        except payload.PayloadError as exc:
            return _refuse(400, f"bad notification: {exc}")
        try:
            accepted = await dispatcher.submit(messages)
        except Busy as exc:
            return _refuse(503, str(exc))
        return JSONResponse({"accepted": accepted, "duplicates": len(messages) - accepted})

    return Starlette(
        routes=[Route(PATH, verify, methods=["GET"]), Route(PATH, notify, methods=["POST"])]
    )
