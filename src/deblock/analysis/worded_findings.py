"""A finding for a catalogue entry, worded by its rule, with the fixes it is offered."""

from __future__ import annotations

from deblock.findings import Finding
from deblock.rules import BY_CODE, CONFIGURED_CODE
from deblock.rules.model import Blocking

# The fix of a twin finding whose swap would change the program.
_THREAD_BRIDGE = "to-thread"
CALL_ASYNC = "call-async"
LAMBDA_IN_THREAD = "the breaker's `call_async` would run its lambda in a worker thread: "
_PARTIAL_FIX = (
    "it calls a `functools.partial`: its own fix would lose the arguments the partial binds, "
    "a thread takes them whole"
)


def make_finding(
    entry: Blocking,
    target: str,
    shown: str,
    path: str,
    span,
    unfixable,
    *,
    handed_coroutine: bool = False,
    handed_code: str | None = None,
    handed_races: str | None = None,
    hazard: str | None = None,
    loop_bound: bool = False,
    through_partial: bool = False,
    handed_to: str | None = None,
    **extra,
) -> Finding:
    """A finding for a catalogue entry, worded by its rule. A twin whose swap has a
    ``hazard`` is not offered: the thread bridge is, as an unsafe fix saying what to
    review, unless the sync method is ``loop_bound`` (it starts tasks: a worker thread has
    no running loop). A
    call ``through_partial`` holds only some of its arguments: only the thread bridge, which
    takes the partial whole, is offered (unsafe, declined, where the rule's fix is another).
    A breaker's ``call`` ``handed_code``, a sync function of the project, gets ``call_async``
    only as an unsafe fix: that function would run in a worker thread (as DBK801's); so
    does one handed a lambda whose body ``handed_races`` code on the event loop there.
    A function ``handed_to`` a library function by reference is named with that function
    (the finding's place is the call a fix runs whole, which holds the reference), before a
    configured entry's own message too."""
    rule = BY_CODE[entry.code]
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if handed_to is not None:
        shown = f"{shown}` handed to `{handed_to}"
    if entry.code == CONFIGURED_CODE and entry.message:  # the project's own words
        message = entry.message if handed_to is None else f"`{shown}`: {entry.message}"
    else:
        twin = (entry.async_twin or "an async equivalent").rpartition(".")[2]
        message = (entry.message or rule.message).format(target=shown, twin=twin, **extra)
    strategy, unsafe_strategy = rule.strategy, rule.unsafe_strategy
    declined = None
    if hazard is not None:
        message += f"; not swapped: {hazard}"
        strategy, unsafe_strategy = None, None if loop_bound else _THREAD_BRIDGE
        declined = unsafe_strategy and (
            f"`{shown}` would run in a worker thread, beside the event loop: review that "
            "it touches no state that is not thread-safe"
        )
    if through_partial and _THREAD_BRIDGE != strategy and (strategy or unsafe_strategy):
        declined = _PARTIAL_FIX if strategy else declined
        strategy, unsafe_strategy = None, _THREAD_BRIDGE
    elif through_partial:
        unsafe_strategy = None
    if handed_code is not None and strategy == CALL_ASYNC:
        declined = (
            f"the breaker's `call_async` would run `{handed_code}`, the project's own code, "
            "in a worker thread, beside the event loop, where it ran serialised with the "
            "other tasks: review that it touches no state that is not thread-safe"
        )
        strategy, unsafe_strategy = None, CALL_ASYNC
    elif handed_races is not None and strategy == CALL_ASYNC:
        declined = f"{LAMBDA_IN_THREAD}{handed_races}"
        strategy, unsafe_strategy = None, CALL_ASYNC
    line, col, end_line, end_col = span
    return Finding(
        path=path,
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
        code=entry.code,
        message=message,
        target=target,
        strategy=strategy,
        unsafe_strategy=unsafe_strategy,
        unfixable=unfixable,
        async_equivalent=entry.async_equivalent or rule.async_equivalent,
        twin=entry.async_twin,
        lazy_result=entry.lazy_result,
        handed_coroutine=handed_coroutine,
        chain=tuple(extra.get("steps", ())),
        resource=extra.get("resource"),
        writes=extra.get("writes", False),
        declined=declined,
        silenced_within=extra.get("silenced_within", False),
    )
