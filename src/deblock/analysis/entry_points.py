"""Whether a module runs as a program: evidence in its own top-level statements."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from deblock.analysis.nodes import last_name

# The last names of calls that run an event loop, or a server on one, to its end.
_RUNNERS = frozenset({"run", "run_app", "run_until_complete"})


def runs_as_program(tree: ast.Module) -> bool:
    """Whether the module is a program's entry: it has an ``if __name__ == "__main__":``
    block, or a top-level statement runs a loop (``asyncio.run(main())``,
    ``anyio.run(main)``, ``web.run_app(app)``)."""
    for statement in tree.body:
        if isinstance(statement, ast.If) and _is_main_guard(statement.test):
            return True
        if isinstance(statement, ast.Expr) and _runs_loop(statement.value):
            return True
    return False


def _is_main_guard(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, *test.comparators]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    texts = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and texts == ["__main__"]


def _runs_loop(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and last_name(value) in _RUNNERS


def entry_coroutines(tree: ast.Module) -> set[str]:
    """The module's functions whose coroutine a top-level statement (or one in a top-level
    block: the ``if __name__ == "__main__":`` block, a ``try``) hands to a loop runner:
    ``main`` for ``asyncio.run(main())``, ``sys.exit(trio.run(main, x))``. Each runs as
    the program's first task."""
    names = set()
    for call in _runner_calls(tree.body):
        handed = call.args[0]
        handed = handed.func if isinstance(handed, ast.Call) else handed
        if isinstance(handed, ast.Name):
            names.add(handed.id)
    return names


def _runner_calls(statements: list[ast.stmt]) -> Iterator[ast.Call]:
    """The loop runners' calls of ``statements`` (as a statement's value, or an argument
    of it), and of the blocks among them (not of functions or classes)."""
    for statement in statements:
        value = getattr(statement, "value", None)
        if isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign)) and value is not None:
            for call in (value, *value.args) if isinstance(value, ast.Call) else (value,):
                if _runs_loop(call) and call.args:
                    yield call
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):
            handlers = [h.body for h in getattr(statement, "handlers", ())]
            for body in (statement.body, getattr(statement, "orelse", []), *handlers):
                yield from _runner_calls(body)
