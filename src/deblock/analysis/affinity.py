"""Objects that work only in the thread that made them (sqlite3 connections and cursors,
``THREAD_AFFINE``): a fix may move their whole lifetime into one thread, never one call.
A redis lock's calls that use its token (``TOKEN_CALLS``) work only in the thread that took
it: a fix may move them into one thread together, never one apart."""

from __future__ import annotations

from collections.abc import Callable

from deblock.rules.network import TOKEN_CALLS
from deblock.rules.resources import THREAD_AFFINE


def affine_kind(target: str, call_returns: Callable[[str], str | None]) -> str | None:
    """The thread-affine class a call of ``target`` is made on, or else makes, if any, or
    the class whose token it uses."""
    owner = target.rpartition(".")[0]
    if owner in THREAD_AFFINE or uses_token(target):
        return owner
    made = call_returns(target)
    return made if made in THREAD_AFFINE else None


def uses_token(target: str) -> bool:
    """Whether a call of ``target`` uses the token of the lock it is made on (not
    ``locked``, nor a ``with`` block's entry, which gives it back at the block's exit)."""
    owner, _, name = target.rpartition(".")
    return name in TOKEN_CALLS.get(owner, ())


def affinity_reason(kind: str, why: str) -> str:
    """Why a call on or making a ``kind`` object is not bridged (``why`` says how)."""
    if kind in TOKEN_CALLS:
        return f"a `{kind}` keeps the token it takes for the thread that took it, and {why}"
    return f"`{kind}` objects work only in the thread that made them, and {why}"
