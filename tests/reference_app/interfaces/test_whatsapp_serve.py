"""``companion serve``: in-process wiring with blockbuster, and the real command as a subprocess."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import urllib.error
import urllib.request
from dataclasses import replace

from ai_companion.interfaces.whatsapp.service import open_webhook
from ai_companion.interfaces.whatsapp.signature import sign
from ai_companion.settings import Settings
from serve_command import start_serving
from whatsapp_notifications import (
    GRAPH_TOKEN,
    PHONE_NUMBER_ID,
    SECRET,
    VERIFY_TOKEN,
    WebhookClient,
    http_client,
    notification,
    text,
)

SENDER = "15551234567"


async def test_offline_service_answers_through_the_emulated_graph_api(database_settings):
    settings = replace(
        database_settings,  # SQLite, then PostgreSQL
        backend="local",
        whatsapp_app_secret=SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_token="a-real-looking-token",  # local backend: the emulator stands in anyway
        whatsapp_phone_number_id="123",
    )
    async with open_webhook(settings) as service, await http_client(service.server.url) as http:
        assert "offline mode" in service.banner and "Graph API is emulated" in service.banner
        response = await WebhookClient(http).post(notification(messages=[text(SENDER, "Hi")]))
        assert response.status_code == 200
        [sent] = await service.graph_emulator.wait_for_sent(1)
    assert sent.to == SENDER and sent.content["body"].startswith("Hi! It's Ava.")


async def test_configured_graph_url_token_and_number_are_used(tmp_path, graph, graph_url):
    settings = Settings(
        data_dir=tmp_path,
        backend="auto",  # no provider keys: emulated providers, but the Graph API is configured
        whatsapp_app_secret=SECRET,
        whatsapp_token=GRAPH_TOKEN,
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_graph_url=graph_url + "/",
    )
    async with open_webhook(settings) as service, await http_client(service.server.url) as http:
        assert service.graph_emulator is None and "Graph API" not in service.banner
        response = await WebhookClient(http).post(notification(messages=[text(SENDER, "Hi")]))
        assert response.status_code == 200
        [sent] = await graph.wait_for_sent(1)  # the emulator checks the token and number id
    assert sent.to == SENDER


def post(url: str, body: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if signature:
        headers["X-Hub-Signature-256"] = signature
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_command_answers_signed_messages_offline(serve_env, tmp_path):
    env = {**serve_env, "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN}
    process, url, banner = start_serving(env, tmp_path)
    try:
        assert banner[0].startswith("[offline mode")
        query = f"?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=42"
        with urllib.request.urlopen(url + query, timeout=10) as response:
            assert response.read() == b"42"
        body = json.dumps(notification(messages=[text(SENDER, "Hello!")])).encode()
        assert post(url, body, None) == 403
        assert post(url, body, sign(body, SECRET)) == 200
        reply = process.stdout.readline()
        assert reply.startswith(f"→ {SENDER} [text] Hi! It's Ava.")
    finally:
        process.send_signal(signal.SIGTERM)
        remaining = process.communicate(timeout=30)[0]
    assert process.returncode == 0, remaining
    assert SECRET not in remaining and VERIFY_TOKEN not in remaining


def test_serve_command_without_a_secret_refuses_posts(serve_env, tmp_path):
    process, url, banner = start_serving(serve_env, tmp_path)
    try:
        assert any("WHATSAPP_APP_SECRET is not set: POSTs are refused (403)" in b for b in banner)
        body = json.dumps(notification(messages=[text(SENDER, "Hello!")])).encode()
        assert post(url, body, None) == 403
        assert post(url, body, sign(body, "")) == 403
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode in (0, 130)


def test_a_redelivery_after_a_restart_is_not_answered_again(serve_env, tmp_path):
    env = {**serve_env, "WHATSAPP_APP_SECRET": SECRET}
    hello = json.dumps(notification(messages=[text(SENDER, "Hello!", "wamid.once")])).encode()
    later = json.dumps(notification(messages=[text(SENDER, "Still there?")])).encode()
    outputs = []
    for bodies in ([hello], [hello, later]):  # Meta delivers "Hello!" again after the restart
        process, url, _ = start_serving(env, tmp_path)
        try:
            assert [post(url, body, sign(body, SECRET)) for body in bodies] == [200] * len(bodies)
            outputs.append(process.stdout.readline())  # the reply to the last new message
        finally:
            process.send_signal(signal.SIGTERM)
            outputs[-1] += process.communicate(timeout=30)[0]
        assert process.returncode == 0, outputs[-1]
    assert [output.count(f"→ {SENDER} [text]") for output in outputs] == [1, 1]
    with contextlib.closing(sqlite3.connect(tmp_path / "data" / "memory.sqlite3")) as db:
        said = db.execute("SELECT content FROM messages WHERE role = 'user' ORDER BY id").fetchall()
    assert said == [("Hello!",), ("Still there?",)]
