"""Each provider through its real SDK against the loopback emulator, healthy and faulty."""

from __future__ import annotations

import asyncio
import io
import random
import shutil
import time

import pytest
from ai_companion import prompts
from ai_companion.emulator.engines import Engines, draw_picture
from ai_companion.media import sniff
from ai_companion.providers import ProviderRejected, Providers, ProviderUnavailable
from ai_companion.resilience import BreakerState
from ogg_opus import check_ogg_opus
from PIL import Image


@pytest.fixture
async def providers(settings, guard_options):
    opened = await Providers.create(settings, **guard_options)
    yield opened
    await opened.aclose()


def _image_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


async def test_chat_reply_is_in_character(providers):
    system = "You are Nova, a test persona.\nRight now you are: testing the emulator."
    reply = await providers.chat.reply(
        [{"role": "system", "content": system}, {"role": "user", "content": "Hello there"}]
    )
    assert "Nova" in reply and "testing the emulator" in reply


async def test_json_output_extracts_facts(providers):
    result = await providers.chat.json_object(
        prompts.FACTS_SYSTEM, "My name is Ines and I live in Porto."
    )
    assert result == {"facts": ["User's name is Ines", "User lives in Porto"]}


async def test_tool_call_routes_requests_for_pictures_and_voice(providers):
    async def mode(text: str) -> str:
        choice = await providers.chat.call_tool(prompts.ROUTER_SYSTEM, text, prompts.ROUTER_TOOL)
        return choice["mode"]

    assert await mode("Can you draw me a cat?") == "image"
    assert await mode("Send me a voice message") == "voice"
    assert await mode("How was your day?") == "text"


async def test_transcription_from_bytes_uses_pocketsphinx(providers, spoken_wav):
    text = await providers.transcription.transcribe(spoken_wav, "note.wav", "audio/wav")
    assert text == "one two three"


async def test_unsupported_audio_is_rejected_not_retried(providers, emulator):
    with pytest.raises(ProviderRejected, match="WAV"):
        await providers.transcription.transcribe(b"ID3 not really mp3", "a.mp3", "audio/mpeg")
    assert emulator.faults["groq"].requests == 1
    assert providers.guards["groq"].breaker.failures == 0


async def test_vision_describes_the_main_colour(providers):
    picture = await asyncio.to_thread(draw_picture, "a blue blue sky", 64, 48)
    description = await providers.vision.describe(picture, "image/png", prompts.VISION_QUESTION)
    assert "64x48" in description and "landscape" in description and "blue" in description


async def test_image_generation_returns_a_png_of_the_requested_size(providers):
    data = await providers.images.generate("a red square", width=96, height=64)
    assert sniff(data).suffix == ".png"
    assert await asyncio.to_thread(_image_size, data) == (96, 64)


async def test_text_to_speech_streams_ogg_opus(providers):
    audio = await providers.speech.speak("hello from the emulator")
    assert sniff(audio).mime == "audio/ogg; codecs=opus"
    # soundfile decodes synchronously.
    voice = await asyncio.to_thread(check_ogg_opus, audio)
    assert voice.seconds == pytest.approx(4 * 0.2)  # four words of tone, one 0.2 s beep each


ESPEAK = shutil.which("espeak-ng")


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (the tone stands in)")
async def test_espeak_speech_round_trips_through_pocketsphinx():
    engines = Engines(espeak=ESPEAK)
    speech = await engines.speak("good morning", opus=True)
    assert sniff(speech).suffix == ".ogg"
    assert await engines.transcribe(speech) == "good morning"


async def test_server_errors_are_retried_then_reported_with_breaker_state(providers, emulator):
    emulator.faults["groq"].error_rate = 1.0
    with pytest.raises(ProviderUnavailable, match=r"HTTP 503; groq breaker open"):
        await providers.chat.reply([{"role": "user", "content": "hi"}])
    assert emulator.faults["groq"].requests == 3  # one call and two retries


async def test_breaker_opens_rejects_fast_half_opens_and_recovers(
    providers, emulator, guard_options
):
    groq = emulator.faults["groq"]
    breaker = providers.guards["groq"].breaker
    groq.error_rate = 1.0
    with pytest.raises(ProviderUnavailable):
        await providers.chat.reply([{"role": "user", "content": "hi"}])
    assert breaker.state is BreakerState.OPEN

    sent = groq.requests
    started = time.perf_counter()
    with pytest.raises(ProviderUnavailable, match="groq breaker open; retry in"):
        await providers.chat.reply([{"role": "user", "content": "hi"}])
    assert time.perf_counter() - started < 0.2  # no request, no timeout, no backoff
    assert groq.requests == sent  # rejected without touching the provider

    groq.reset()
    await asyncio.sleep(guard_options["reset_timeout"])
    assert breaker.state is BreakerState.HALF_OPEN
    assert await providers.chat.reply([{"role": "user", "content": "hi again"}])
    assert breaker.state is BreakerState.CLOSED
    assert providers.breaker_states()["groq"] == "closed"


async def test_one_provider_down_leaves_the_others_closed(providers, emulator):
    emulator.faults["together"].error_rate = 1.0
    with pytest.raises(ProviderUnavailable):
        await providers.images.generate("anything")
    assert providers.breaker_states() == {
        "groq": "closed",
        "together": "open",
        "elevenlabs": "closed",
    }
    assert await providers.speech.speak("still talking")


async def test_hanging_provider_times_out_quickly(providers, emulator, settings):
    emulator.faults["elevenlabs"].hang_rate = 1.0
    started = time.perf_counter()
    with pytest.raises(ProviderUnavailable, match="Timeout"):
        await providers.speech.speak("are you there?")
    elapsed = time.perf_counter() - started
    assert elapsed < (settings.retries + 1) * settings.timeout + 1


async def test_slow_responses_within_the_timeout_succeed(providers, emulator, settings):
    emulator.faults["groq"].latency = settings.timeout / 3
    started = time.perf_counter()
    assert await providers.chat.reply([{"role": "user", "content": "take your time"}])
    assert time.perf_counter() - started >= settings.timeout / 3
    assert emulator.faults["groq"].requests == 1


async def test_intermittent_errors_are_absorbed_by_retries(providers, emulator):
    groq = emulator.faults["groq"]
    groq.error_rate, groq.rng = 0.5, random.Random(2)  # never three failures in a row
    replies = [await providers.chat.reply([{"role": "user", "content": "hi"}]) for _ in range(6)]
    assert all(replies)
    assert groq.requests > 6  # some requests failed and were retried
    assert providers.guards["groq"].breaker.state is BreakerState.CLOSED
