"""The companions the regression tests and the load benchmark drive, behind one interface.

``reference``: the app in ``reference_app/``. ``snapshot``: the blocking first draft in
``fixtures/blocking_companion`` (or a fixed copy of it, imported from another directory).
Both answer ``await companion.respond(conversation, UserMessage(...))``, and each interface
reads a message's media files its own way.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ai_companion.emulator import Emulator
from ai_companion.emulator.engines import Engines
from ai_companion.media import read_media
from ai_companion.settings import Settings
from ai_companion.workflow import Companion, UserMessage

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SNAPSHOT_PACKAGE = "blocking_companion"
MANIFEST = HERE / "manifest.toml"
APPS = ("reference", "snapshot")
MONDAY_NOON = datetime(2026, 11, 30, 12, 30)


def monday_noon() -> datetime:
    """A fixed clock, so the character's scheduled activity is known."""
    return MONDAY_NOON


@asynccontextmanager
async def emulator() -> AsyncIterator[Emulator]:
    """The providers' emulator on loopback, in this process (a tone stands in for speech)."""
    async with Emulator(engines=Engines(espeak=None)) as server:
        yield server


def settings_for(server: Emulator, data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, timeout=30.0, retries=2).with_base_url(server.base_url)


def import_snapshot(parent: Path = FIXTURES) -> Any:
    """The snapshot's interface module (its ``Companion`` included), imported from the
    package under ``parent``."""
    sys.path.insert(0, str(parent))
    try:
        return importlib.import_module(f"{SNAPSHOT_PACKAGE}.interface")
    finally:
        sys.path.remove(str(parent))


LoadMessage = Callable[[str, Path | None, Path | None], Awaitable[UserMessage]]


@dataclass
class App:
    """An open companion, and how its interface turns text and media files into a message."""

    companion: Any
    load_message: LoadMessage


async def reference_message(
    text: str, image: Path | None = None, audio: Path | None = None
) -> UserMessage:
    """The reference interfaces' way: each file read and checked with ``read_media``."""
    paths = {"image": image, "audio": audio}
    media = {kind: (await read_media(path, kind))[0] for kind, path in paths.items() if path}
    return UserMessage(text, **media)


@asynccontextmanager
async def open_app(
    app: str, settings: Settings, snapshot_parent: Path = FIXTURES
) -> AsyncIterator[App]:
    """``app`` (one of ``APPS``), open on ``settings``."""
    if app == "reference":
        async with await Companion.open(settings, clock=monday_noon) as companion:
            yield App(companion, reference_message)
        return
    snapshot = import_snapshot(snapshot_parent)
    # Its constructor builds SDK clients (TLS certificates are read from disk): off the loop.
    companion = await asyncio.to_thread(snapshot.Companion, settings, monday_noon)
    yield App(companion, snapshot.load_message)
