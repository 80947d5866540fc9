"""DBK6xx: a synchronous method called where its coroutine twin exists."""

from deblock.rules.model import Blocking, Rule

RULES = (
    Rule(
        code="DBK601",
        name="sync-breaker-call",
        family="twins",
        coroutine_only=True,
        message="`{target}` runs the protected call synchronously; use `await ...{twin}(...)`",
        what="Finds a circuit breaker's synchronous `.call(...)` in a coroutine when the "
        "breaker's class also offers `call_async` (classes of the project, `pybreaker`, "
        "`aiobreaker`).",
        why="The sync `call` runs the protected function on the event loop's thread, and a "
        "coroutine function passed to it is never awaited inside the breaker, so "
        "failures are not counted.",
        example="async def ask(q):\n    return breaker.call(client.complete, q)",
        instead="async def ask(q):\n    return await breaker.call_async(asyncio.to_thread, "
        "client.complete, q)",
        strategy="call-async",
    ),
    Rule(
        code="DBK602",
        name="sync-twin-call",
        family="twins",
        coroutine_only=True,
        message="`{target}` is synchronous; its class offers the coroutine `{twin}`",
        what="Finds a synchronous method called in a coroutine on an object whose class also "
        "defines a coroutine twin (`get`/`aget`, `x`/`async_x`, `x`/`x_async`, or a mapping "
        "in `[tool.deblock] async-twins`), in the project or learned from an installed "
        "package's source, and a method whose package's async class (`AsyncX`, `pkg.aio.X`, "
        "`pkg.asyncio.X`) offers a coroutine of the same name.",
        why="The synchronous variant usually does the same I/O blocking; the class's author "
        "already wrote the non-blocking one.",
        example="async def load(cache):\n    return cache.get('k')",
        instead="async def load(cache):\n    return await cache.aget('k')",
        strategy="call-twin",
    ),
)

# Their fixes keep the call on the event loop (the breaker's state, the twin's object
# stay with the loop's tasks): a block holding such a call does not move into a thread.
LOOP_SIDE_STRATEGIES = frozenset({"call-async", "call-twin", "async-for"})
# Calls on objects whose class has coroutine twins (a Django model, a LangChain runnable):
# what they share is the library's, unknown here. Swapping one of them for its coroutine
# adds an await where the others ran with it, atomically.
TWIN_CALLS = frozenset({"DBK602", "DBK603"})
SWAPS = frozenset({"call-twin", "async-for"})

BLOCKING = (
    Blocking("pybreaker.CircuitBreaker.call", "DBK601", async_twin="call_async"),
    Blocking("aiobreaker.CircuitBreaker.call", "DBK601", async_twin="call_async"),
)
RETURNS = ()
