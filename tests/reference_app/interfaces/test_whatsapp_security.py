"""What the webhook verifies and refuses, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from ai_companion.interfaces.whatsapp.app import MAX_BODY, PATH, WebhookSecurity
from ai_companion.interfaces.whatsapp.signature import sign
from whatsapp_notifications import (
    GRAPH_TOKEN,
    SECRET,
    VERIFY_TOKEN,
    notification,
    status,
    text,
)

SENDER = "4915112345678"


def hello() -> bytes:
    return json.dumps(notification(messages=[text(SENDER, "Hello!", "wamid.hello")])).encode()


async def test_handshake_with_the_right_token_echoes_the_challenge(webhook):
    response = await webhook.verify(
        mode="subscribe", verify_token=VERIFY_TOKEN, challenge="1158201444"
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "subscribe", "verify_token": "wrong", "challenge": "1158201444"},
        {"mode": "unsubscribe", "verify_token": VERIFY_TOKEN, "challenge": "1158201444"},
        {"verify_token": VERIFY_TOKEN, "challenge": "1158201444"},
        {"mode": "subscribe", "challenge": "1158201444"},
        {},
    ],
    ids=["wrong-token", "wrong-mode", "no-mode", "no-token", "nothing"],
)
async def test_handshake_is_refused_otherwise(webhook, params):
    response = await webhook.verify(**params)
    assert response.status_code == 403
    assert "1158201444" not in response.text


@pytest.mark.parametrize("security", [WebhookSecurity("", SECRET)], ids=["unset"])
async def test_handshake_without_a_configured_token_is_refused(webhook):
    response = await webhook.verify(mode="subscribe", verify_token="", challenge="9")
    assert response.status_code == 403


async def test_a_correctly_signed_message_is_accepted_and_answered(webhook, graph):
    response = await webhook.post_raw(hello(), sign(hello(), SECRET))
    assert response.status_code == 200
    assert response.json() == {"accepted": 1, "duplicates": 0}
    [sent] = await graph.wait_for_sent(1)
    assert sent.to == SENDER and sent.kind == "text"


@pytest.fixture
def nothing_processed(dispatcher, graph, companion):
    """After the test: no message reached the companion and nothing was sent."""

    async def check() -> None:
        await dispatcher.join()
        assert graph.sent == []
        assert await companion.memory.history(f"whatsapp:{SENDER}") == []

    return check


async def test_missing_signature_is_refused(webhook, nothing_processed):
    response = await webhook.post_raw(hello(), None)
    assert response.status_code == 403
    await nothing_processed()


@pytest.mark.parametrize(
    "signature",
    [
        "sha256=" + "0" * 64,
        sign(hello(), SECRET).removeprefix("sha256="),
        sign(hello(), SECRET).upper(),
        "sha1=" + "0" * 40,
        "sha256=",
        "sha256=é".encode(),
        "",
        sign(hello(), "another-secret"),
    ],
    ids=["wrong", "no-prefix", "upper-case", "sha1", "empty-digest", "non-ascii", "empty", "key"],
)
async def test_wrong_signature_is_refused(webhook, nothing_processed, signature):
    response = await webhook.post_raw(hello(), signature)
    assert response.status_code == 403
    await nothing_processed()


async def test_body_altered_after_signing_is_refused(webhook, nothing_processed):
    signature = sign(hello(), SECRET)
    altered = hello().replace(b"Hello!", b"Hacked")
    response = await webhook.post_raw(altered, signature)
    assert response.status_code == 403
    await nothing_processed()


async def test_signature_covers_the_raw_bytes_not_the_parsed_json(webhook, nothing_processed):
    signature = sign(hello(), SECRET)
    reformatted = json.dumps(json.loads(hello()), indent=1).encode()  # same JSON, other bytes
    response = await webhook.post_raw(reformatted, signature)
    assert response.status_code == 403
    await nothing_processed()


@pytest.mark.parametrize("security", [WebhookSecurity(VERIFY_TOKEN, "")], ids=["no-secret"])
async def test_without_a_secret_every_post_is_refused(webhook, nothing_processed):
    for signature in (None, sign(hello(), ""), sign(hello(), SECRET)):
        response = await webhook.post_raw(hello(), signature)
        assert response.status_code == 403
    await nothing_processed()


@pytest.mark.parametrize(
    "security", [WebhookSecurity(VERIFY_TOKEN, "", allow_unsigned=True)], ids=["dev-flag"]
)
async def test_the_development_flag_accepts_unsigned_posts_without_a_secret(webhook, graph):
    response = await webhook.post_raw(hello(), None)
    assert response.status_code == 200
    assert len(await graph.wait_for_sent(1)) == 1


@pytest.mark.parametrize(
    "security", [WebhookSecurity(VERIFY_TOKEN, SECRET, allow_unsigned=True)], ids=["dev-flag"]
)
async def test_the_development_flag_does_not_weaken_a_configured_secret(webhook, nothing_processed):
    response = await webhook.post_raw(hello(), None)
    assert response.status_code == 403
    await nothing_processed()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"",
        b"[]",
        b'"whatsapp_business_account"',
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account"}',
        b'{"object": "whatsapp_business_account", "entry": {}}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": 3}]}]}',
        json.dumps(notification(messages=[{"from": SENDER, "type": "text"}])).encode(),
        json.dumps(notification(messages=[text(SENDER, "")])).encode(),
        json.dumps(notification(messages=[text("../../me", "hi")])).encode(),
        json.dumps(
            notification(messages=[{**text(SENDER, "x"), "type": "image", "image": {"id": "../1"}}])
        ).encode(),
        json.dumps(
            notification(messages=[{**text(SENDER, "x"), "text": "just a string"}])
        ).encode(),
    ],
    ids=[
        "not-json",
        "not-utf8",
        "empty",
        "array",
        "string",
        "other-object",
        "no-entry",
        "entry-not-list",
        "value-not-object",
        "message-without-id",
        "empty-text",
        "sender-not-a-number",
        "media-id-path",
        "text-not-object",
    ],
)
async def test_malformed_notifications_are_rejected_with_400(webhook, nothing_processed, body):
    response = await webhook.post_raw(body, sign(body, SECRET))
    assert response.status_code == 400
    await nothing_processed()


async def test_status_updates_are_acknowledged_and_ignored(webhook, nothing_processed):
    statuses = [status(state=state) for state in ("sent", "delivered", "read")]
    response = await webhook.post(notification(statuses=statuses))
    assert response.status_code == 200
    assert response.json() == {"accepted": 0, "duplicates": 0}
    await nothing_processed()


async def test_a_body_over_the_limit_is_refused_with_413(webhook, nothing_processed):
    body = hello() + b" " * MAX_BODY
    response = await webhook.post_raw(body, sign(body, SECRET))
    assert response.status_code == 413
    await nothing_processed()


async def status_before_the_body_ends(url: str, headers: str, body_part: bytes) -> bytes:
    """Send the headers and part of a body, then read the status line without finishing."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        request = f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\n"
        request += f"X-Hub-Signature-256: {sign(b'', SECRET)}\r\n{headers}\r\n"
        writer.write(request.encode() + body_part)
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()


async def test_a_declared_length_over_the_limit_is_refused_before_the_body(webhook):
    headers = f"Content-Length: {MAX_BODY + 1}\r\n"
    line = await status_before_the_body_ends(str(webhook.http.base_url), headers, b"{")
    assert line.startswith(b"HTTP/1.1 413")


async def test_a_chunked_body_is_refused_while_it_is_still_arriving(webhook):
    chunk = b" " * 65536
    chunks = (b"%x\r\n%s\r\n" % (len(chunk), chunk)) * (MAX_BODY // len(chunk) + 2)
    headers = "Transfer-Encoding: chunked\r\n"
    line = await status_before_the_body_ends(str(webhook.http.base_url), headers, chunks)
    assert line.startswith(b"HTTP/1.1 413")  # no final chunk was sent: refused mid-body


async def test_no_token_or_secret_reaches_the_logs(webhook, dispatcher, caplog):
    caplog.set_level(logging.DEBUG)
    await webhook.verify(mode="subscribe", verify_token=VERIFY_TOKEN, challenge="1")
    await webhook.verify(mode="subscribe", verify_token="guess", challenge="1")
    await webhook.post_raw(hello(), "sha256=" + "0" * 64)
    await webhook.post(notification(messages=[text(SENDER, "Hello!")]))
    await dispatcher.join()
    # Everything but the test's own requests to the webhook (it plays Meta, which knows them).
    logged = "\n".join(
        record.getMessage()
        for record in caplog.records
        if not (record.name == "httpx" and PATH in record.getMessage())
    )
    assert "refused with 403" in logged and "answered message" in logged
    for secret in (SECRET, GRAPH_TOKEN, VERIFY_TOKEN, "guess"):
        assert secret not in logged
