"""Fix strategy name → codemod, and the order the fixer applies them in."""

from __future__ import annotations

from .async_client import AsyncClientCommand
from .async_for import AsyncForCommand
from .async_open import AsyncOpenCommand
from .base import FindingCodemod
from .call_async import CallAsyncCommand
from .call_twin import CallTwinCommand
from .create_subprocess import CreateSubprocessCommand
from .sleep import SleepCommand
from .thread_section import ThreadSectionCommand
from .to_thread import ToThreadCommand
from .unwrap_bridge import UnwrapBridgeCommand
from .whole_bridge import BridgeWholeCommand

# Block-level rewrites first (they consume the calls inside their block); unsafe
# strategies before the safe fallback of the same findings.
_ORDER = (
    ThreadSectionCommand,
    AsyncOpenCommand,
    UnwrapBridgeCommand,
    BridgeWholeCommand,
    AsyncClientCommand,
    CreateSubprocessCommand,
    CallAsyncCommand,
    CallTwinCommand,
    AsyncForCommand,
    SleepCommand,
    ToThreadCommand,
)
CODEMODS: dict[str, type[FindingCodemod]] = {command.STRATEGY: command for command in _ORDER}
