"""A blocking function handed by reference to a library function that calls it (``map(
Path.read_text, paths)``, ``sorted(files, key=os.path.getmtime)``): the references, and the
call a fix runs whole in a worker thread, so that every call of the reference is made there.

A function that calls what it is handed at once (``sorted``'s key) runs whole in the
thread. A lazy one (``map``) calls it as its result is iterated: only a builtin iterating
that result as its first argument (``list(map(...))``, ``any(map(...))``, ``next`` with a
default) runs the calls, and then that builtin runs whole in the thread, stopping where it
stops; a ``for`` over it whose body only collects the values gets it listed in the thread
first (``looped_results``); a result kept, returned or looped over otherwise calls it
later, on the loop, and gets no fix.
Handed to a thread bridge (``asyncio.to_thread(list, map(...))``), it is iterated in the
thread: no finding. A method named by a string (``map(methodcaller("read_text"), paths)``)
is the method of the elements the call iterates, as their declared type says. A lambda
handed so runs the calls of its body where it is called (``iter(lambda: f.read(n), b"")``),
a ``functools.partial`` the function it binds (``iter(partial(f.read, n), b"")``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.looped_results import listed_first_hazard
from deblock.analysis.nodes import argument_places, own_nodes
from deblock.analysis.walker import all_args
from deblock.rules.resources import HANDED_CALLERS, Handed

_REFERENCES = (ast.Name, ast.Attribute)
_LOOPED = (
    "the `for` over the lazy result of `{caller}` runs its body between the calls, and "
    "{hazard} (a body that may stop the loop, raise, await or change what a later call "
    "reads would tell that a list made first in a thread ran them all); run the loop in a "
    "worker thread by hand"
)
_ITERATED_LATER = (
    "the lazy result of `{caller}` calls it where that result is iterated, not where it is "
    "made: run the code that iterates it in a worker thread by hand"
)


def handed_references(
    call: ast.Call, callee: str, partial: Callable[[ast.Call], bool]
) -> list[ast.expr]:
    """The names and attributes ``call`` (of ``callee``, a ``HANDED_CALLERS``' function)
    hands at the places it calls, and those called there through what it hands: the
    functions a lambda's body calls on names not its own parameters (``lambda: f.read(n)``:
    ``f.read``; not ``lambda p: p.read()``, whose ``p`` only the call gives), and the
    function a ``functools.partial`` binds (``partial``: ``partial(f.read, n)``)."""
    references = []
    for value in _handed(call, callee):
        if value.__class__ is ast.Lambda:
            references += _lambda_calls(value)
        elif value.__class__ is ast.Call and value.args and partial(value):
            references.append(value.args[0])
        else:
            references.append(value)
    return [r for r in references if r.__class__ in _REFERENCES]


def _lambda_calls(made: ast.Lambda) -> list[ast.expr]:
    """The functions ``made``'s body calls, but those on its own parameters."""
    own = {a.arg for a in all_args(made.args)}
    calls = [n.func for n in own_nodes(made.body) if n.__class__ is ast.Call]
    return [
        f for f in calls if own.isdisjoint(n.id for n in ast.walk(f) if n.__class__ is ast.Name)
    ]


def named_methods(
    call: ast.Call, callee: str, method_caller: Callable[[ast.Call], bool]
) -> list[tuple[ast.Call, str, ast.expr]]:
    """Each call of a ``METHOD_CALLERS``' function naming a method by a string
    (``method_caller``: ``methodcaller("read_text")``) that ``call`` of ``callee`` hands at the
    places it calls: that call, the method's name, and what ``call`` calls it with each
    element of (``map``'s iterable), whose elements' method it calls."""
    places = dict(argument_places(call))
    over = places.get(HANDED_CALLERS[callee].over) if callee in HANDED_CALLERS else None
    return [
        (v, v.args[0].value, over)
        for v in _handed(call, callee)
        if over is not None
        and v.__class__ is ast.Call
        and v.args
        and v.args[0].__class__ is ast.Constant
        and isinstance(v.args[0].value, str)
        and method_caller(v)
    ]


def handed_values(call: ast.Call, handed: Handed) -> list[ast.expr]:
    """What ``call`` of a function that calls what it is ``handed`` hands at the places it
    calls: nothing where it lacks the argument the function calls them only with
    (``iter(read, b"")``'s sentinel)."""
    places = dict(argument_places(call))
    if handed.given is not None and handed.given not in places:
        return []
    return [v for p, v in places.items() if p in handed.places]


def _handed(call: ast.Call, callee: str) -> list[ast.expr]:
    """What ``call`` (of ``callee``, a ``HANDED_CALLERS``' function) hands at the places it
    calls."""
    handed = HANDED_CALLERS.get(callee)
    return [] if handed is None else handed_values(call, handed)


def run_whole(
    call: ast.Call,
    callee: str,
    taker: ast.AST | None,
    consumes: Callable[[ast.Call], bool],
    shown: str,
    function: ast.AST,
) -> tuple[ast.Call, str | None, bool]:
    """The call a fix runs whole in a worker thread for ``call`` of ``callee`` (written
    ``shown``, in ``function``): itself if it calls what it is handed at once; else
    ``taker``, the call above it, if that iterates its lazy result as its first argument
    (``consumes``); else itself, with why it gets no fix; and whether it is a lazy result a
    ``for`` loop iterates that a fix lists first in the thread (``looped_results``)."""
    if not HANDED_CALLERS[callee].lazy:
        return call, None, False
    if taker.__class__ is ast.Call and taker.args and taker.args[0] is call and consumes(taker):
        return taker, None, False
    if taker.__class__ is ast.For and taker.iter is call:
        hazard = listed_first_hazard(taker, function)
        return call, hazard and _LOOPED.format(caller=shown, hazard=hazard), hazard is None
    return call, _ITERATED_LATER.format(caller=shown), False
