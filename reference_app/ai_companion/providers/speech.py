"""Speech in and out: Groq transcriptions from bytes, ElevenLabs text-to-speech (Ogg Opus)
streamed."""

from __future__ import annotations

from dataclasses import dataclass

from elevenlabs.client import AsyncElevenLabs
from groq import AsyncGroq

from ai_companion.providers.guard import ProviderGuard

# Ogg Opus: the format WhatsApp plays as a voice note (it refuses WAV); browsers play it too.
VOICE_FORMAT = "opus_48000_64"


@dataclass
class TranscriptionProvider:
    client: AsyncGroq
    guard: ProviderGuard
    model: str

    async def transcribe(self, audio: bytes, filename: str, mime: str) -> str:
        """Transcribe in-memory audio (no temporary file)."""
        result = await self.guard.run(
            # An explicit content type spares httpx a first-use read of the system mime tables.
            lambda: self.client.audio.transcriptions.create(
                model=self.model, file=(filename, audio, mime), response_format="json"
            )
        )
        return result.text.strip()


@dataclass
class SpeechProvider:
    client: AsyncElevenLabs
    guard: ProviderGuard
    model: str
    voice_id: str

    async def _collect(self, text: str) -> bytes:
        # elevenlabs 2.x: convert() is an async generator of audio chunks, not an awaitable.
        stream = self.client.text_to_speech.convert(
            self.voice_id,
            text=text,
            model_id=self.model,
            output_format=VOICE_FORMAT,
            request_options={"max_retries": 0},
        )
        return b"".join([chunk async for chunk in stream])

    async def speak(self, text: str) -> bytes:
        """Synthesise ``text``; the timeout covers the whole stream, not just its first byte."""
        return await self.guard.run(lambda: self._collect(text))
