"""Naming conventions that pair a synchronous method with its coroutine twin."""

from __future__ import annotations

from collections.abc import Callable

from deblock.rules.model import Blocking

_PATTERNS = ("{}_async", "async_{}", "a{}", "{}async")
# Sync methods whose conventional async counterpart is a protocol, not a blocking twin:
# a sync ``close()`` beside ``aclose()`` closes without waiting (trio/anyio streams).
_NOT_TWINS = frozenset({"close"})
# The breaker's ``call``/``call_async`` has its own rule; every other pair is DBK602.
_CODES = {"call": "DBK601"}


def twin_of(
    name: str, is_coroutine: Callable[[str], bool], configured: dict[str, str]
) -> str | None:
    """The coroutine method paired with sync method ``name``, if its class has one."""
    if name in _NOT_TWINS and name not in configured:
        return None
    candidates = [configured[name]] if name in configured else []
    candidates += [pattern.format(name) for pattern in _PATTERNS]
    return next((c for c in candidates if is_coroutine(c)), None)


def twin_entry(
    qualname: str, method_is_coroutine: Callable[[str], bool | None], configured: dict[str, str]
) -> Blocking | None:
    """A catalogue entry for sync method ``qualname`` (``pkg.Class.method``) when its class
    has a coroutine twin; ``method_is_coroutine(name)`` says whether the class's method
    ``name`` is a coroutine (None: no such method)."""
    name = qualname.rpartition(".")[2]
    if method_is_coroutine(name) is not False:
        return None
    twin = twin_of(name, lambda other: method_is_coroutine(other) is True, configured)
    if twin is None:
        return None
    return Blocking(qualname, _CODES.get(name, "DBK602"), async_twin=twin)
