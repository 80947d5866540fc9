"""Functions a decorator makes the other kind (asgiref's ``sync_to_async`` and
``async_to_sync``), or whose calls start them in a thread (textual's ``@work(thread=True)``):
a call of them gives what the decorator says, not what the ``def`` does. Their bodies stay
what the ``def`` says."""

from __future__ import annotations

import ast

from deblock.analysis.resolver import Resolver
from deblock.analysis.symbols import Ref
from deblock.analysis.walker import ModuleFacts
from deblock.rules.bridges import CONVERTING_DECORATORS, THREAD_STARTING_DECORATORS

# Any import of them, aliased or not, names one of these in the module's text.
_NAMES = frozenset(
    name.rpartition(".")[2] for name in (*CONVERTING_DECORATORS, *THREAD_STARTING_DECORATORS)
)


def converted_functions(source: str, facts: ModuleFacts, resolver: Resolver) -> dict[str, bool]:
    """The functions whose outermost converting decorator makes them the other kind, each
    with whether a call gives an awaitable; their classes' methods are marked so too. A
    sync function a decorator starts in a thread is marked True too (a call runs none of
    its body), its class's method left sync: the handle it gives is no awaitable."""
    if not any(name in source for name in _NAMES):
        return {}
    classes = {id(info.scope): info for info in facts.classes.values()}
    converted = {}
    for record in facts.functions:
        for decorator in record.node.decorator_list if record.node else ():
            named = decorator.func if isinstance(decorator, ast.Call) else decorator
            symbol = resolver.resolve(named, record.scope)
            qualname = symbol.qualname if isinstance(symbol, Ref) else None
            if _starts_a_thread(decorator, THREAD_STARTING_DECORATORS.get(qualname)):
                if not record.is_async:
                    converted[record.qualname] = True
                break
            awaitable = CONVERTING_DECORATORS.get(qualname)
            if awaitable is None:
                continue
            if awaitable != record.is_async:
                converted[record.qualname] = awaitable
                info = classes.get(id(record.scope))
                if info is not None and record.node.name in info.methods:
                    info.methods[record.node.name] = awaitable
            break
    return converted


def _starts_a_thread(decorator: ast.expr, keyword: str | None) -> bool:
    """Whether ``decorator`` is a call that sets ``keyword`` to a true constant."""
    return (
        keyword is not None
        and isinstance(decorator, ast.Call)
        and any(
            k.arg == keyword and isinstance(k.value, ast.Constant) and bool(k.value.value)
            for k in decorator.keywords
        )
    )
