"""The resource a blocking call touches (the file system, a database, a server) and whether it
writes it; none for a call on a temporary file of its own function's (``temporary_files``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from deblock.analysis.shared_state import READ, WRITE, StateAccess
from deblock.analysis.temporary_files import makes_private, on_temporary, temporary_names
from deblock.rules.resources import NOT_THREAD_SAFE, OPENS, READS, resource_of

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord


def shared_sync_io(
    sync_io: list[tuple[str, str, ast.AST, str]], records: list[FunctionRecord]
) -> list[tuple[str, str, ast.AST, str]]:
    """The blocking calls of sync functions (rule code, target, call, function: one of
    ``records``, by name) less those on temporary files the function made, as for a
    coroutine's: a thread helper a fix made of a coroutine's statements shares what they
    shared, no more."""
    makers: dict[str, list[ast.AST]] = {}
    for code, target, call, owner in sync_io:
        if makes_private(code, target, call):
            makers.setdefault(owner, []).append(call)
    if not makers:
        return sync_io
    nodes = {r.qualname: r.node for r in records if r.qualname in makers}
    names = {owner: temporary_names(nodes[owner], calls) for owner, calls in makers.items()}
    return [io for io in sync_io if not on_temporary(io[2], names.get(io[3], set()))]


def sync_access(
    code: str, target: str, call: ast.AST, access: Callable[[], StateAccess]
) -> tuple[str, str] | None:
    """The resource a sync function's blocking call touches, and whether it only reads it
    (``resource_access``), through a client the function made when the call is a method
    of one (``access``: the function's, asked only when that matters: a third-party
    protocol client's call; ``pika_own_in_helper``), or of a thread-safe client (kafka's
    producer): its call writes no client's name, and a caller's run would know nothing
    tying it to the server calls beside it (``kafka_shared_in_helper``)."""
    if resource_of(code, target, own=True) == resource_of(code, target):
        return resource_access(code, target, call)
    thread_safe = target.rpartition(".")[0] not in NOT_THREAD_SAFE
    return resource_access(code, target, call, thread_safe or access().through_own(call))


def resource_access(
    code: str, target: str, call: ast.AST | None, own: bool = False
) -> tuple[str, str] | None:
    """The resource a blocking call touches, and whether it only reads it (without the
    ``call`` to read its mode from, an ``open`` writes; ``own``: ``resource_of``'s)."""
    resource = resource_of(code, target, own)
    if resource is None or makes_private(code, target, call):
        return None
    return resource, _file_mode(target, call)


def _file_mode(target: str, call: ast.AST | None) -> str:
    """Whether a resource call reads only, or writes."""
    if target in READS:
        return READ
    position = OPENS.get(target)
    if position is None or not isinstance(call, ast.Call):
        return WRITE
    mode = next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is None and len(call.args) > position:
        mode = call.args[position]
    if mode is None:
        return READ
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return WRITE if set(mode.value) & set("wax+") else READ
    return WRITE
