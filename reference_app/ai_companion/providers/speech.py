"""Speech in and out: Groq transcriptions from bytes, ElevenLabs text-to-speech streamed."""

from __future__ import annotations

from elevenlabs.client import AsyncElevenLabs
from groq import AsyncGroq

from ai_companion.providers.guard import ProviderGuard


class TranscriptionProvider:
    def __init__(self, client: AsyncGroq, guard: ProviderGuard, model: str):
        self._client = client
        self._guard = guard
        self.model = model

    async def transcribe(self, audio: bytes, filename: str, mime: str) -> str:
        """Transcribe in-memory audio (no temporary file)."""
        result = await self._guard.run(
            # An explicit content type spares httpx a first-use read of the system mime tables.
            lambda: self._client.audio.transcriptions.create(
                model=self.model, file=(filename, audio, mime), response_format="json"
            )
        )
        return result.text.strip()


class SpeechProvider:
    def __init__(self, client: AsyncElevenLabs, guard: ProviderGuard, voice_id: str, model: str):
        self._client = client
        self._guard = guard
        self.voice_id = voice_id
        self.model = model

    async def _collect(self, text: str) -> bytes:
        # elevenlabs 2.x: convert() is an async generator of audio chunks, not an awaitable.
        stream = self._client.text_to_speech.convert(
            self.voice_id, text=text, model_id=self.model, request_options={"max_retries": 0}
        )
        return b"".join([chunk async for chunk in stream])

    async def speak(self, text: str) -> bytes:
        """Synthesise ``text``; the timeout covers the whole stream, not just its first byte."""
        return await self._guard.run(lambda: self._collect(text))
