"""Recognising, reading and saving media files without blocking the event loop."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aiofiles
import aiofiles.os


class MediaError(ValueError):
    """A media file is missing, unreadable or of an unsupported type."""


@dataclass(frozen=True)
class MediaType:
    kind: str  # "image" or "audio"
    suffix: str
    mime: str


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", MediaType("image", ".png", "image/png")),
    (b"\xff\xd8\xff", MediaType("image", ".jpg", "image/jpeg")),
    (b"GIF8", MediaType("image", ".gif", "image/gif")),
    (b"ID3", MediaType("audio", ".mp3", "audio/mpeg")),
    (b"\xff\xfb", MediaType("audio", ".mp3", "audio/mpeg")),
    (b"\xff\xf3", MediaType("audio", ".mp3", "audio/mpeg")),
    (b"OggS", MediaType("audio", ".ogg", "audio/ogg")),
    (b"fLaC", MediaType("audio", ".flac", "audio/flac")),
)


def sniff(data: bytes) -> MediaType | None:
    """The media type of ``data`` from its first bytes, or None if unsupported."""
    if data[:4] == b"OggS" and data[28:36] == b"OpusHead":  # Opus's header is the first packet
        return MediaType("audio", ".ogg", "audio/ogg; codecs=opus")
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return MediaType("audio", ".wav", "audio/wav")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return MediaType("image", ".webp", "image/webp")
    return next((media for magic, media in _SIGNATURES if data.startswith(magic)), None)


async def read_media(path: Path, kind: str) -> tuple[bytes, MediaType]:
    """Read ``path`` and check it holds media of ``kind``; raise :class:`MediaError` if not."""
    try:
        async with aiofiles.open(path, "rb") as file:
            data = await file.read()
    except FileNotFoundError:
        raise MediaError(f"{path}: no such file") from None
    except OSError as exc:
        raise MediaError(f"{path}: cannot read ({exc.strerror})") from None
    media = sniff(data)
    if media is None or media.kind != kind:
        raise MediaError(f"{path}: not a supported {kind} file")
    return data, media


class MediaStore:
    """Writes generated media under ``<data dir>/media`` and returns their paths."""

    def __init__(self, directory: Path):
        self.directory = directory

    async def save(self, conversation: str, data: bytes) -> Path:
        media = sniff(data)
        suffix = media.suffix if media else ".bin"
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in conversation)[:40]
        path = self.directory / f"{safe}-{int(time.time())}-{uuid.uuid4().hex[:8]}{suffix}"
        await aiofiles.os.makedirs(self.directory, exist_ok=True)
        async with aiofiles.open(path, "wb") as file:
            await file.write(data)
        return path
