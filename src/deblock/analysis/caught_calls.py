"""The calls of a coroutine after whose raise it runs code of its own: a handler's, a
``finally``'s, a ``with`` block's exit."""

from __future__ import annotations

import ast

from deblock.analysis.walker import FunctionRecord

_TRIES = (ast.Try, ast.TryStar)
_WITHS = (ast.With, ast.AsyncWith)
# what a ``raise`` that runs no code raises: nothing (bare), a name, a constant (``None``)
_PLAIN = (type(None), ast.Name, ast.Constant)


def caught_calls(record: FunctionRecord, calls: dict[ast.AST, int]) -> list[ast.AST]:
    """Those of ``calls`` that lie in the body of a ``try`` of ``record``'s own code that
    runs code after what they raise (``_runs_after``), or of a ``with`` or ``async with``,
    whose exit does (``Tally.__exit__`` writing the total) and may swallow it
    (``contextlib.suppress``): the coroutine's statements there run with what the callee
    ran before its raise (``CallSite.caught``)."""
    bodies = [
        ((node.body[0].lineno, node.body[0].col_offset), _end(node.body[-1]))
        for node in record.own_code
        if node.__class__ in _WITHS or node.__class__ in _TRIES and _runs_after(node)
    ]
    return [
        call
        for call in calls
        if any(start <= (call.lineno, call.col_offset) <= end for start, end in bodies)
    ]


def _runs_after(node: ast.Try) -> bool:
    """Whether ``try`` statement ``node`` runs code after what its body raised: a
    ``finally`` (``try: await lookup() finally: TOTAL[0] = count + 1``), or a handler
    other than a lone ``raise`` that runs none: bare (``except KeyError: raise``) or of a
    name (``raise exc from None``); one that makes its exception (``raise Missing(key)``)
    runs a constructor, maybe the project's."""
    return bool(node.finalbody) or any(not _reraises(h.body) for h in node.handlers)


def _reraises(body: list[ast.stmt]) -> bool:
    first = body[0]
    return (
        len(body) == 1
        and first.__class__ is ast.Raise
        and first.exc.__class__ in _PLAIN
        and first.cause.__class__ in _PLAIN
    )


def _end(node: ast.AST) -> tuple[int, int]:
    return node.end_lineno, node.end_col_offset
