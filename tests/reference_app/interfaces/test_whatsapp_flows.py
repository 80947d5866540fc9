"""Messages in, replies out: the webhook, the companion and both emulators over loopback HTTP."""

from __future__ import annotations

import asyncio
import time

import pytest
from ai_companion.database import SqliteDatabase
from ai_companion.emulator.engines import draw_picture, ogg_opus
from ai_companion.interfaces.serving import AsgiServer
from ai_companion.interfaces.whatsapp.app import WebhookSecurity, build_app
from ai_companion.interfaces.whatsapp.conversation import UNREADABLE, UNSUPPORTED
from ai_companion.interfaces.whatsapp.dispatcher import Dispatcher
from ai_companion.interfaces.whatsapp.graph import MEDIA_LIMITS
from ai_companion.interfaces.whatsapp.inbox import Inbox
from ogg_opus import check_ogg_opus
from whatsapp_notifications import (
    SECRET,
    VERIFY_TOKEN,
    WebhookClient,
    audio,
    http_client,
    image,
    message,
    notification,
    text,
)

ALICE, BOB = "4915100000001", "4915100000002"


async def send(webhook, *messages) -> None:
    response = await webhook.post(notification(messages=list(messages)))
    assert response.status_code == 200, response.text


async def history(companion, sender: str) -> list[str]:
    return [m.content for m in await companion.memory.history(f"whatsapp:{sender}")]


async def picture(description: str) -> bytes:
    # Pillow encodes synchronously.
    return await asyncio.to_thread(draw_picture, description, 64, 48)


async def test_text_message_is_answered_in_text(webhook, graph):
    await send(webhook, text(ALICE, "Hello!"))
    [sent] = await graph.wait_for_sent(1)
    assert (sent.to, sent.kind) == (ALICE, "text")
    assert sent.content["body"].startswith("Hi! It's Ava.")


async def test_voice_note_is_downloaded_and_transcribed(webhook, graph, companion, spoken_wav):
    # WhatsApp's voice notes are Ogg Opus; libopus encodes synchronously.
    voice_note = await asyncio.to_thread(ogg_opus, spoken_wav)
    media_id = graph.add_media(voice_note, "audio/ogg; codecs=opus")
    await send(webhook, audio(ALICE, media_id))
    [sent] = await graph.wait_for_sent(1)
    assert sent.kind == "text"
    assert (await history(companion, ALICE))[0] == "[Voice note: one two three]"
    assert graph.faults["download"].requests == 2  # the media's URL, then its bytes


async def test_picture_is_downloaded_described_and_its_caption_used(webhook, graph, companion):
    media_id = graph.add_media(await picture("red red red"), "image/png")
    await send(webhook, image(ALICE, media_id, caption="Look at my new sofa"))
    [sent] = await graph.wait_for_sent(1)
    assert sent.content["body"].startswith("Thanks for the picture! I see a")
    assert "mostly red" in sent.content["body"]
    said = (await history(companion, ALICE))[0]
    assert said.startswith("Look at my new sofa\n[Image: A ")


async def test_voice_reply_is_uploaded_then_sent_as_audio(webhook, graph):
    await send(webhook, text(ALICE, "Send me a voice message please"))
    [sent] = await graph.wait_for_sent(1)
    assert sent.kind == "audio"
    uploaded = graph.media[sent.content["id"]]
    assert uploaded.mime == "audio/ogg; codecs=opus"
    # soundfile decodes synchronously.
    voice = await asyncio.to_thread(check_ogg_opus, uploaded.data)
    assert (voice.channels, voice.input_sample_rate) == (1, 16000)
    assert voice.seconds > 1  # a sentence of the stand-in voice, one beep a word


async def test_image_reply_is_uploaded_then_sent_with_a_caption(webhook, graph):
    await send(webhook, text(ALICE, "Please draw me a picture of a sunny beach"))
    [sent] = await graph.wait_for_sent(1)
    assert sent.kind == "image"
    assert sent.content["caption"].startswith("Here you go!")
    assert graph.media[sent.content["id"]].mime == "image/png"


@pytest.mark.parametrize("request_text", ["Send me a voice message", "Draw me a picture of a cat"])
async def test_failed_upload_falls_back_to_text(webhook, graph, dispatcher, request_text):
    graph.faults["upload"].error_rate = 1.0
    await send(webhook, text(ALICE, request_text))
    await dispatcher.join()
    [sent] = graph.sent
    assert sent.kind == "text" and sent.content["body"]
    assert graph.faults["upload"].requests == 1


async def test_unknown_media_gets_an_apology(webhook, graph):
    await send(webhook, image(ALICE, "999999"))
    [sent] = await graph.wait_for_sent(1)
    assert sent.content["body"] == UNREADABLE


async def test_oversized_media_is_refused_before_downloading(webhook, graph, companion):
    too_big = b"\xff\xd8\xff" + bytes(MEDIA_LIMITS["image"])
    await send(webhook, image(ALICE, graph.add_media(too_big, "image/jpeg")))
    [sent] = await graph.wait_for_sent(1)
    assert sent.content["body"] == UNREADABLE
    assert graph.faults["download"].requests == 1  # the size was known from the media's info
    assert await history(companion, ALICE) == []


async def test_unsupported_message_types_get_a_polite_answer(webhook, graph, companion):
    await send(webhook, message(ALICE, "sticker", {"id": "123", "mime_type": "image/webp"}))
    [sent] = await graph.wait_for_sent(1)
    assert sent.content["body"] == UNSUPPORTED
    assert await history(companion, ALICE) == []


async def test_reactions_get_no_answer(webhook, graph, dispatcher, companion):
    await send(webhook, message(ALICE, "reaction", {"message_id": "wamid.out1", "emoji": "👍"}))
    await dispatcher.join()
    assert graph.sent == []
    assert await history(companion, ALICE) == []


async def test_redelivered_messages_are_answered_once(webhook, graph, dispatcher):
    hello = notification(messages=[text(ALICE, "Hello!", "wamid.same")])
    first = await webhook.post(hello)
    again = await asyncio.gather(*(webhook.post(hello) for _ in range(5)))
    assert first.json() == {"accepted": 1, "duplicates": 0}
    assert all(r.json() == {"accepted": 0, "duplicates": 1} for r in again)
    await dispatcher.join()
    assert len(graph.sent) == 1


async def test_each_senders_messages_are_handled_in_order(webhook, graph, companion, dispatcher):
    graph.faults["download"].latency = 0.3  # the picture would otherwise be overtaken
    media_id = graph.add_media(await picture("blue"), "image/png")
    await send(webhook, image(ALICE, media_id, caption="first"))
    for n in range(2, 5):
        await send(webhook, text(ALICE, f"message {n}"))
    await dispatcher.join()
    said = [line.split("\n")[0] for line in (await history(companion, ALICE))[::2]]
    assert said == ["first", "message 2", "message 3", "message 4"]
    assert graph.sent[0].content["body"].startswith("Thanks for the picture!")


async def test_senders_are_answered_concurrently(webhook, graph, emulator, dispatcher):
    emulator.faults["groq"].latency = 0.2
    started = time.perf_counter()
    await send(webhook, text("4915100009999", "Hello!"))
    await dispatcher.join()
    one = time.perf_counter() - started

    senders = [f"49151000000{n:02d}" for n in range(12)]
    started = time.perf_counter()
    for sender in senders:
        await send(webhook, text(sender, "Hello!"))
    await dispatcher.join()
    assert time.perf_counter() - started < 6 * one  # 12 in a row would take 12x
    assert sorted(m.to for m in graph.sent[1:]) == senders


async def test_work_is_bounded_and_a_full_queue_asks_meta_to_retry(tmp_path):
    release, running, most = asyncio.Event(), 0, 0

    async def slow(_message) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1

    database = await SqliteDatabase.open(tmp_path / "db.sqlite3")
    inbox = await Inbox.open(database, keep_for=60)
    async with (
        Dispatcher(slow, inbox, concurrency=2, max_pending=4) as dispatcher,
        AsgiServer(build_app(WebhookSecurity(VERIFY_TOKEN, SECRET), dispatcher)) as server,
        await http_client(server.url) as http,
    ):
        webhook = WebhookClient(http)
        statuses = [
            (await webhook.post(notification(messages=[text(f"49151{n:08d}", "hi")]))).status_code
            for n in range(5)
        ]
        await asyncio.sleep(0.05)
        assert statuses == [200, 200, 200, 200, 503]
        assert most == 2 and await dispatcher.waiting() == 4
        release.set()
    assert await dispatcher.waiting() == 0
    await database.aclose()
