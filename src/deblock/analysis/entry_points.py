"""Whether a module runs as a program: evidence in its own top-level statements."""

from __future__ import annotations

import ast

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


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def entry_coroutines(tree: ast.Module) -> set[str]:
    """The module's functions whose coroutine a top-level statement, or its ``if __name__
    == "__main__":`` block, hands to a loop runner: ``main`` for ``asyncio.run(main())``
    or ``trio.run(main, x)``. Each runs as the program's first task."""
    statements = [
        inner
        for statement in tree.body
        for inner in (
            statement.body
            if isinstance(statement, ast.If) and _is_main_guard(statement.test)
            else [statement]
        )
    ]
    names = set()
    ran = (s for s in statements if not isinstance(s, _DEFINITIONS))  # what runs on import
    for node in (n for s in ran for n in ast.walk(s)):
        if _runs_loop(node) and node.args:
            handed = node.args[0]
            handed = handed.func if isinstance(handed, ast.Call) else handed
            if isinstance(handed, ast.Name):
                names.add(handed.id)
    return names
