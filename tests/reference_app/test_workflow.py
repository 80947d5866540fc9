"""Whole turns through the workflow, the real SDKs and the emulator."""

from __future__ import annotations

import asyncio
import re
import time

import aiofiles
from ai_companion.emulator.engines import draw_picture
from ai_companion.media import sniff
from ai_companion.workflow import Companion, UserMessage


async def read_bytes(path) -> bytes:
    async with aiofiles.open(path, "rb") as file:
        return await file.read()


async def test_reply_mentions_the_scheduled_activity(companion):
    reply = await companion.respond("c1", UserMessage("Hello!"))
    assert reply.mode == "text" and not reply.notices
    assert "Ava" in reply.text
    assert companion.persona.activity_at(companion.clock()) in reply.text


async def test_facts_told_in_one_turn_are_recalled_later(companion):
    await companion.respond("c1", UserMessage("My name is Lea and I love climbing."))
    await companion.respond("c1", UserMessage("The weather is nice today."))
    reply = await companion.respond("c1", UserMessage("Do you remember my name?"))
    assert "Lea" in reply.text
    assert await companion.memory.facts("c1") == ["User's name is Lea", "User likes climbing"]


async def test_picture_request_saves_a_generated_image(companion, settings):
    reply = await companion.respond("c1", UserMessage("Please draw me a picture of a sunny beach"))
    assert reply.mode == "image"
    assert reply.image_path.parent == settings.data_dir / "media"
    assert sniff(await read_bytes(reply.image_path)).suffix == ".png"


async def test_voice_request_saves_synthesised_speech(companion):
    reply = await companion.respond("c1", UserMessage("Send me a voice message please"))
    assert reply.mode == "voice"
    assert sniff(await read_bytes(reply.audio_path)).suffix == ".ogg"


async def test_voice_note_and_image_are_understood_together(companion, spoken_wav):
    image = await asyncio.to_thread(draw_picture, "green green field", 80, 60)
    reply = await companion.respond("c1", UserMessage(image=image, audio=spoken_wav))
    assert reply.transcript == "one two three"
    assert "green" in reply.image_description
    assert reply.mode == "text"  # routing listens to the words, not the picture's contents
    history = await companion.memory.history("c1")
    assert "[Voice note: one two three]" in history[0].content


async def test_an_image_alone_is_described_not_answered_with_a_picture(companion):
    image = await asyncio.to_thread(draw_picture, "a photo of a picture of a yellow sun", 60, 60)
    reply = await companion.respond("c1", UserMessage(image=image))
    assert reply.mode == "text" and reply.image_path is None
    assert reply.text.startswith("Thanks for the picture!")


async def test_empty_message_gets_a_prompt_without_calling_providers(companion, emulator):
    reply = await companion.respond("c1", UserMessage("   "))
    assert "Send me" in reply.text
    assert emulator.faults["groq"].requests == 0


async def test_chat_provider_down_gives_a_graceful_reply(companion, emulator):
    emulator.faults["groq"].error_rate = 1.0
    reply = await companion.respond("c1", UserMessage("Hello?"))
    assert reply.text.startswith("Sorry, I can't answer right now")
    assert "groq breaker open" in reply.text
    assert companion.providers.breaker_states()["groq"] == "open"
    history = await companion.memory.history("c1")
    assert [m.role for m in history] == ["user"]  # the apology is not stored as the character's


async def test_image_provider_down_still_answers_in_text(companion, emulator):
    emulator.faults["together"].error_rate = 1.0
    reply = await companion.respond("c1", UserMessage("Show me a photo of your lab"))
    assert reply.text and reply.image_path is None
    assert any(n.startswith("could not draw: together is unreachable") for n in reply.notices)


async def test_service_recovers_after_the_outage(companion, emulator, guard_options):
    emulator.faults["groq"].error_rate = 1.0
    assert "Sorry" in (await companion.respond("c1", UserMessage("Hello?"))).text
    emulator.faults["groq"].reset()
    await asyncio.sleep(guard_options["reset_timeout"])
    reply = await companion.respond("c1", UserMessage("Hello again"))
    assert "Ava" in reply.text  # the half-open probe went through and the reply came back
    assert companion.providers.breaker_states()["groq"] == "closed"
    assert not (await companion.respond("c1", UserMessage("hi"))).notices


async def test_many_conversations_at_once_keep_separate_histories(companion):
    names = [f"Name{n}" for n in range(12)]

    async def converse(name: str) -> str:
        await companion.respond(name, UserMessage(f"My name is {name}."))
        return (await companion.respond(name, UserMessage("What is my name?"))).text

    replies = await asyncio.gather(*(converse(name) for name in names))
    for name, reply in zip(names, replies, strict=True):
        assert name in reply
        assert re.findall(r"Name\d+", reply) == [name]
        history = await companion.memory.history(name)
        said = [m.content for m in history if m.role == "user"]
        assert said == [f"My name is {name}.", "What is my name?"]


async def test_turns_overlap_instead_of_queueing(companion, emulator):
    emulator.faults["groq"].latency = 0.2
    started = time.perf_counter()
    await companion.respond("warm-up", UserMessage("hi"))
    one_turn = time.perf_counter() - started

    started = time.perf_counter()
    await asyncio.gather(*(companion.respond(f"c{n}", UserMessage("hi")) for n in range(10)))
    assert time.perf_counter() - started < 3 * one_turn  # serial would take ~10x


async def test_long_conversations_are_summarised(settings, guard_options):
    async with await Companion.open(
        settings, guard_options=guard_options, summarise_after=6, keep_recent=2
    ) as companion:
        for n in range(5):
            await companion.respond("c1", UserMessage(f"Message number {n} about kites"))
        summary = await companion.memory.summary("c1")
        history = await companion.memory.history("c1")
    assert "Message number 0 about kites" in summary
    assert len(history) <= 6
    assert history[-1].role == "assistant"


async def test_memory_survives_a_restart(settings, guard_options):
    async with await Companion.open(settings, guard_options=guard_options) as first:
        await first.respond("c1", UserMessage("I live in Oslo."))
    async with await Companion.open(settings, guard_options=guard_options) as second:
        reply = await second.respond("c1", UserMessage("Do you remember where I live?"))
        history = await second.memory.history("c1")
    assert "Oslo" in reply.text
    assert history[0].content == "I live in Oslo."


async def test_turns_of_one_conversation_run_in_order(companion, emulator):
    emulator.faults["groq"].jitter = 0.1  # later messages could otherwise overtake earlier ones
    texts = [f"Message {n} in order" for n in range(6)]
    await asyncio.gather(*(companion.respond("c1", UserMessage(text)) for text in texts))
    history = await companion.memory.history("c1")
    assert [m.content for m in history if m.role == "user"] == texts
    assert [m.role for m in history] == ["user", "assistant"] * 6
