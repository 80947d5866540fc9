"""What a method demands of its instance before it does anything: the guards it starts with
that raise on the instance's state. jinja2's ``Template.render_async`` starts with
``if not self.environment.is_async: raise RuntimeError(...)``, ``render`` with no guard: on
a template of a sync environment, the twin raises where the sync method worked. A twin is a
twin only if it demands no more than its sync method, so the guards count as its signature
(Django's ``QuerySet.aget`` demands less than ``get``: it runs ``get``, guards and all)."""

from __future__ import annotations

import ast

_GUARD = "; raises "


def instance_guards(node: ast.FunctionDef | ast.AsyncFunctionDef, self_name: str | None) -> str:
    """The leading guards of method ``node`` on ``self_name`` as written, to append to its
    parameters (``"; raises unless self.environment.is_async"``), or ``""``."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    guards = []
    for statement in body if self_name else ():
        if not _raises_on(statement, self_name):
            break
        test = statement.test
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            guards.append(f"{_GUARD}unless {ast.unparse(test.operand)}")
        else:
            guards.append(f"{_GUARD}if {ast.unparse(test)}")
    return "".join(guards)


def demands_no_more(own: str, twin: str) -> bool:
    """Whether a twin of signature ``twin`` takes the parameters of a method of signature
    ``own`` and has no guard on the instance that it has not."""
    own_parameters, *own_guards = own.split(_GUARD)
    parameters, *guards = twin.split(_GUARD)
    return parameters == own_parameters and set(guards) <= set(own_guards)


def guarded_beyond(own: str | None, twin: str | None) -> bool:
    """Whether a twin of signature ``twin`` refuses instances a method of signature
    ``own`` takes: it raises on a state of the instance the method does not (jinja2's
    ``render_async`` unless the environment is async: on the others, ``render`` is all
    there is). Unknown signatures guard nothing."""
    if own is None or twin is None:
        return False
    return not set(twin.split(_GUARD)[1:]) <= set(own.split(_GUARD)[1:])


def refused_keyword(signature: str, keywords: tuple[str, ...]) -> str | None:
    """The first of ``keywords`` a method of ``signature`` takes no parameter for (a
    decorator's own, as prefect's ``_sync=True``), if any; a ``**kwargs`` takes every one."""
    parts = signature.split(_GUARD)[0].split(", ")
    if any(part.startswith("**") for part in parts):
        return None
    named = parts[parts.index("/") + 1 :] if "/" in parts else parts
    taken = {part.lstrip("*").partition("=")[0] for part in named}
    return next((keyword for keyword in keywords if keyword not in taken), None)


def _raises_on(statement: ast.stmt, self_name: str) -> bool:
    """Whether ``statement`` is ``if TEST: raise ...`` with a TEST that reads the instance."""
    return (
        isinstance(statement, ast.If)
        and not statement.orelse
        and len(statement.body) == 1
        and isinstance(statement.body[0], ast.Raise)
        and any(isinstance(n, ast.Name) and n.id == self_name for n in ast.walk(statement.test))
    )
