"""Expression context: where ``await`` may be added, and how to add it."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

Parent = Callable[[cst.CSTNode], "cst.CSTNode | None"]


def _in_body(parent: cst.CSTNode, child: cst.CSTNode) -> bool:
    """Whether ``child`` (a direct child of a function-like ``parent``) runs in its scope.

    Decorators, parameter defaults and annotations run in the enclosing scope (the first
    iterable of a generator expression too: ``await_blocker`` steps over it).
    """
    if isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        return child is parent.body
    return isinstance(parent, cst.GeneratorExp)


def await_blocker(node: cst.CSTNode, parent: Parent) -> str | None:
    """Why ``await`` cannot be added at ``node`` (``None`` when it can).

    Only for a call the analyzer did not report on its own (a file handle's method
    inside the block that opened it): a finding runs in its coroutine's own scope unless
    it says it is ``unfixable``.
    """
    child, up = node, parent(node)
    while up is not None:
        if (
            isinstance(up, cst.CompFor)
            and child is up.iter
            and isinstance(parent(up), cst.GeneratorExp)
        ):
            child, up = parent(up), parent(parent(up))  # the outermost iterable: enclosing scope
            continue
        if _in_body(up, child):
            if isinstance(up, cst.FunctionDef):
                return None if up.asynchronous else "inside a nested synchronous function"
            if isinstance(up, cst.Lambda):
                return "inside a lambda"
            if isinstance(up, cst.ClassDef):
                return "inside a class body"
            return "inside a generator expression"
        child, up = up, parent(up)
    return "outside any coroutine"


def is_awaited(node: cst.CSTNode, parent: Parent) -> bool:
    """Whether ``node`` is already the operand of an ``await``."""
    up = parent(node)
    return isinstance(up, cst.Await) and up.expression is node


def _needs_parens(node: cst.CSTNode, parent: Parent) -> bool:
    up = parent(node)
    return (isinstance(up, (cst.Attribute, cst.Subscript)) and up.value is node) or (
        isinstance(up, cst.Call) and up.func is node
    )


def awaiting(original: cst.BaseExpression, new: cst.BaseExpression, parent: Parent):
    """``new`` in place of ``original``, awaited and parenthesised as the context needs.

    When ``original`` is already awaited only ``new`` is returned: never ``await await``.
    """
    if is_awaited(original, parent):
        return new
    lpar, rpar = list(original.lpar), list(original.rpar)
    if not lpar and _needs_parens(original, parent):
        lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
    return cst.Await(expression=new.with_changes(lpar=[], rpar=[]), lpar=lpar, rpar=rpar)
