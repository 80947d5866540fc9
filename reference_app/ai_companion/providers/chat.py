"""Chat completions on ``AsyncGroq``: free text, JSON output and forced tool calls."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from groq import AsyncGroq

from ai_companion.providers.errors import ProviderRejected
from ai_companion.providers.guard import ProviderGuard

Message = dict[str, Any]
TextListener = Callable[[str], Awaitable[object]]


@dataclass
class ChatProvider:
    """Replies with ``model``; structured extraction and routing with ``fast_model``."""

    client: AsyncGroq
    guard: ProviderGuard
    model: str
    fast_model: str

    async def reply(self, messages: list[Message], on_text: TextListener | None = None) -> str:
        """A free-text completion with the main model; streamed to ``on_text`` if given.

        Each piece of a streamed reply reaches ``on_text`` once: a retry after a stream broke
        off asks the model to continue after the text already received (a trailing assistant
        message, which Groq continues) rather than to start again.
        """
        if on_text is None:
            completion = await self.guard.run(
                lambda: self.client.chat.completions.create(model=self.model, messages=messages)
            )
            return (completion.choices[0].message.content or "").strip()
        received: list[str] = []
        await self.guard.run(lambda: self._stream(messages, received, on_text))
        return "".join(received).strip()

    async def _stream(
        self, messages: list[Message], received: list[str], on_text: TextListener
    ) -> None:
        """One streaming attempt, continuing after ``received`` and appending to it."""
        prefill = [{"role": "assistant", "content": "".join(received)}] if received else []
        stream = await self.client.chat.completions.create(
            model=self.model, messages=[*messages, *prefill], stream=True
        )
        async with stream:
            async for chunk in stream:
                piece = chunk.choices[0].delta.content if chunk.choices else None
                if piece:
                    received.append(piece)
                    await on_text(piece)

    async def json_object(self, system: str, user: str) -> dict[str, Any]:
        """A completion constrained to a JSON object (Groq's JSON mode) with the fast model."""
        completion = await self.guard.run(
            lambda: self.client.chat.completions.create(
                model=self.fast_model,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                response_format={"type": "json_object"},
            )
        )
        return _decode(completion.choices[0].message.content or "")

    async def call_tool(self, system: str, user: str, tool: dict[str, Any]) -> dict[str, Any]:
        """Force the fast model to call ``tool`` and return the call's arguments."""
        name = tool["function"]["name"]
        completion = await self.guard.run(
            lambda: self.client.chat.completions.create(
                model=self.fast_model,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                tools=[tool],
                tool_choice={"type": "function", "function": {"name": name}},
            )
        )
        calls = completion.choices[0].message.tool_calls or []
        if not calls or calls[0].function.name != name:
            raise ProviderRejected(f"the model did not call {name}")
        return _decode(calls[0].function.arguments)


def _decode(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProviderRejected(f"the model returned invalid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ProviderRejected("the model returned JSON that is not an object")
    return value
