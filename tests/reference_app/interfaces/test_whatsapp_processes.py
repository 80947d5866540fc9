"""Two ``companion serve`` processes sharing one PostgreSQL database, behind one Graph API.

Each message is delivered to both processes (Meta redelivers, and a load balancer may pick
either); a sender's messages alternate between them, and the first is a picture that is slow to
download, so the text messages after it arrive before its turn has even started.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from ai_companion.database import PostgresDatabase
from ai_companion.emulator.engines import draw_picture
from ai_companion.memory import MemoryStore
from postgres_server import fresh_database
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

COMPANION = str(Path(sys.executable).with_name("companion"))
SENDERS = ("4915100000001", "4915100000002")
TURNS = 3


@asynccontextmanager
async def serving(env: dict[str, str]) -> AsyncIterator[WebhookClient]:
    """``companion serve`` on a free port until the block ends, then stopped with SIGTERM."""
    process = await asyncio.create_subprocess_exec(
        COMPANION,
        "serve",
        "--port",
        "0",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = []
    while line := (await process.stdout.readline()).decode():
        output.append(line)
        if line.startswith("WhatsApp webhook on "):
            break
    else:
        raise AssertionError("companion serve did not start:\n" + "".join(output))
    base_url = line.split()[3].removesuffix("/whatsapp/webhook")
    try:
        async with await http_client(base_url) as http:
            yield WebhookClient(http)
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = await process.communicate()
        output.append(rest.decode())
    assert process.returncode == 0, "".join(output)


async def test_two_processes_answer_each_message_once_and_in_order(
    tmp_path, graph, graph_url, postgres_server_url
):
    database_url = await fresh_database(postgres_server_url)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COMPANION_", "WHATSAPP_"))}
    shared = {
        **clean,
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
        serving({**shared, "COMPANION_DATA_DIR": str(tmp_path / "a")}) as a,
        serving({**shared, "COMPANION_DATA_DIR": str(tmp_path / "b")}) as b,
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
