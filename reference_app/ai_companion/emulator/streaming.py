"""Chat completions streamed as server-sent events, a token at a time, as Groq sends them."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.types import Receive, Scope, Send

from ai_companion.emulator.faults import Faults


class StreamCut(ConnectionError):
    """Raised inside a streamed response to drop its connection halfway (an injected fault)."""


def tokens(text: str) -> list[str]:
    """``text`` in word-sized tokens, each with the whitespace before it."""
    return re.findall(r"\s*\S+", text)


@dataclass
class CompletionStream:
    """An ASGI response streaming the completion ``message`` (``head``: its id, model...).

    The role comes first, then the content token by token, the finish reason and ``[DONE]``
    (text only: the app streams free-text replies, never tool calls). Halfway through, a
    stream that ``faults`` cuts raises :class:`StreamCut`, which drops the connection; one it
    fails ends with an error event instead of the rest.
    """

    head: dict[str, Any]
    message: dict[str, Any]
    faults: Faults

    def _event(self, delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return f"data: {json.dumps({**self.head, 'choices': [choice]})}\n\n".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pieces = tokens(self.message.get("content") or "")
        fault = self.faults.stream_fault()
        halfway = len(pieces) // 2 if fault else None
        headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = {"type": "http.response.body", "more_body": True}
        await send({**body, "body": self._event({"role": "assistant", "content": ""})})
        end = self._event({}, "stop") + b"data: [DONE]\n\n"
        for index, piece in enumerate(pieces):
            if index == halfway:
                if fault == "cut":
                    raise StreamCut(f"stream cut after {index} tokens")
                error = {"message": "injected failure mid-stream", "type": "internal_server_error"}
                end = f"data: {json.dumps({'error': error})}\n\n".encode()
                break
            await asyncio.sleep(self.faults.token_interval)
            await send({**body, "body": self._event({"content": piece})})
        await send({**body, "body": end, "more_body": False})
