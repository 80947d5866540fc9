"""Functions a decorator makes the other kind (asgiref's ``sync_to_async`` and
``async_to_sync``, or the project's own that runs them in a thread, modal's ``asyncify``),
or whose calls start them in a thread (textual's ``@work(thread=True)``): a call of them
gives what the decorator says, not what the ``def`` does. Their bodies stay what the
``def`` says."""

from __future__ import annotations

import ast
from functools import partial

from deblock.analysis.bridge_helpers import thread_decorator
from deblock.analysis.modules import maybe_project
from deblock.analysis.resolver import Resolver
from deblock.analysis.summary import FunctionSummary
from deblock.analysis.walker import FunctionRecord, ModuleFacts
from deblock.rules.bridges import (
    BRIDGED_ARGUMENT,
    CONVERTING_DECORATORS,
    THREAD_STARTING_DECORATORS,
)

# Any import of them, aliased or not, names one of these in the module's text.
_NAMES = frozenset(
    name.rpartition(".")[2] for name in (*CONVERTING_DECORATORS, *THREAD_STARTING_DECORATORS)
)


def converted_functions(source: str, facts: ModuleFacts, resolver: Resolver) -> dict[str, bool]:
    """The functions whose outermost converting decorator makes them the other kind, each
    with whether a call gives an awaitable; their classes' methods are marked so too. A
    sync function a decorator starts in a thread is marked True too (a call runs none of
    its body), its class's method left sync: the handle it gives is no awaitable."""
    own = thread_decorators(source, facts, resolver)
    if not own and not any(name in source for name in _NAMES):
        return {}
    classes = {id(info.scope): info for info in facts.classes.values()}
    converted = {}
    for record in facts.functions:
        for decorator in record.node.decorator_list if record.node else ():
            named = decorator.func if isinstance(decorator, ast.Call) else decorator
            qualname = resolver.name_of(named, record.scope)
            if _starts_a_thread(decorator, THREAD_STARTING_DECORATORS.get(qualname)):
                if not record.is_async:
                    converted[record.qualname] = True
                break
            awaitable = True if qualname in own else CONVERTING_DECORATORS.get(qualname)
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


def thread_decorators(source: str, facts: ModuleFacts, resolver: Resolver) -> set[str]:
    """The module's functions that are decorators running what they wrap in a worker
    thread (``bridge_helpers.thread_decorator``)."""
    if not any(name in source for name in BRIDGED_ARGUMENT):
        return set()
    return {
        record.qualname
        for record in facts.functions
        if isinstance(record.node, ast.FunctionDef)
        and thread_decorator(record.node, partial(resolver.name_of, scope=record.own_scope))
    }


def mark_decorators(
    source: str, facts: ModuleFacts, functions: dict[str, FunctionSummary], resolver: Resolver
) -> None:
    """Mark the module's thread decorators (``thread_decorator``), and give each sync
    function whose outermost decorator is another module's function that name
    (``decorator``): the project pass knows whether it runs it in a thread."""
    for qualname in thread_decorators(source, facts, resolver):
        functions[qualname].thread_decorator = True
    own = f"{facts.scope.qualname}."
    for record in facts.functions:
        summary = functions[record.qualname]
        if record.is_async or summary.is_async or not (record.node and record.node.decorator_list):
            continue
        decorator = _foreign(record, resolver, own)
        if decorator is not None:
            summary.decorator = decorator


def _foreign(record: FunctionRecord, resolver: Resolver, own: str) -> str | None:
    """The qualified name of ``record``'s outermost decorator, when it may be a function of
    another of the project's modules (a name, not a call; not of this module, whose names
    start with ``own``)."""
    outermost = record.node.decorator_list[0]
    if not isinstance(outermost, ast.Name | ast.Attribute):
        return None
    qualname = resolver.name_of(outermost, record.scope)
    if qualname is None or qualname.startswith(own) or not maybe_project(qualname):
        return None
    return qualname if qualname not in CONVERTING_DECORATORS else None
