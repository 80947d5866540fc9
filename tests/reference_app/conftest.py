"""Fixtures for the reference companion; every test here runs with blockbuster active."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from ai_companion.emulator import Emulator
from ai_companion.emulator.engines import Engines
from ai_companion.settings import Settings
from ai_companion.workflow import Companion
from blockbuster import blockbuster_ctx
from postgres_server import binaries, fresh_database, postgres_server

DATA = Path(__file__).parent / "data"
# Fast breakers and backoff so fault tests take fractions of a second.
GUARD_OPTIONS = {"failure_threshold": 3, "reset_timeout": 0.5, "base_delay": 0.01}
MONDAY_NOON = datetime(2026, 11, 30, 12, 30)


@pytest.fixture(autouse=True)
def blockbuster():
    """Fail any test whose event loop makes a blocking call (sleep, file, socket, sqlite...)."""
    with blockbuster_ctx() as detector:
        yield detector


@pytest.fixture(scope="session")
def spoken_wav() -> bytes:
    """'one two three' spoken by espeak-ng, 16 kHz mono (read before any loop runs). The
    emulator's recogniser is loaded here too: its model takes a second or more to load, which
    on a busy machine outlasted the first transcribing turn's 1-second timeout."""
    wav = (DATA / "one_two_three.wav").read_bytes()
    Engines(espeak=None).transcribe_sync(wav)
    return wav


@pytest.fixture
async def emulator():
    """The emulated providers on loopback, using the tone stand-in for speech everywhere."""
    async with Emulator(engines=Engines(espeak=None)) as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, emulator: Emulator) -> Settings:
    return Settings(data_dir=tmp_path, timeout=1.0, retries=2).with_base_url(emulator.base_url)


@pytest.fixture
def guard_options() -> dict[str, float]:
    return dict(GUARD_OPTIONS)


@pytest.fixture
async def companion(settings: Settings, guard_options: dict[str, float]):
    async with await Companion.open(
        settings, guard_options=guard_options, clock=lambda: MONDAY_NOON
    ) as opened:
        yield opened


@pytest.fixture(scope="session")
def postgres_server_url():
    """A PostgreSQL server for the session; a missing install fails under CI, else skips."""
    bin_dir = binaries()
    if bin_dir is None:
        reason = "PostgreSQL is not installed (scripts/test installs Debian's postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with postgres_server(bin_dir) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_server(request) -> str:
    """Each kind of database in turn: '' for SQLite, or the session's PostgreSQL server."""
    return "" if request.param == "sqlite" else request.getfixturevalue("postgres_server_url")


@pytest.fixture
async def database_settings(database_server: str, tmp_path: Path) -> Settings:
    """Settings naming an empty database: SQLite in ``tmp_path``, or a new PostgreSQL one."""
    url = await fresh_database(database_server) if database_server else ""
    return Settings(data_dir=tmp_path / "data", database_url=url)
