"""What every ``companion`` command shares: its settings, and running it without a traceback."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Coroutine
from typing import Any

import click

from ai_companion.media import MediaError
from ai_companion.settings import Settings, SettingsError, load_settings

log = logging.getLogger("ai_companion")


def run(work: Coroutine[Any, Any, int]) -> None:
    """Run a command's coroutine; turn every failure into a one-line message, never a traceback."""
    try:
        code = asyncio.run(work)
    except KeyboardInterrupt:
        code = 130
    except (MediaError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        code = 1
    except Exception as exc:  # the last line of defence: report, don't dump a traceback
        log.debug("unexpected failure", exc_info=True)
        click.echo(f"error: unexpected {type(exc).__name__}: {exc}", err=True)
        code = 1
    sys.exit(code)


def command_settings() -> Settings:
    """The settings, or a usage error naming the invalid one."""
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
