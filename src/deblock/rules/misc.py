"""DBK7xx: other blocking calls (console input, locks, waits for threads, user-configured
calls)."""

from deblock.rules.model import Blocking, Returns, Rule
from deblock.rules.resources import THREAD_LOCKS

# Queues whose get waits for an item, and whose join waits until every item is done (a put
# waits only when a size limit is reached: not reported).
_QUEUES = ("Queue", "LifoQueue", "PriorityQueue")
# A future another thread (or another loop) completes.
_FUTURE = "concurrent.futures.Future"
_EXECUTORS = ("Executor", "ThreadPoolExecutor", "ProcessPoolExecutor")

RULES = (
    Rule(
        code="DBK701",
        name="blocking-input",
        family="misc",
        message="`{target}` waits for console input on the event loop; run it in a thread",
        what="Finds `input()`, `getpass.getpass()` and reads of `sys.stdin` (`readline`, "
        "`read`, iterating it, ...) in a coroutine.",
        why="It blocks until a user types a line; nothing else runs meanwhile. Its fix is "
        "unsafe: in a worker thread the prompt no longer ends at Ctrl-C, which interrupts "
        "the main thread, and the program waits at exit for the thread still reading a line.",
        example="async def ask():\n    return input('name? ')",
        instead="async def ask():\n    return await asyncio.to_thread(input, 'name? ')",
        unsafe_strategy="to-thread",
        unsafe_because="in a worker thread the prompt no longer ends at Ctrl-C, and the "
        "program waits at exit for the thread still reading a line",
        async_equivalent="ASYNC250",
    ),
    Rule(
        code="DBK702",
        name="blocking-lock-acquire",
        family="misc",
        message="`{target}` without a timeout can block the event loop forever; use `asyncio.Lock`",
        what="Finds `threading.Lock().acquire()` (and `RLock`, `Semaphore`) without "
        "`timeout`/`blocking` in a coroutine.",
        why="If another thread holds the lock, the whole event loop waits; if a task on the "
        "same loop holds it, the loop deadlocks.",
        example="async def update():\n    LOCK.acquire()",
        instead="async def update():\n    async with ALOCK:  # ALOCK = asyncio.Lock()\n        ...",
    ),
    Rule(
        code="DBK703",
        name="blocking-thread-wait",
        family="misc",
        message="`{target}` without a timeout waits for another thread on the event loop; "
        "use asyncio's own primitives",
        what="Finds waits for other threads without `timeout`/`block` in a coroutine: "
        "`threading.Event().wait()` (and `Condition`, `Barrier`), `Thread.join()`, "
        "`queue.Queue().get()`/`join()`, `multiprocessing.Process.join()`, "
        "`concurrent.futures.wait()`, a `concurrent.futures.Future`'s `result()` and "
        "`exception()` before the coroutine has awaited anything "
        "(`run_coroutine_threadsafe(...).result()`); not a `get()` right after a test that "
        "found items (`not q.empty()`) in a queue only coroutines take from.",
        why="The event loop's thread sleeps until another thread acts; if what it waits for "
        "is done by a task on the same loop, the loop never gets there.",
        example="async def finish(worker: threading.Thread):\n    worker.join()",
        instead="async def finish(worker: threading.Thread):\n"
        "    await asyncio.to_thread(worker.join)",
    ),
    Rule(
        code="DBK790",
        name="configured-blocking-call",
        family="misc",
        message="`{target}` is configured as blocking in [tool.deblock]; run it in a thread",
        what="Finds calls listed in `[tool.deblock] extend-blocking-calls` in a coroutine.",
        why="The project declared them blocking (slow I/O in a library deblock does not know).",
        example="async def handler():\n    legacy.fetch_all()",
        instead="async def handler():\n    await asyncio.to_thread(legacy.fetch_all)",
        strategy="to-thread",
    ),
)

# The console's input: each an object of its own (its reads wait for the user).
_STDIN = ("sys.stdin", "sys.__stdin__", "sys.stdin.buffer", "sys.__stdin__.buffer")

BLOCKING = (
    Blocking("builtins.input", "DBK701"),
    Blocking("getpass.getpass", "DBK701"),
    *(
        Blocking(f"{stream}.{method}", "DBK701")
        for stream in _STDIN
        for method in ("read", "readline", "readlines", "__iter__")
    ),
    *(
        Blocking(
            f"{lock}.acquire", "DBK702", unless_kwargs=("timeout", "blocking"), max_positional=0
        )
        for lock in THREAD_LOCKS
    ),
    *(
        Blocking(waited, "DBK703", unless_kwargs=("timeout", "block"), max_positional=0)
        for waited in (
            "threading.Event.wait",
            "threading.Condition.wait",
            "threading.Barrier.wait",
            "threading.Thread.join",
            *(f"queue.{cls}.{method}" for cls in _QUEUES for method in ("get", "join")),
            "queue.SimpleQueue.get",
            "multiprocessing.Process.join",
        )
    ),
    *(
        Blocking(
            f"{_FUTURE}.{method}",
            "DBK703",
            unless_kwargs=("timeout",),
            max_positional=0,
            unless_suspended=True,
        )
        for method in ("result", "exception")
    ),
    # the futures waited for come first
    Blocking("concurrent.futures.wait", "DBK703", unless_kwargs=("timeout",), max_positional=1),
)
RETURNS = (
    *(Returns(stream, stream, attribute=True) for stream in _STDIN),
    Returns("asyncio.run_coroutine_threadsafe", _FUTURE),
    *(Returns(f"concurrent.futures.{executor}.submit", _FUTURE) for executor in _EXECUTORS),
)
