"""Tasks a coroutine starts, then acts on or looks at with no await in between.

``task = asyncio.create_task(step())``, later ``time.sleep(0.1)`` and ``task.cancel()``
between the same two awaits: on the loop the task cannot take a step between the blocking
call and the cancel (asgiref's test of a cancellation landing while a callback is still
queued holds the loop so on purpose). An await a fix adds there would let it run: it would
get further, or finish, before the cancel lands, or before ``task.done()`` is asked.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from deblock.analysis.nodes import last_name

STARTS = frozenset({"create_task", "ensure_future"})  # calls that start a task of a coroutine
# Added to the parameters of a method that starts tasks (its signature, for twins): it hands
# coroutines to the loop and returns, where a twin that awaits them returns when they are
# done (slixmpp's ``event`` and ``event_async``): not twins unless both start tasks.
STARTS_TASKS = "; starts tasks"


def may_start_tasks(source: str) -> bool:
    """Whether a module's text names what starts a task (else none of its functions do)."""
    return any(name in source for name in STARTS)


def starts_tasks(calls: Iterable[ast.AST]) -> bool:
    """Whether one of a coroutine's ``calls`` (the nodes of the walk's candidates) starts
    a task: only then can it have task regions (a cheap screen: finding the tasks walks the
    whole coroutine)."""
    return any(node.__class__ is ast.Call and last_name(node) in STARTS for node in calls)


def task_regions(function: ast.AST, segments: list[list[ast.stmt]]) -> list[tuple[int, int, str]]:
    """For each run of statements with no suspension point (``segments``) that uses a task
    coroutine ``function`` starts (``task.cancel()``), the lines from its start to that
    use, with why an await there would change the program."""
    tasks = {
        target.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Call)
        and last_name(node.value) in STARTS
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    regions = []
    for segment in segments if tasks else ():
        uses = [
            node
            for statement in segment
            for node in ast.walk(statement)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in tasks
        ]
        if uses:
            use = max(uses, key=lambda node: node.lineno)
            shown = f"{use.value.id}.{use.attr}"
            why = (
                f"it runs before `{shown}` with no await between: on the event loop the task "
                f"could not take a step meanwhile, and an await here would let it run first"
            )
            regions.append((segment[0].lineno, use.lineno, why))
    return regions
