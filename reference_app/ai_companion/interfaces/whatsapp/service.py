"""The whole webhook service: companion, Graph API (or its emulator), dispatcher and server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from ai_companion.interfaces.graph_emulator import GraphEmulator, SentMessage
from ai_companion.interfaces.serving import AsgiServer
from ai_companion.interfaces.whatsapp.app import PATH, WebhookSecurity, build_app
from ai_companion.interfaces.whatsapp.conversation import WhatsAppConversation
from ai_companion.interfaces.whatsapp.dispatcher import Dispatcher
from ai_companion.interfaces.whatsapp.graph import GraphClient
from ai_companion.interfaces.whatsapp.inbox import Inbox
from ai_companion.runtime import open_session
from ai_companion.settings import Settings

OFFLINE_TOKEN = "offline"


def uses_graph_emulator(settings: Settings) -> bool:
    """Offline (local backend or no WhatsApp credentials): the Graph API emulator stands in."""
    credentials = settings.whatsapp_token and settings.whatsapp_phone_number_id
    return settings.backend == "local" or not credentials


@dataclass
class WebhookService:
    server: AsgiServer
    graph_emulator: GraphEmulator | None
    banner: str  # what stands in for the cloud, if anything

    @property
    def webhook_url(self) -> str:
        return self.server.url + PATH


@asynccontextmanager
async def open_graph(
    settings: Settings, on_sent: Callable[[SentMessage], object] | None = None
) -> AsyncIterator[tuple[GraphClient, GraphEmulator | None]]:
    """The Graph API client: Meta's, or the emulator's on loopback when offline."""
    if not uses_graph_emulator(settings):
        async with await GraphClient.open(
            settings.whatsapp_graph_url,
            settings.whatsapp_token,
            settings.whatsapp_phone_number_id,
            timeout=settings.timeout,
        ) as client:
            yield client, None
        return
    emulator = GraphEmulator(OFFLINE_TOKEN, on_sent=on_sent)
    async with (
        AsgiServer(emulator.app()) as server,
        await GraphClient.open(server.url, OFFLINE_TOKEN, emulator.phone_number_id) as client,
    ):
        yield client, emulator


@asynccontextmanager
async def open_webhook(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    allow_unsigned: bool = False,
    on_sent: Callable[[SentMessage], object] | None = None,
) -> AsyncIterator[WebhookService]:
    """Serve the webhook until the block ends, then finish the messages already accepted."""
    security = WebhookSecurity(
        settings.whatsapp_verify_token, settings.whatsapp_app_secret, allow_unsigned
    )
    async with AsyncExitStack() as stack:
        session = await stack.enter_async_context(open_session(settings))
        graph, emulator = await stack.enter_async_context(open_graph(settings, on_sent))
        conversation = WhatsAppConversation(session.companion, graph)
        inbox = await Inbox.open(
            session.companion.memory.database, keep_for=settings.whatsapp_dedupe_hours * 3600
        )
        dispatcher = await stack.enter_async_context(Dispatcher(conversation, inbox))
        server = await stack.enter_async_context(
            AsgiServer(build_app(security, dispatcher), host, port)
        )
        banners = [session.banner]
        if emulator is not None:
            banners.append(f"the WhatsApp Graph API is emulated on {graph.base_url}")
        yield WebhookService(server, emulator, "; ".join(b for b in banners if b))
