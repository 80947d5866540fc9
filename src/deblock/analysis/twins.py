"""Naming conventions that pair a synchronous method with its coroutine twin."""

from __future__ import annotations

from collections.abc import Callable

_PATTERNS = ("{}_async", "async_{}", "a{}", "{}async")
# Sync methods whose conventional async counterpart is a protocol, not a blocking twin:
# a sync ``close()`` beside ``aclose()`` closes without waiting (trio/anyio streams).
_NOT_TWINS = frozenset({"close"})


def twin_of(
    name: str, is_coroutine: Callable[[str], bool], configured: dict[str, str]
) -> str | None:
    """The coroutine method paired with sync method ``name``, if its class has one."""
    if name in _NOT_TWINS and name not in configured:
        return None
    candidates = [configured[name]] if name in configured else []
    candidates += [pattern.format(name) for pattern in _PATTERNS]
    return next((c for c in candidates if is_coroutine(c)), None)
