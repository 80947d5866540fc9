"""What the web chat sends the companion and shows back, independent of Chainlit."""

from __future__ import annotations

import array
from collections.abc import Iterable
from pathlib import Path

from ai_companion.emulator.engines import wav_bytes
from ai_companion.media import MediaError, read_media
from ai_companion.workflow import Reply, UserMessage

UPLOAD_KINDS = ("image", "audio")


async def user_message(text: str, uploads: Iterable[tuple[Path, str]]) -> UserMessage:
    """The message with the uploaded ``(path, mime type)`` files read and checked."""
    message = UserMessage(text)
    for path, mime in uploads:
        kind = mime.partition("/")[0]
        if kind not in UPLOAD_KINDS:
            raise MediaError(f"{path.name}: send a picture or a voice note, not {mime}")
        data, _ = await read_media(path, kind)
        setattr(message, kind, data)
    return message


def understood(reply: Reply) -> str:
    """What the companion heard and saw, as quoted lines above its answer (or nothing)."""
    lines = []
    if reply.transcript is not None:
        lines.append(f"> heard: {reply.transcript or '(nothing recognised)'}")
    if reply.image_description:
        lines.append(f"> saw: {reply.image_description}")
    return "\n".join(lines)


def shown(reply: Reply) -> str:
    """The chat message for ``reply`` (complete or still being written)."""
    notices = [f"*note: {notice}*" for notice in reply.notices]
    return "\n\n".join(part for part in (understood(reply), reply.text, *notices) if part)


def recording_wav(chunks: Iterable[bytes], sample_rate: int) -> bytes:
    """A WAV file from the browser's 16-bit mono PCM recording chunks (in memory)."""
    pcm = b"".join(chunks)
    return wav_bytes(array.array("h", pcm[: len(pcm) // 2 * 2]), sample_rate)
