"""When a lazy result (a walk, a glob, a directory scan, a stream) may become a list made
inside the worker thread: only where the coroutine consumes it whole, as it was."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from .base import FindingCodemod

# Builtins, and methods (``b"".join``, ``items.extend``), that consume an iterable at once.
_CONSUMERS = frozenset(
    {"list", "tuple", "set", "frozenset", "sorted", "dict", "sum", "min", "max", "any", "all"}
)
_CONSUMING_METHODS = frozenset({"join", "extend", "update"})
# Walks whose caller may prune or reorder the directories still to visit.
_WALKS = frozenset({"os.walk", "os.fwalk", "pathlib.Path.walk"})
_STEERED = (
    "the loop changes the directory lists the walk yields (to prune it): "
    "a walk materialised in a thread would not see that"
)
_ELSEWHERE = (
    "its lazy result is used as an iterator (`next`, another function, returned): "
    "a list made in the thread would change what that code gets"
)


def materialise_hazard(
    codemod: FindingCodemod, target: str, result: cst.BaseExpression
) -> str | None:
    """Why the lazy result of ``result`` (a call of ``target``, or its awaited bridge) must
    not become a list made in the thread (None: it may: a loop, a comprehension or a
    consuming builtin takes it whole, directly or through one local name)."""
    parent = codemod.parent(result)
    if isinstance(parent, cst.Await):
        result, parent = parent, codemod.parent(parent)
    if (
        isinstance(parent, cst.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0].target, cst.Name)
    ):
        return _uses_hazard(codemod, target, parent)
    return _use_hazard(codemod, target, result, parent)


def _uses_hazard(codemod: FindingCodemod, target: str, assign: cst.Assign) -> str | None:
    bound = assign.targets[0].target
    scope = codemod.enclosing_function(assign) or codemod.context.module
    codemod.index(scope)
    for use in m.findall(scope, m.Name(bound.value)):
        parent = codemod.parent(use)
        if use is bound or _names_something_else(use, parent):
            continue
        reason = _use_hazard(codemod, target, use, parent)
        if reason:
            return reason
    return None


def _names_something_else(name: cst.Name, parent) -> bool:
    """``x.walk``'s ``walk``, ``f(walk=...)``'s ``walk``: not the local name."""
    return (isinstance(parent, cst.Attribute) and parent.attr is name) or (
        isinstance(parent, cst.Arg) and parent.keyword is name
    )


def _use_hazard(codemod, target: str, used: cst.CSTNode, parent) -> str | None:
    if isinstance(parent, cst.For) and parent.iter is used:
        return _STEERED if target in _WALKS and _changes_directories(parent) else None
    if isinstance(parent, cst.CompFor) and parent.iter is used:
        return None
    if isinstance(parent, cst.Arg) and not parent.keyword and not parent.star:
        call = codemod.parent(parent)
        func = call.func if isinstance(call, cst.Call) else None
        if isinstance(func, cst.Name) and func.value in _CONSUMERS:
            return None
        if isinstance(func, cst.Attribute) and func.attr.value in _CONSUMING_METHODS:
            return None
    return _ELSEWHERE


def _changes_directories(loop: cst.For) -> bool:
    target = loop.target
    if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) < 2:
        return False
    directories = target.elements[1].value
    if not isinstance(directories, cst.Name):
        return False
    name = m.Name(directories.value)
    changed = (
        m.AssignTarget(target=m.Subscript(value=name))
        | m.Del(target=m.Subscript(value=name))
        | m.AugAssign(target=name)
        | m.Call(func=m.Attribute(value=name))
    )
    return bool(m.findall(loop.body, changed))
