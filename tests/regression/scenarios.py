"""Conversation scenarios every companion must pass: text, memory, voice, image and retries.

Each scenario is a coroutine ``scenario(harness)`` that raises on failure.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiofiles
from ai_companion.emulator import Emulator
from ai_companion.emulator.engines import draw_picture
from ai_companion.media import sniff
from ai_companion.persona import Persona
from ai_companion.workflow import UserMessage
from regression_apps import MONDAY_NOON, App

SPOKEN_WAV = Path(__file__).resolve().parents[1] / "reference_app" / "data" / "one_two_three.wav"


@dataclass(frozen=True)
class Media:
    """Input files: "one two three" spoken (16 kHz WAV) and a mostly green PNG drawing."""

    voice_note: Path
    picture: Path

    @classmethod
    def write(cls, directory: Path) -> Media:
        """Write the inputs into ``directory`` (blocking: call before the event loop starts)."""
        directory.mkdir(parents=True, exist_ok=True)
        media = cls(directory / "one_two_three.wav", directory / "green_field.png")
        media.voice_note.write_bytes(SPOKEN_WAV.read_bytes())
        media.picture.write_bytes(draw_picture("green green field", 80, 60))
        return media


@dataclass
class Harness:
    app: App
    emulator: Emulator
    media: Media

    async def say(self, conversation: str, text: str):
        return await self.app.companion.respond(conversation, UserMessage(text))


class FirstRequestFails:
    """A scripted ``Faults.rng`` for requests made one at a time: with ``error_rate`` 1 the
    first request draws a failure (its hang draw counts for nothing at ``hang_rate`` 0),
    every later request a success."""

    def __init__(self) -> None:
        self.draws = 0

    def uniform(self, low: float, high: float) -> float:
        return low

    def random(self) -> float:
        self.draws += 1
        return 0.0 if self.draws <= 2 else 1.0


async def media_type(path: Path) -> str:
    async with aiofiles.open(path, "rb") as file:
        found = sniff(await file.read())
    return found.suffix if found else ""


async def greeting(h: Harness) -> None:
    reply = await h.say("greeting", "Hello!")
    assert reply.mode == "text", reply
    assert "Ava" in reply.text and Persona().activity_at(MONDAY_NOON) in reply.text, reply.text


async def remembers_facts(h: Harness) -> None:
    await h.say("facts", "My name is Lea and I love climbing.")
    reply = await h.say("facts", "Do you remember my name?")
    assert "Lea" in reply.text, reply.text


async def voice_reply(h: Harness) -> None:
    reply = await h.say("voice", "Send me a voice message please")
    assert reply.mode == "voice", reply
    # Ogg Opus from the reference app; WAV from the snapshot, which asks for no output format.
    assert await media_type(reply.audio_path) in (".ogg", ".wav")


async def picture_reply(h: Harness) -> None:
    reply = await h.say("picture", "Please draw me a picture of a beach")
    assert reply.mode == "image", reply
    assert await media_type(reply.image_path) == ".png"


async def voice_note_and_picture_files(h: Harness) -> None:
    message = await h.app.load_message("", h.media.picture, h.media.voice_note)
    reply = await h.app.companion.respond("senses", message)
    assert reply.transcript == "one two three", reply
    assert "green" in reply.image_description, reply
    assert reply.text.startswith("Thanks for the picture!"), reply.text


async def retries_a_failed_call(h: Harness) -> None:
    # The picture is the turn's only Together request, so the draws follow one request.
    together = h.emulator.faults["together"]
    before, saved = together.requests, (together.rng, together.error_rate)
    together.rng, together.error_rate = FirstRequestFails(), 1.0
    try:
        reply = await h.say("flaky", "Please draw me a picture of a kite")
    finally:
        together.rng, together.error_rate = saved
    assert reply.mode == "image" and not reply.notices, reply
    assert await media_type(reply.image_path) == ".png"
    assert together.requests - before == 2, together.requests - before


async def concurrent_conversations(h: Harness) -> None:
    names = [f"Name{n}" for n in range(6)]

    async def converse(name: str) -> str:
        await h.say(name, f"My name is {name}.")
        return (await h.say(name, "What is my name?")).text

    replies = await asyncio.gather(*(converse(name) for name in names))
    for name, reply in zip(names, replies, strict=True):
        assert re.findall(r"Name\d+", reply) == [name], reply


Scenario = Callable[[Harness], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {
    scenario.__name__: scenario
    for scenario in (
        greeting,
        remembers_facts,
        voice_reply,
        picture_reply,
        voice_note_and_picture_files,
        retries_a_failed_call,
        concurrent_conversations,
    )
}
