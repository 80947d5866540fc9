"""Methods awaited on an object of unknown class (``await counter.peek()``, ``counter`` an
untyped parameter): duck-typed calls.

The module pass cannot tell what such a call runs. Its call site names the method alone,
``?.peek``; the project pass takes it for any coroutine method of that name of the
project's classes (``ProjectIndex.coroutines``): one that never suspends keeps the caller's
statements around the await together, and a fix that makes it suspend would split them.
"""

from __future__ import annotations

import ast

DUCK = "?."


def duck_callee(func: ast.expr) -> str | None:
    """The call site's callee of a method called on an object (``counter.peek``,
    ``self.ledgers[key].peek``): ``?.peek``."""
    return f"{DUCK}{func.attr}" if isinstance(func, ast.Attribute) else None


def duck_method(callee: str) -> str | None:
    """The method name of a duck-typed call site's ``callee``; None for any other."""
    return callee[len(DUCK) :] if callee.startswith(DUCK) else None
