"""Bringing the companion up for an interface: the emulator when offline, then the workflow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from ai_companion.emulator import Emulator
from ai_companion.settings import Settings
from ai_companion.workflow import Companion


@dataclass
class Session:
    companion: Companion
    banner: str  # empty online; otherwise says what stands in for the cloud


def offline_banner(emulator: Emulator) -> str:
    return (
        "offline mode: no API keys, so a local emulator stands in for Groq, Together and "
        "ElevenLabs (scripted chat replies, Pillow drawings, pocketsphinx transcription, "
        f"voice by {emulator.engines.voice_name})"
    )


@asynccontextmanager
async def open_session(settings: Settings) -> AsyncIterator[Session]:
    """The companion for ``settings``, backed by an in-process emulator when offline."""
    if not settings.offline:
        async with await Companion.open(settings) as companion:
            yield Session(companion, "")
        return
    async with Emulator() as emulator:
        async with await Companion.open(settings.with_base_url(emulator.base_url)) as companion:
            yield Session(companion, offline_banner(emulator))
