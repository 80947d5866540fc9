"""Expression context: whether a call is awaited already, and how to await it."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

Parent = Callable[[cst.CSTNode], "cst.CSTNode | None"]


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
