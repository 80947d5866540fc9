"""Provider clients on the SDKs' native async clients, each behind its own guard."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx  # noqa: ASYNC127 -- the SDKs are built on httpx; ElevenLabs gets our client
from elevenlabs.client import AsyncElevenLabs
from groq import AsyncGroq
from together import AsyncTogether

from ai_companion.providers.chat import ChatProvider
from ai_companion.providers.errors import ProviderError, ProviderRejected, ProviderUnavailable
from ai_companion.providers.guard import ProviderGuard
from ai_companion.providers.images import ImageProvider
from ai_companion.providers.speech import SpeechProvider, TranscriptionProvider
from ai_companion.providers.vision import VisionProvider
from ai_companion.settings import Settings

__all__ = ["ProviderError", "ProviderRejected", "ProviderUnavailable", "Providers"]

PROVIDER_NAMES = ("groq", "together", "elevenlabs")


@dataclass
class Providers:
    """Every capability the workflow uses, plus the guards that protect each provider."""

    chat: ChatProvider
    vision: VisionProvider
    transcription: TranscriptionProvider
    speech: SpeechProvider
    images: ImageProvider
    guards: dict[str, ProviderGuard]
    _closers: list[Callable[[], Awaitable[None]]]

    @classmethod
    async def create(cls, settings: Settings, **guard_options: float) -> Providers:
        """Build the SDK clients; ``guard_options`` tune breakers and backoff."""
        guards = {
            name: ProviderGuard(
                name, timeout=settings.timeout, retries=settings.retries, **guard_options
            )
            for name in PROVIDER_NAMES
        }
        # Building an httpx client loads TLS certificates from disk: keep that off the loop.
        groq, together, elevenlabs, http = await asyncio.to_thread(_build_clients, settings)
        return cls(
            chat=ChatProvider(groq, guards["groq"], settings.chat_model, settings.router_model),
            vision=VisionProvider(groq, guards["groq"], settings.vision_model),
            transcription=TranscriptionProvider(groq, guards["groq"], settings.transcription_model),
            speech=SpeechProvider(
                elevenlabs, guards["elevenlabs"], settings.tts_model, settings.elevenlabs_voice_id
            ),
            images=ImageProvider(together, guards["together"], settings.image_model),
            guards=guards,
            _closers=[groq.close, together.close, http.aclose],
        )

    def breaker_states(self) -> dict[str, str]:
        return {name: guard.breaker.state.value for name, guard in self.guards.items()}

    async def aclose(self) -> None:
        await asyncio.gather(*(close() for close in self._closers))


def _build_clients(
    settings: Settings,
) -> tuple[AsyncGroq, AsyncTogether, AsyncElevenLabs, httpx.AsyncClient]:
    http = httpx.AsyncClient(timeout=settings.timeout)
    groq = AsyncGroq(
        api_key=settings.groq_api_key,
        base_url=settings.groq_base_url or None,
        timeout=settings.timeout,
        max_retries=0,
    )
    together = AsyncTogether(
        api_key=settings.together_api_key,
        base_url=settings.together_base_url or None,
        timeout=settings.timeout,
        max_retries=0,
    )
    # The Stainless SDKs probe the filesystem once (then cache) for their default headers:
    # compute them here, in the worker thread, rather than on the first request on the loop.
    for client in (groq, together):
        client.default_headers  # noqa: B018
    elevenlabs = AsyncElevenLabs(
        api_key=settings.elevenlabs_api_key,
        base_url=settings.elevenlabs_base_url or None,
        httpx_client=http,
    )
    return groq, together, elevenlabs, http
