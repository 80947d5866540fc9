"""Naming conventions that pair a synchronous method with its coroutine twin, and when
swapping one for the other keeps what the program does."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from deblock.analysis.preconditions import demands_no_more, guarded_beyond, refused_keyword
from deblock.analysis.started_tasks import STARTS_TASKS
from deblock.rules.model import Blocking

_PATTERNS = ("{}_async", "async_{}", "a{}", "{}async")
# Sync methods whose conventional async counterpart is a protocol, not a blocking twin:
# a sync ``close()`` beside ``aclose()`` closes without waiting (trio/anyio streams).
_NOT_TWINS = frozenset({"close"})
# The breaker's ``call``/``call_async`` has its own rule; every other pair is DBK602.
_CODES = {"call": "DBK601"}
# Methods whose first argument is the function they run (a breaker's ``call``).
HANDS_A_FUNCTION = frozenset(_CODES)


def twin_of(
    name: str, is_coroutine: Callable[[str], bool], configured: dict[str, str]
) -> str | None:
    """The coroutine method paired with sync method ``name``, if its class has one."""
    if name in _NOT_TWINS and name not in configured:
        return None
    candidates = [configured[name]] if name in configured else []
    candidates += [pattern.format(name) for pattern in _PATTERNS]
    return next((c for c in candidates if is_coroutine(c)), None)


def twin_entry(
    qualname: str,
    method_is_coroutine: Callable[[str], bool | None],
    configured: dict[str, str],
    signature: Callable[[str], str | None] = lambda name: None,
) -> Blocking | None:
    """A catalogue entry for sync method ``qualname`` (``pkg.Class.method``) when its class
    has a coroutine twin; ``method_is_coroutine(name)`` says whether the class's method
    ``name`` is a coroutine (None: no such method), ``signature(name)`` its parameters and
    guards (None: unknown). A coroutine that refuses instances the method takes is no twin
    (``guarded_beyond``)."""
    name = qualname.rpartition(".")[2]
    if method_is_coroutine(name) is not False:
        return None
    twin = twin_of(name, lambda other: method_is_coroutine(other) is True, configured)
    if twin is None or guarded_beyond(signature(name), signature(twin)):
        return None
    if schedules_only(signature(name), signature(twin)):
        return None
    return Blocking(qualname, _CODES.get(name, "DBK602"), async_twin=twin)


def no_twins(own: str | None, twin: str | None) -> bool:
    """Whether a project's sync method of signature ``own`` and the coroutine of signature
    ``twin`` its name pairs it with are no twins: the coroutine takes other parameters,
    guards the instance further or returns another thing (ably's ``once(*args)`` registers
    a listener, ``once_async(state=None)`` waits for an event), or the method only
    schedules what the coroutine awaits. A call of it then blocks only on what its own
    body does (DBK801). A library's pair stays one: its bodies are not read, and the
    coroutine is the evidence that the method waits (the swap is withheld)."""
    differ = own is not None and twin is not None and not demands_no_more(own, twin)
    return differ or schedules_only(own, twin)


def overridden_below(owners: tuple[str | None, str | None, str | None]) -> bool:
    """Whether the sync method is overridden below the class whose coroutine pairs with it
    (``owners``: the classes defining the method and the coroutine for the receiver, and the
    one defining the method for the coroutine's class): the coroutine knows only the base's
    method (redis' ``CredentialProvider.get_credentials_async``, subclassed to override
    ``get_credentials``)."""
    own_owner, twin_owner, base_own = owners
    return own_owner is not None and own_owner != twin_owner and base_own == twin_owner


def unpaired_override(owners: tuple[str | None, str | None, str | None], extends: bool) -> bool:
    """Whether a project's sync method is an override that is no twin of its base's coroutine
    (``overridden_below``): a call of it blocks only on what its body does (DBK801), as a
    project's pair that differs (``no_twins``). One that ``extends`` the base's method
    (``super().read(name)``) keeps the pair: the coroutine is the evidence that it waits."""
    return overridden_below(owners) and not extends


def swap_hazard(
    name: str,
    twin: str,
    signatures: tuple[str | None, str | None],
    inside_twin: bool,
    owners: tuple[str | None, str | None, str | None] = (None, None, None),
    in_thread: str | None = None,
    awaited_at: str | None = None,
    keywords: tuple[str, ...] = (),
) -> str | None:
    """Why calling ``twin`` instead of ``name`` would change the program (None: it would
    not). ``signatures`` are both methods' parameters and guards (None: unknown, e.g. a
    library's twin from the catalogue); ``inside_twin`` says the call runs in the twin itself or in
    something the twin calls; ``owners`` are the classes defining ``name`` and ``twin``
    for the receiver, and the one defining ``name`` for the twin's class: a twin from a
    base class that ``name`` is overridden below knows only the base's ``name`` (it runs
    the override in a thread, or not at all); ``in_thread`` is the instance's sync code the
    twin runs in a worker thread (``threaded_code``); ``awaited_at`` is where the project's
    own coroutines await the twin of its own class (``path:line``): beside that, a call of
    ``name`` in a coroutine is a choice its authors made, and the two may do different
    things (redis awaits ``dispatch_async`` for events whose listeners are coroutines, and
    calls ``dispatch`` for those whose listeners are not); ``keywords``, those the call
    passes: the twin must take each (prefect's ``update_for_flow(flow, _sync=True)``: its
    decorator takes ``_sync``, ``aupdate_for_flow(flow)`` does not)."""
    if inside_twin:
        return f"it runs inside `{twin}` or what it calls, which would then await itself"
    own_owner, twin_owner, _ = owners
    if overridden_below(owners):
        return (
            f"`{twin}` comes from `{twin_owner}`, which does not know the `{name}` "
            f"that `{own_owner}` overrides"
        )
    if in_thread is not None:
        return (
            f"`{twin}` runs `{in_thread}` in a worker thread: that code would leave the event "
            "loop, where it ran serialised with the other tasks, and the thread its objects "
            "were made in"
        )
    own, other = signatures
    if own is not None and other is not None and not demands_no_more(own, other):
        return f"`{twin}({other})` differs from `{name}({own})`"
    refused = other is not None and refused_keyword(other, keywords)
    if refused:
        return f"`{twin}({other})` differs from `{name}(..., {refused}=...)` as called"
    if awaited_at is not None:
        return (
            f"the project's coroutines await `{twin}` elsewhere ({awaited_at}) and call "
            f"`{name}` here: a choice between two methods that may do different things"
        )
    return None


def schedules_only(own: str | None, twin: str | None) -> bool:
    """Whether a sync method of signature ``own`` starts tasks where its coroutine of
    signature ``twin`` does not: it hands the work to the running loop and returns
    (slixmpp's ``event`` starts its coroutine handlers, ``event_async`` awaits them), so it
    is made to be called on the loop, no blocking twin: a call of it blocks only on what
    its own body does (DBK801)."""
    return starts_tasks_on_the_loop(own) and not starts_tasks_on_the_loop(twin)


def starts_tasks_on_the_loop(signature: str | None) -> bool:
    """Whether the method of ``signature`` starts tasks: in a worker thread it would find
    no running loop, so a call of it is no more bridged than swapped."""
    return signature is not None and STARTS_TASKS in signature


def threaded_code(
    facts: Iterable[tuple[str, str]], owner: Callable[[str], str | None], twin_owner: str
) -> str | None:
    """The instance's sync code the twin defined in ``twin_owner`` runs in a worker thread
    (``facts``: that class's methods the twin reaches that hand such code to a bridge),
    for a receiver whose class defines method ``m`` in ``owner(m)``: a method overridden
    below ``twin_owner`` may no longer do so."""
    return next((code for method, code in facts if owner(method) == twin_owner), None)


def reaches(start: str, goal: str, callees: Callable[[str], Iterable[str]]) -> bool:
    """Whether function ``start`` is ``goal`` or calls it, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(callees(current))
    return False


def awaited_twin(
    awaited: dict[str, str], twin: str, owner: Callable[[str, str], str | None], twin_owner: str
) -> str | None:
    """Where (``awaited``: method as called -> where) the coroutines await ``twin`` of the
    class ``twin_owner`` defines it for (``owner(cls, method)``), if they do."""
    return next(
        (
            at
            for method, at in awaited.items()
            if method.rpartition(".")[2] == twin
            and owner(method.rpartition(".")[0], twin) == twin_owner
        ),
        None,
    )
