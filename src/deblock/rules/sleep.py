"""DBK1xx: sleeping on the event loop."""

from deblock.rules.model import Blocking, Rule

RULES = (
    Rule(
        code="DBK101",
        name="blocking-sleep",
        family="sleep",
        message="`{target}` blocks the event loop; use `await asyncio.sleep(...)`",
        what="Finds `time.sleep()` called inside a coroutine.",
        why="`time.sleep` suspends the whole thread, so no other task on the event "
        "loop runs until it returns: one retry back-off stalls every request.",
        example="async def retry():\n    time.sleep(1)",
        instead="async def retry():\n    await asyncio.sleep(1)",
        strategy="sleep",
        async_equivalent="ASYNC251",
    ),
)

BLOCKING = (Blocking("time.sleep", "DBK101", async_twin="asyncio.sleep"),)
RETURNS = ()
# Async sleeps whose zero delay yields to the event loop once: the task goes to the end of
# asyncio's ready queue, run first in, first out, so tasks come back in the order they
# slept (anyio's is asyncio's on that backend; trio's shuffles each batch, so is left out).
ORDERED_SLEEPS = frozenset({"asyncio.sleep", "anyio.sleep"})
# Async sleeps: awaited with a number, they suspend before anything that could raise, so no
# raise leaves a coroutine at one before it suspends (``atomic_runs.exits``).
SLEEPS = frozenset({*ORDERED_SLEEPS, "trio.sleep"})
