"""Methods awaited on an object of unknown class (``await counter.peek()``, ``counter`` an
untyped parameter): duck-typed calls.

The module pass cannot tell what such a call runs. Its call site names the method alone,
``?.peek``; the project pass takes it for any coroutine method of that name of the
project's classes (``ProjectIndex.coroutines``): one that never suspends keeps the caller's
statements around the await together, and a fix that makes it suspend would split them.
A method whose parameters cannot take the call's arguments (``takes``) is not what runs
there (the call would raise ``TypeError`` before any of its body ran), unless a decorator
may change what it takes (``ClassSummary.loose``). A call no method of the project answers
runs what is not the project's, which may suspend.
"""

from __future__ import annotations

import ast
from functools import lru_cache

DUCK = "?."
# What ``ClassSummary.signatures`` appends to a method's parameters (``STARTS_TASKS``,
# guards, ``RETURNS``): each starts so, where no parameter list can (but in a default)
_APPENDED = "; "


def duck_callee(func: ast.expr) -> str | None:
    """The call site's callee of a method called on an object (``counter.peek``,
    ``self.ledgers[key].peek``): ``?.peek``."""
    return f"{DUCK}{func.attr}" if isinstance(func, ast.Attribute) else None


def duck_method(callee: str) -> str | None:
    """The method name of a duck-typed call site's ``callee``; None for any other."""
    return callee[len(DUCK) :] if callee.startswith(DUCK) else None


def takes(signature: str | None, positional: int, keywords: tuple[str, ...]) -> bool:
    """Whether a method of ``signature`` (``ClassSummary.signatures``: its parameters
    without the instance's; None: not known) may be what a call on an object runs that
    passes ``positional`` arguments by place (-1: not known, a ``*args`` or ``**mapping``)
    and ``keywords`` by name: called on an instance, or, on a class, with the instance as
    its first argument (``kind.peek(obj)``). Too many by place with no ``*args``, a keyword
    it has no parameter for with no ``**kwargs`` (or one it binds by place too), or a
    parameter with no default left unbound: not it."""
    parameters = _parameters(signature) if signature is not None and positional >= 0 else None
    if parameters is None:
        return True
    return _binds(parameters, positional, keywords) or (
        positional > 0 and _binds(parameters, positional - 1, keywords)
    )


@lru_cache(maxsize=4096)
def _parameters(signature: str) -> ast.arguments | None:
    """The parameters of ``signature`` (what it appends cut off), None when they do not
    parse. A default may hold ``"; "``: the first cut that parses is the list (a cut inside
    a string or brackets does not)."""
    cut = signature.find(_APPENDED)
    while True:
        head = signature if cut < 0 else signature[:cut]
        try:
            return ast.parse(f"def f({head}): pass").body[0].args
        except SyntaxError:
            if cut < 0:
                return None
        cut = signature.find(_APPENDED, cut + 1)


def _binds(parameters: ast.arguments, positional: int, keywords: tuple[str, ...]) -> bool:
    """Whether ``parameters`` bind ``positional`` arguments by place and ``keywords`` by
    name without ``TypeError``."""
    places = [*parameters.posonlyargs, *parameters.args]
    if positional > len(places) and parameters.vararg is None:
        return False
    only = {arg.arg for arg in parameters.posonlyargs}
    by_place = {arg.arg for arg in places[:positional]}
    by_name = {arg.arg for arg in places[positional:] if arg.arg not in only}
    by_name |= {arg.arg for arg in parameters.kwonlyargs}
    for keyword in keywords:
        if keyword in by_place - only or (keyword not in by_name and parameters.kwarg is None):
            return False
    defaults = len(places) - len(parameters.defaults)  # the first place with a default
    unbound = [arg.arg for i, arg in enumerate(places) if i >= positional and i < defaults] + [
        arg.arg
        for arg, default in zip(parameters.kwonlyargs, parameters.kw_defaults, strict=True)
        if default is None
    ]
    return all(name in keywords and name in by_name for name in unbound)
