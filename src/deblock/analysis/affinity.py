"""Objects that work only in the thread that made them (sqlite3 connections and cursors,
``THREAD_AFFINE``): a fix may move their whole lifetime into one thread, never one call."""

from __future__ import annotations

from collections.abc import Callable

from deblock.rules.resources import THREAD_AFFINE


def affine_kind(target: str, call_returns: Callable[[str], str | None]) -> str | None:
    """The thread-affine class a call of ``target`` is made on, or else makes, if any."""
    owner = target.rpartition(".")[0]
    if owner in THREAD_AFFINE:
        return owner
    made = call_returns(target)
    return made if made in THREAD_AFFINE else None


def affinity_reason(kind: str, why: str) -> str:
    """Why a call on or making a ``kind`` object is not bridged (``why`` says how)."""
    return f"`{kind}` objects work only in the thread that made them, and {why}"
