"""Image generation on ``AsyncTogether``, returned as base64 and decoded to bytes."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from together import AsyncTogether

from ai_companion.providers.errors import ProviderRejected
from ai_companion.providers.guard import ProviderGuard


@dataclass
class ImageProvider:
    client: AsyncTogether
    guard: ProviderGuard
    model: str

    async def generate(self, prompt: str, width: int = 512, height: int = 512) -> bytes:
        """Generate one image for ``prompt`` and return its encoded bytes."""
        result = await self.guard.run(
            lambda: self.client.images.generate(
                model=self.model,
                prompt=prompt,
                width=width,
                height=height,
                n=1,
                steps=4,
                response_format="base64",
            )
        )
        encoded = getattr(result.data[0], "b64_json", None) if result.data else None
        if not encoded:
            raise ProviderRejected("together returned no base64 image")
        return base64.b64decode(encoded)
