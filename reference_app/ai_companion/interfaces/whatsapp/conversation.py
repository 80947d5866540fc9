"""One WhatsApp message answered: media fetched, the companion's turn, the reply sent back."""

from __future__ import annotations

import logging
from pathlib import Path

from ai_companion.interfaces.whatsapp.graph import GraphClient, GraphError
from ai_companion.interfaces.whatsapp.payload import MEDIA_KINDS, IncomingMessage
from ai_companion.media import MediaError, read_media
from ai_companion.workflow import Companion, Reply, UserMessage

log = logging.getLogger(__name__)

SILENT_KINDS = ("reaction",)  # an emoji on an earlier message needs no answer
CAPTION_LIMIT = 1024  # WhatsApp's longest image caption
UNSUPPORTED = "I can read text, look at pictures and listen to voice notes, but not that, sorry."
UNREADABLE = "Sorry, I couldn't open what you sent. Could you try again?"


def conversation_id(sender: str) -> str:
    return f"whatsapp:{sender}"


def masked(sender: str) -> str:
    """A phone number as logs may show it."""
    return f"…{sender[-4:]}"


class WhatsAppConversation:
    """Handles each message with ``companion`` and answers through ``graph``."""

    def __init__(self, companion: Companion, graph: GraphClient):
        self.companion = companion
        self.graph = graph

    async def __call__(self, message: IncomingMessage) -> None:
        if message.kind in SILENT_KINDS:
            return
        if message.kind != "text" and message.kind not in MEDIA_KINDS:
            await self.graph.send_text(message.sender, UNSUPPORTED)
            return
        try:
            user_message = await self._user_message(message)
        except GraphError as exc:
            log.warning("message %s: cannot fetch its %s: %s", message.id, message.kind, exc)
            await self.graph.send_text(message.sender, UNREADABLE)
            return
        reply = await self.companion.respond(conversation_id(message.sender), user_message)
        for notice in reply.notices:
            log.warning("message %s: %s", message.id, notice)
        await self._answer(message.sender, reply)
        log.info("answered message %s from %s (%s)", message.id, masked(message.sender), reply.mode)

    async def _user_message(self, message: IncomingMessage) -> UserMessage:
        if message.media_id is None:
            return UserMessage(message.text)
        data = await self.graph.download(message.media_id, message.kind)
        return UserMessage(message.text, **{message.kind: data})

    async def _answer(self, to: str, reply: Reply) -> None:
        """Send the picture or voice note when there is one, else (or if that fails) the text."""
        try:
            if reply.image_path is not None:
                await self._send_image(to, reply.image_path, reply.text)
                return
            if reply.audio_path is not None:
                await self._send_media(to, reply.audio_path, "audio", {})
                return
        except (GraphError, MediaError) as exc:
            log.warning("could not send the %s reply, sending text instead: %s", reply.mode, exc)
        await self.graph.send_text(to, reply.text)

    async def _send_image(self, to: str, path: Path, text: str) -> None:
        if len(text) <= CAPTION_LIMIT:
            await self._send_media(to, path, "image", {"caption": text})
            return
        await self._send_media(to, path, "image", {})
        await self.graph.send_text(to, text)

    async def _send_media(self, to: str, path: Path, kind: str, extra: dict[str, str]) -> None:
        data, media = await read_media(path, kind)
        media_id = await self.graph.upload(data, media)
        await self.graph.send(to, kind, {"id": media_id, **extra})
