"""Fix strategy name → codemod, and the order the fixer applies them in."""

from __future__ import annotations

from .async_open import AsyncOpenCommand
from .base import FindingCodemod
from .sleep import SleepCommand
from .to_thread import ToThreadCommand

# Block-level rewrites first (they consume the calls inside their block); unsafe
# strategies before the safe fallback of the same findings.
CODEMODS: dict[str, type[FindingCodemod]] = {
    command.STRATEGY: command
    for command in (AsyncOpenCommand, SleepCommand, ToThreadCommand)
}
