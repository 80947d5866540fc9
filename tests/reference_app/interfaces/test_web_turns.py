"""The web chat's turns without a browser: uploads, recordings and what is shown back."""

from __future__ import annotations

import asyncio
import io
import wave

import aiofiles
import pytest
from ai_companion.emulator.engines import draw_picture
from ai_companion.interfaces.web.turns import recording_wav, shown, understood, user_message
from ai_companion.media import MediaError
from ai_companion.workflow import Reply, UserMessage


def pcm_frames(wav: bytes) -> bytes:
    with wave.open(io.BytesIO(wav)) as source:
        assert (source.getnchannels(), source.getsampwidth()) == (1, 2)
        return source.readframes(source.getnframes())


async def saved(path, data: bytes):
    async with aiofiles.open(path, "wb") as file:
        await file.write(data)
    return path


async def test_a_browser_recording_is_transcribed(companion, spoken_wav):
    pcm = pcm_frames(spoken_wav)
    chunks = [pcm[i : i + 4097] for i in range(0, len(pcm), 4097)]  # sizes need not be even
    reply = await companion.respond("web:1", UserMessage(audio=recording_wav(chunks, 16000)))
    assert reply.transcript == "one two three"
    assert understood(reply) == "> heard: one two three"


async def test_uploads_become_the_message_media(tmp_path, spoken_wav):
    # Pillow encodes synchronously.
    picture = await asyncio.to_thread(draw_picture, "blue", 32, 32)
    image = await saved(tmp_path / "upload-1", picture)
    audio = await saved(tmp_path / "upload-2", spoken_wav)
    message = await user_message("look", [(image, "image/png"), (audio, "audio/x-wav")])
    assert (message.text, message.image, message.audio) == ("look", picture, spoken_wav)


@pytest.mark.parametrize(
    ("mime", "content"),
    [
        ("text/plain", b"hello"),
        ("image/png", b"RIFF\x00\x00\x00\x00WAVE"),
        ("audio/wav", b"GIF89a"),
    ],
    ids=["not-media", "audio-called-image", "image-called-audio"],
)
async def test_other_uploads_are_refused(tmp_path, mime, content):
    upload = await saved(tmp_path / "upload", content)
    with pytest.raises(MediaError):
        await user_message("", [(upload, mime)])


def test_nothing_understood_shows_nothing_and_silence_says_so():
    assert understood(Reply("hi")) == ""
    assert understood(Reply("hi", transcript="")) == "> heard: (nothing recognised)"
    assert understood(Reply("hi", image_description="A red square.")) == "> saw: A red square."


def test_the_message_shows_what_was_understood_the_text_and_the_notices():
    reply = Reply("Nice!", transcript="hello", notices=["could not draw: down"])
    assert shown(reply) == "> heard: hello\n\nNice!\n\n*note: could not draw: down*"
    assert shown(Reply("")) == ""
