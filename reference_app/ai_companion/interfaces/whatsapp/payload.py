"""Webhook deliveries from the WhatsApp Cloud API, parsed into messages (statuses are ignored)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MEDIA_KINDS = ("image", "audio")
# Media ids and phone numbers end up in Graph API paths and conversation ids: keep them plain.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
_PHONE = re.compile(r"[0-9]{5,20}")


class PayloadError(ValueError):
    """The body is not JSON or not shaped like a WhatsApp Business Account notification."""


@dataclass(frozen=True)
class IncomingMessage:
    """One user message: ``kind`` is WhatsApp's type (text, image, audio, sticker...)."""

    id: str
    sender: str
    kind: str
    text: str = ""  # the text body, or a picture's caption
    media_id: str | None = None


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{where} must be an object")
    return value


def _list(value: Any, where: str, *, optional: bool = False) -> list[Any]:
    if value is None and optional:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{where} must be a list")
    return value


def _string(container: dict[str, Any], key: str, where: str) -> str:
    value = container.get(key)
    if not isinstance(value, str) or not value:
        raise PayloadError(f"{where}.{key} must be a non-empty string")
    return value


def _matching(pattern: re.Pattern[str], value: str, where: str) -> str:
    if not pattern.fullmatch(value):
        raise PayloadError(f"{where} has an unexpected format")
    return value


def _message(raw: Any) -> IncomingMessage:
    message = _object(raw, "message")
    kind = _string(message, "type", "message")
    text, media_id = "", None
    if kind == "text":
        text = _string(_object(message.get("text"), "message.text"), "body", "message.text")
    elif kind in MEDIA_KINDS:
        media = _object(message.get(kind), f"message.{kind}")
        media_id = _matching(_PLAIN_ID, _string(media, "id", f"message.{kind}"), "media id")
        caption = media.get("caption", "")
        text = caption if isinstance(caption, str) else ""
    sender = _matching(_PHONE, _string(message, "from", "message"), "message.from")
    return IncomingMessage(_string(message, "id", "message"), sender, kind, text, media_id)


def parse(body: bytes) -> list[IncomingMessage]:
    """The user messages in a notification body, in delivery order; statuses yield none."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"not JSON: {exc}") from None
    root = _object(document, "body")
    if root.get("object") != "whatsapp_business_account":
        raise PayloadError("object must be 'whatsapp_business_account'")
    messages = []
    for entry in _list(root.get("entry"), "entry"):
        for change in _list(_object(entry, "entry").get("changes"), "entry.changes"):
            value = _object(_object(change, "change").get("value"), "change.value")
            messages.extend(
                _message(raw) for raw in _list(value.get("messages"), "messages", optional=True)
            )
    return messages
