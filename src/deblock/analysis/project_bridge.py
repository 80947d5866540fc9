"""The thread bridge a module's fixes use: the project's own, when it has one."""

from __future__ import annotations

from deblock.rules.bridges import WRAPPING_BRIDGES


def project_bridge(names: dict[str, str], configured: str | None) -> str | None:
    """``[tool.deblock] thread-bridge`` when set, else the bridge the module already imports
    (asgiref's ``sync_to_async``); None: the async library's own (``asyncio.to_thread``)."""
    if configured:
        return configured
    return next((name for name in names.values() if name in WRAPPING_BRIDGES), None)
