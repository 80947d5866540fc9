"""The flake8-async code of a call that its first argument picks (``Blocking.
first_argument_codes``): ``os.spawnl(os.P_WAIT, ...)`` waits for the process it starts, as
``subprocess.run`` does (ASYNC221), ``os.spawnl(os.P_NOWAIT, ...)`` only starts it (ASYNC220,
its rule's). A mode nothing names (a parameter, a number) keeps the rule's code, as the
peers do."""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.symbols import Ref, Symbol
from deblock.rules.model import Blocking


def with_argument_code(
    entry: Blocking, node: ast.AST, resolve: Callable[[ast.expr], Symbol | None]
) -> Blocking:
    """``entry`` with the code the first argument of call ``node`` picks, if it picks one
    (``resolve``: what an expression names)."""
    if not entry.first_argument_codes or node.__class__ is not ast.Call or not node.args:
        return entry
    first = resolve(node.args[0])
    named = first.qualname if first.__class__ is Ref else None
    code = dict(entry.first_argument_codes).get(named)
    return entry if code is None else entry._replace(async_equivalent=code)
