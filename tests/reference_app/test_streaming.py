"""Replies streamed token by token (Groq's ``stream=True``) through the guard and the emulator."""

from __future__ import annotations

import asyncio

import pytest
from ai_companion.emulator.engines import draw_picture
from ai_companion.providers import Providers
from ai_companion.resilience import BreakerState
from ai_companion.workflow import Reply, UserMessage

ASK = [
    {"role": "system", "content": "You are Nova.\nRight now you are: testing the stream."},
    {"role": "user", "content": "Tell me about the mountains, the lakes and the long walks."},
]


@pytest.fixture
async def providers(settings, guard_options):
    opened = await Providers.create(settings, **guard_options)
    yield opened
    await opened.aclose()


async def test_a_streamed_reply_arrives_in_pieces_that_make_the_whole_reply(providers):
    pieces: list[str] = []

    async def show(piece: str) -> None:
        pieces.append(piece)

    streamed = await providers.chat.reply(ASK, on_text=show)
    assert len(pieces) > 5
    assert streamed == "".join(pieces).strip() == await providers.chat.reply(ASK)


@pytest.mark.parametrize("fault", ["cut_rate", "stream_error_rate"], ids=["drop", "error-event"])
async def test_a_stream_broken_midway_is_retried_without_repeating_a_token(
    providers, emulator, fault
):
    groq = emulator.faults["groq"]
    setattr(groq, fault, 1.0)
    pieces: list[str] = []

    async def show(piece: str) -> None:
        pieces.append(piece)
        setattr(groq, fault, 0.0)  # only the stream already under way breaks off

    before = groq.requests
    streamed = await providers.chat.reply(ASK, on_text=show)
    assert groq.requests - before == 2
    assert "".join(pieces).strip() == streamed == await providers.chat.reply(ASK)
    assert providers.guards["groq"].breaker.state is BreakerState.CLOSED


async def test_a_stream_that_keeps_breaking_gives_up_after_the_retries(companion, emulator):
    groq = emulator.faults["groq"]
    groq.cut_rate = 1.0  # only streams break: facts and routing are plain requests
    texts: list[str] = []

    async def show(reply: Reply) -> None:
        texts.append(reply.text)

    before = groq.requests
    reply = await companion.respond(
        "c1", UserMessage("Tell me about the mountains, the lakes and the long walks."), show
    )
    assert reply.mode == "text" and reply.text.startswith("Sorry, I can't answer right now")
    assert "groq is unreachable" in reply.notices[-1]
    # Three attempts (two retries), each continuing where the last one broke off.
    assert groq.requests - before == 2 + 3
    whole = texts[-1]
    assert all(whole.startswith(text) for text in texts) and len(set(texts)) == len(texts)
    assert [message.role for message in await companion.memory.history("c1")] == ["user"]


async def test_the_listener_sees_the_reply_grow_with_what_was_seen(companion):
    # Pillow encodes synchronously.
    picture = await asyncio.to_thread(draw_picture, "red red red", 96, 64)
    seen: list[tuple[str | None, str]] = []

    async def show(reply: Reply) -> None:
        seen.append((reply.image_description, reply.text))

    reply = await companion.respond("c1", UserMessage(image=picture), show)
    assert reply.text.startswith("Thanks for the picture!") and "mostly red" in reply.text
    assert len(seen) > 5 and seen[-1] == (reply.image_description, reply.text)
    assert all(description == reply.image_description for description, _ in seen)
    assert [len(text) for _, text in seen] == sorted({len(text) for _, text in seen})
