"""DBK8xx: project-wide findings (transitive blocking, wrong and needless thread bridges)."""

from deblock.rules.model import Blocking, Returns, Rule

RULES = (
    Rule(
        code="DBK801",
        name="transitive-blocking-call",
        family="project",
        coroutine_only=True,
        message="`{target}()` blocks the event loop: {chain}",
        what="Finds a call, in a coroutine, to a synchronous function of the project that "
        "blocks directly or through other project functions, across modules, and a `for` "
        "over a sync generator of the project whose body blocks (calling one runs none of "
        "it). The message shows the chain: `helper → _pause → time.sleep (utils.py:5)`.",
        why="Per-call rules only see the call site; a helper that sleeps or opens files "
        "blocks the event loop just the same when a coroutine calls it. The fix runs the "
        "helper in a worker thread, which is unsafe when the helper touches state that is "
        "not thread-safe (a UI, the event loop's own objects): review each bridge.",
        example="def load(p):\n    with open(p) as fh:\n        return fh.read()\n\n"
        "async def handler(p):\n    return load(p)",
        instead="async def handler(p):\n    return await asyncio.to_thread(load, p)",
        unsafe_strategy="to-thread",
        unsafe_because="the project's function then runs in a worker thread, beside the event "
        "loop: review that it touches no state that is not thread-safe",
    ),
    Rule(
        code="DBK802",
        name="coroutine-in-thread-bridge",
        family="project",
        coroutine_only=True,
        message="`{target}` is a coroutine function: handing it to a thread never awaits it",
        what="Finds `asyncio.to_thread(coro_fn, ...)` and "
        "`loop.run_in_executor(None, coro_fn, ...)` "
        "where the function is a coroutine function.",
        why="The thread only creates the coroutine object; its body never runs and Python "
        "warns 'coroutine was never awaited'.",
        example="async def save(p): ...\n\nasync def main():\n    await asyncio.to_thread(save, p)",
        instead="async def main():\n    await save(p)",
        strategy="unwrap-bridge",
    ),
    Rule(
        code="DBK803",
        name="nested-event-loop",
        family="project",
        coroutine_only=True,
        message="`{target}` inside a coroutine tries to run a second event loop",
        what="Finds `asyncio.run(...)` and `loop.run_until_complete(...)` inside a coroutine.",
        why="An event loop is already running in this thread: the call raises RuntimeError "
        "(or, with nest-asyncio, blocks the outer loop until the inner one finishes).",
        example="async def main():\n    asyncio.run(fetch())",
        instead="async def main():\n    await fetch()",
        strategy="unwrap-bridge",
    ),
    Rule(
        code="DBK804",
        name="thread-bridge-around-async",
        family="project",
        coroutine_only=True,
        message="`{target}` is already asynchronous; running it in a thread is wrong",
        what="Finds thread bridges around calls that are already async, such as "
        "`asyncio.to_thread(asyncio.sleep, 1)` or `asyncio.to_thread(aiofiles.open, p)`.",
        why="The thread returns an un-awaited coroutine (or an async context manager), so "
        "the work never happens.",
        example="async def pause():\n    await asyncio.to_thread(asyncio.sleep, 1)",
        instead="async def pause():\n    await asyncio.sleep(1)",
        strategy="unwrap-bridge",
    ),
    Rule(
        code="DBK805",
        name="needless-thread-bridge",
        family="project",
        coroutine_only=True,
        message="`{target}` does no I/O; running it in a thread only adds overhead",
        what="Finds thread bridges around pure, non-blocking functions such as "
        "`asyncio.to_thread(os.path.join, a, b)`.",
        why="A thread hop costs tens of microseconds and a pool slot, for work that takes less.",
        example="async def where(a, b):\n    return await asyncio.to_thread(os.path.join, a, b)",
        instead="async def where(a, b):\n    return os.path.join(a, b)",
        strategy="unwrap-bridge",
    ),
    Rule(
        code="DBK806",
        name="partial-thread-bridge",
        family="project",
        message="`{target}` runs in a thread, but {detail}",
        what="Finds thread bridges that leave blocking work on the event loop: a lazy producer "
        "handed to the thread (`asyncio.to_thread(os.walk, root)`, `Path.glob`, `iterdir` "
        "outside a branch that runs only on Python 3.13+, where it lists eagerly, "
        "`os.scandir`), whose iteration does the I/O in the caller, and a blocking function "
        "whose arguments block before the thread starts "
        "(`asyncio.to_thread(json.load, open(p))`).",
        why="The thread only builds the iterator, or only runs the outer call: every "
        "directory read of the walk, or the `open`, still holds the event loop, while the "
        "line looks fixed.",
        example="async def tree(root):\n    return [d for d, _, _ in await asyncio.to_thread("
        "os.walk, root)]",
        instead="async def tree(root):\n    return [d for d, _, _ in await asyncio.to_thread("
        "lambda: list(os.walk(root)))]",
        strategy="bridge-whole",
    ),
)


BLOCKING = (
    Blocking("asyncio.run", "DBK803"),
    Blocking("asyncio.AbstractEventLoop.run_until_complete", "DBK803"),
    Blocking("asyncio.Runner.run", "DBK803"),
)
RETURNS = tuple(
    Returns(f"asyncio.{factory}", "asyncio.AbstractEventLoop")
    for factory in ("get_event_loop", "get_running_loop", "new_event_loop")
)
