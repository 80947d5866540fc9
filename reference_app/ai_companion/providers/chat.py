"""Chat completions on ``AsyncGroq``: free text, JSON output and forced tool calls."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from groq import AsyncGroq

from ai_companion.providers.errors import ProviderRejected
from ai_companion.providers.guard import ProviderGuard

Message = dict[str, Any]


@dataclass
class ChatProvider:
    """Replies with ``model``; structured extraction and routing with ``fast_model``."""

    client: AsyncGroq
    guard: ProviderGuard
    model: str
    fast_model: str

    async def reply(self, messages: list[Message]) -> str:
        """A free-text completion with the main model."""
        completion = await self.guard.run(
            lambda: self.client.chat.completions.create(model=self.model, messages=messages)
        )
        return (completion.choices[0].message.content or "").strip()

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
