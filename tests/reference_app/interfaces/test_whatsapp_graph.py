"""The Graph API client against the Graph API emulator: limits and errors."""

from __future__ import annotations

import asyncio

import pytest
from ai_companion.emulator.engines import ogg_opus, tone_wav
from ai_companion.interfaces.whatsapp.graph import (
    MEDIA_LIMITS,
    GraphClient,
    GraphError,
    MediaTooLarge,
)
from ai_companion.media import MediaType, sniff
from whatsapp_notifications import GRAPH_TOKEN, PHONE_NUMBER_ID

PNG = MediaType("image", ".png", "image/png")


async def test_media_over_the_limit_is_not_uploaded(graph, graph_url):
    async with await GraphClient.open(graph_url, GRAPH_TOKEN, PHONE_NUMBER_ID) as client:
        with pytest.raises(MediaTooLarge):
            await client.upload(bytes(MEDIA_LIMITS["image"] + 1), PNG)
    assert graph.faults["upload"].requests == 0


async def test_uploaded_media_can_be_downloaded_again(graph, graph_url):
    async with await GraphClient.open(graph_url, GRAPH_TOKEN, PHONE_NUMBER_ID) as client:
        media_id = await client.upload(b"\x89PNG\r\n\x1a\n-picture", PNG)
        assert await client.download(media_id, "image") == b"\x89PNG\r\n\x1a\n-picture"
    assert graph.media[media_id].mime == "image/png"


async def test_only_media_whatsapp_plays_is_taken(graph, graph_url):
    wav = tone_wav("hello")
    async with await GraphClient.open(graph_url, GRAPH_TOKEN, PHONE_NUMBER_ID) as client:
        with pytest.raises(GraphError, match="HTTP 400"):
            await client.upload(wav, sniff(wav))  # WhatsApp refuses WAV
        with pytest.raises(GraphError, match="HTTP 400"):
            await client.upload(wav, MediaType("audio", ".ogg", "audio/ogg"))  # not what it says
        voice = await asyncio.to_thread(ogg_opus, wav)  # libopus encodes synchronously
        media_id = await client.upload(voice, sniff(voice))
    assert graph.media[media_id].mime == "audio/ogg; codecs=opus"
    assert list(graph.media) == [media_id]


@pytest.mark.parametrize(
    ("token", "number", "status"),
    [("wrong-token", PHONE_NUMBER_ID, "HTTP 401"), (GRAPH_TOKEN, "999", "HTTP 400")],
    ids=["token", "number"],
)
async def test_refusals_name_the_call_never_the_token(graph, graph_url, token, number, status):
    async with await GraphClient.open(graph_url, token, number) as client:
        with pytest.raises(GraphError) as refused:
            await client.send_text("4915100000001", "hi")
    assert str(refused.value) == f"POST /{number}/messages: {status}"
    assert graph.sent == []


async def test_an_unreachable_graph_api_is_a_graph_error(unused_tcp_port):
    url = f"http://127.0.0.1:{unused_tcp_port}"
    async with await GraphClient.open(url, GRAPH_TOKEN, PHONE_NUMBER_ID, timeout=2) as client:
        with pytest.raises(GraphError, match="ConnectError"):
            await client.download("123", "audio")
