"""What a module does with other modules' globals, and which of its own its fixes move.

A fix that moves code using a global into a worker thread is weighed against the module's
own code left on the event loop (``ModuleState.conflict``); another module that imports it
and uses the global (``helpers.TABLE``) is the project pass's to weigh
(``project.module_globals``), from these two facts of each module's summary.
"""

from __future__ import annotations

import ast

from deblock.analysis.modules import maybe_project
from deblock.analysis.nodes import walk
from deblock.rules.resources import MUTATING_METHODS


def reached_globals(tree: ast.Module, imported: dict[str, str]) -> tuple:
    """(module, name, whether it writes it) for each attribute of a project module the
    module's code uses through its import (``import helpers``: ``imported`` maps the names
    bound by imports to what they name): ``helpers.TABLE`` read, ``helpers.TABLE[k] = v`` or
    ``helpers.LOG.append(x)`` written. A call of ``helpers.f`` uses no state."""
    aliases = {name: qualname for name, qualname in imported.items() if maybe_project(qualname)}
    if not aliases:
        return ()
    called, written, used = set(), set(), []
    for node in walk(tree):
        if isinstance(node, ast.Call):
            called.add(node.func)
            if isinstance(node.func, ast.Attribute) and node.func.attr in MUTATING_METHODS:
                written.add(node.func.value)
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
            written.add(node.value)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            used.append(node)
    uses: dict[tuple[str, str], bool] = {}
    for node in used:
        if node not in called:
            key = (aliases[node.value.id], node.attr)
            writes = not isinstance(node.ctx, ast.Load) or node in written
            uses[key] = uses.get(key, False) or writes
    return tuple(sorted((module, name, writes) for (module, name), writes in uses.items()))
