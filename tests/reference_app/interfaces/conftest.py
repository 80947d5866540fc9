"""A webhook served by uvicorn on loopback, talking to the provider and Graph API emulators."""

from __future__ import annotations

import os

import pytest
from ai_companion.interfaces.graph_emulator import GraphEmulator
from ai_companion.interfaces.serving import AsgiServer
from ai_companion.interfaces.whatsapp.app import WebhookSecurity, build_app
from ai_companion.interfaces.whatsapp.conversation import WhatsAppConversation
from ai_companion.interfaces.whatsapp.dispatcher import Dispatcher
from ai_companion.interfaces.whatsapp.graph import GraphClient
from ai_companion.interfaces.whatsapp.inbox import Inbox
from whatsapp_notifications import (
    GRAPH_TOKEN,
    PHONE_NUMBER_ID,
    SECRET,
    VERIFY_TOKEN,
    WebhookClient,
    http_client,
)


@pytest.fixture
def graph() -> GraphEmulator:
    return GraphEmulator(GRAPH_TOKEN, PHONE_NUMBER_ID)


@pytest.fixture
async def graph_url(graph: GraphEmulator):
    async with AsgiServer(graph.app()) as server:
        yield server.url


@pytest.fixture
async def dispatcher(companion, graph_url: str):
    inbox = await Inbox.open(companion.memory.database, keep_for=3600)
    async with (
        await GraphClient.open(graph_url, GRAPH_TOKEN, PHONE_NUMBER_ID, timeout=5) as client,
        Dispatcher(WhatsAppConversation(companion, client), inbox, concurrency=4) as running,
    ):
        yield running


@pytest.fixture
def security() -> WebhookSecurity:
    return WebhookSecurity(VERIFY_TOKEN, SECRET)


@pytest.fixture
async def webhook(security: WebhookSecurity, dispatcher: Dispatcher):
    """A client for the webhook served on a free loopback port."""
    async with (
        AsgiServer(build_app(security, dispatcher)) as server,
        await http_client(server.url) as http,
    ):
        yield WebhookClient(http)


@pytest.fixture
def serve_env(tmp_path) -> dict[str, str]:
    """The environment for ``companion serve``: no settings of ours, data in ``tmp_path``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COMPANION_", "GROQ_", "TOGETHER_", "ELEVENLABS_", "WHATSAPP_"))
    }
    return {**clean, "COMPANION_DATA_DIR": str(tmp_path / "data")}
