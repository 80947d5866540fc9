"""Conversation scenarios every companion must pass: text, memory, voice and image turns.

Each scenario is a coroutine ``scenario(companion, media)`` that raises on failure;
``media`` holds input files read before the event loop starts.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiofiles
from ai_companion.emulator.engines import draw_picture
from ai_companion.media import sniff
from ai_companion.persona import Persona
from ai_companion.workflow import UserMessage
from regression_apps import MONDAY_NOON

SPOKEN_WAV = Path(__file__).resolve().parents[1] / "reference_app" / "data" / "one_two_three.wav"


@dataclass(frozen=True)
class Media:
    spoken_wav: bytes  # "one two three", 16 kHz mono
    green_field: bytes  # a PNG drawing, mostly green

    @classmethod
    def load(cls) -> Media:
        """Read and draw the inputs (blocking: call before the event loop starts)."""
        return cls(SPOKEN_WAV.read_bytes(), draw_picture("green green field", 80, 60))


async def media_type(path: Path) -> str:
    async with aiofiles.open(path, "rb") as file:
        found = sniff(await file.read())
    return found.suffix if found else ""


async def greeting(companion: Any, media: Media) -> None:
    reply = await companion.respond("greeting", UserMessage("Hello!"))
    assert reply.mode == "text", reply
    assert "Ava" in reply.text and Persona().activity_at(MONDAY_NOON) in reply.text, reply.text


async def remembers_facts(companion: Any, media: Media) -> None:
    await companion.respond("facts", UserMessage("My name is Lea and I love climbing."))
    reply = await companion.respond("facts", UserMessage("Do you remember my name?"))
    assert "Lea" in reply.text, reply.text


async def voice_reply(companion: Any, media: Media) -> None:
    reply = await companion.respond("voice", UserMessage("Send me a voice message please"))
    assert reply.mode == "voice", reply
    assert await media_type(reply.audio_path) == ".wav"


async def picture_reply(companion: Any, media: Media) -> None:
    reply = await companion.respond("picture", UserMessage("Please draw me a picture of a beach"))
    assert reply.mode == "image", reply
    assert await media_type(reply.image_path) == ".png"


async def voice_note_and_image(companion: Any, media: Media) -> None:
    message = UserMessage(image=media.green_field, audio=media.spoken_wav)
    reply = await companion.respond("senses", message)
    assert reply.transcript == "one two three", reply
    assert "green" in reply.image_description, reply
    assert reply.text.startswith("Thanks for the picture!"), reply.text


async def concurrent_conversations(companion: Any, media: Media) -> None:
    names = [f"Name{n}" for n in range(6)]

    async def converse(name: str) -> str:
        await companion.respond(name, UserMessage(f"My name is {name}."))
        return (await companion.respond(name, UserMessage("What is my name?"))).text

    replies = await asyncio.gather(*(converse(name) for name in names))
    for name, reply in zip(names, replies, strict=True):
        assert re.findall(r"Name\d+", reply) == [name], reply


Scenario = Callable[[Any, Media], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {
    scenario.__name__: scenario
    for scenario in (
        greeting,
        remembers_facts,
        voice_reply,
        picture_reply,
        voice_note_and_image,
        concurrent_conversations,
    )
}
