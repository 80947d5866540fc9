"""Image understanding: a Groq vision model describes an image sent as a data URL."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from groq import AsyncGroq

from ai_companion.providers.guard import ProviderGuard


@dataclass
class VisionProvider:
    client: AsyncGroq
    guard: ProviderGuard
    model: str

    async def describe(self, image: bytes, mime: str, question: str) -> str:
        """Describe ``image`` (raw bytes of type ``mime``) with ``question`` as the prompt."""
        url = f"data:{mime};base64,{base64.b64encode(image).decode()}"
        content = [
            {"type": "text", "text": question},
            {"type": "image_url", "image_url": {"url": url}},
        ]
        completion = await self.guard.run(
            lambda: self.client.chat.completions.create(
                model=self.model, messages=[{"role": "user", "content": content}]
            )
        )
        return (completion.choices[0].message.content or "").strip()
