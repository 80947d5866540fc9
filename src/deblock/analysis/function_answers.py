"""What the state rules ask of one function, found once (``FunctionRecord.answers``)."""

from __future__ import annotations

import ast
from dataclasses import field

from deblock.records import record


@record(eq=False)
class FunctionAnswers:
    """One function's answers that a module's rules would otherwise find again for each of
    its state accesses (``StateAccess``: up to four a function, each with other callees and
    helpers): each depends on the function alone, or is kept by what else it read."""

    # ``StateAccess.aliases``, by the imported names they were found with and the ``with``
    # targets its callees bind (``StateAccess._entered_arguments``): without callees and
    # with callees that bind none, one answer
    aliases: dict[tuple[frozenset[str], tuple], dict] = field(default_factory=dict)
    # (manager, name) of each ``with`` item binding a name (``shared_state._named_withs``)
    named_withs: list[tuple[ast.expr, str]] | None = None
    # the names its own code binds to a value it shows (``shared_state._bound_in``), and
    # those and the values it stores in a local container, by line (``_stored_in``)
    bound: list[tuple[str, ast.expr]] | None = None
    stored: list[tuple[str, ast.expr]] | None = None
    # ``shared_state.handing``: what its calls hand
    handing: tuple | None = None
    # the names its body reads whole (``shared_state.body_whole_reads``)
    read_whole: list | None = None
    # ``lock_aliases.stands_for`` of its names (without returns followed), by node
    stood_for: dict[ast.expr, ast.expr] = field(default_factory=dict)
