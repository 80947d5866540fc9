"""Two ``companion serve`` processes sharing one PostgreSQL database, behind one Graph API.

Each message is delivered to both processes (Meta redelivers, and a load balancer may pick
either); a sender's messages alternate between them, and the first is a picture that is slow to
download, so the text messages after it arrive before its turn has even started.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from ai_companion.database import PostgresDatabase
from ai_companion.emulator.engines import draw_picture
from ai_companion.interfaces.whatsapp.app import PATH
from ai_companion.memory import MemoryStore
from postgres_server import fresh_database
from serve_command import start_serving
from whatsapp_notifications import (
    GRAPH_TOKEN,
    PHONE_NUMBER_ID,
    SECRET,
    WebhookClient,
    http_client,
    image,
    notification,
    text,
)

SENDERS = ("4915100000001", "4915100000002")
TURNS = 3


@asynccontextmanager
async def serving(env: dict[str, str], cwd: Path) -> AsyncIterator[WebhookClient]:
    """``companion serve`` until the block ends, then stopped with SIGTERM."""
    process, url, _ = await asyncio.to_thread(start_serving, env, cwd)
    try:
        async with await http_client(url.removesuffix(PATH)) as http:
            yield WebhookClient(http)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.to_thread(process.communicate, timeout=30)
    assert process.returncode == 0, output


async def test_two_processes_answer_each_message_once_and_in_order(
    serve_env, tmp_path, graph, graph_url, postgres_server_url
):
    database_url = await fresh_database(postgres_server_url)
    shared = {
        **serve_env,
        "COMPANION_DATABASE_URL": database_url,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_TOKEN": GRAPH_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph_url,
    }
    # Pillow encodes synchronously.
    media_id = graph.add_media(await asyncio.to_thread(draw_picture, "green", 64, 48), "image/png")
    graph.faults["download"].latency = 0.5
    async with (
        serving({**shared, "COMPANION_DATA_DIR": str(tmp_path / "a")}, tmp_path) as a,
        serving({**shared, "COMPANION_DATA_DIR": str(tmp_path / "b")}, tmp_path) as b,
    ):
        for turn in range(1, TURNS + 1):
            first, second = (a, b) if turn % 2 else (b, a)
            for sender in SENDERS:
                said = f"turn {turn}"
                message = image(sender, media_id, said) if turn == 1 else text(sender, said)
                delivery = notification(messages=[message])
                assert (await first.post(delivery)).json() == {"accepted": 1, "duplicates": 0}
                assert (await second.post(delivery)).json() == {"accepted": 0, "duplicates": 1}
        await graph.wait_for_sent(TURNS * len(SENDERS))
    assert sorted(m.to for m in graph.sent) == sorted(SENDERS * TURNS)  # both stopped: no more

    memory = await MemoryStore.open(await PostgresDatabase.open(database_url))
    for sender in SENDERS:
        history = await memory.history(f"whatsapp:{sender}")
        assert [m.role for m in history] == ["user", "assistant"] * TURNS
        said = [m.content.split("\n")[0] for m in history[::2]]
        assert said == [f"turn {n}" for n in range(1, TURNS + 1)]
    await memory.close()
