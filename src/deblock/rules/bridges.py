"""Data about thread bridges: what hands work to a thread, and what never should be."""

# Calls that run a function in a worker thread, with the index of the function argument.
THREAD_BRIDGES = {
    "asyncio.to_thread": 0,
    "anyio.to_thread.run_sync": 0,
    "trio.to_thread.run_sync": 0,
    "asyncio.AbstractEventLoop.run_in_executor": 1,
}
# Bridges a project may already use that wrap the function: ``bridge(fn)(*args)``. A fix
# uses one when the module imports it (or ``[tool.deblock] thread-bridge`` names it).
WRAPPING_BRIDGES = frozenset({"asgiref.sync.sync_to_async"})
# Bridges a project's own helper may hand its callable to (see analysis.bridge_helpers): the
# async library a call of the helper then needs, and whether the bridge forwards keywords
# (``to_thread(fn, *args, **kwargs)``) or takes ``functools.partial(fn, *args, **kwargs)``.
HELPER_BRIDGES = {
    "asyncio.to_thread": ("asyncio", True),
    "anyio.to_thread.run_sync": ("anyio", False),
    "trio.to_thread.run_sync": ("trio", False),
    "starlette.concurrency.run_in_threadpool": ("anyio", True),
    "fastapi.concurrency.run_in_threadpool": ("anyio", True),
}
# Method names that are bridges even when the receiver's type is unknown (``self.loop``).
BRIDGE_METHODS = {"run_in_executor": 1}
# Every bridge by its last name, with the index of the function argument: how a library's
# source hands work to a thread, whatever it imported (LangChain's own ``run_in_executor``).
BRIDGED_ARGUMENT = {
    **{name.rpartition(".")[2]: 0 for name in (*HELPER_BRIDGES, *WRAPPING_BRIDGES)},
    **{name.rpartition(".")[2]: index for name, index in THREAD_BRIDGES.items()},
}
# Bridges that run every call in one shared thread, one at a time, unless the keyword says
# otherwise (asgiref's ``thread_sensitive=True``, Django's async ORM): the sync code stays
# serialised, and in one thread, as on the event loop.
ONE_THREAD_BRIDGES = {"sync_to_async": "thread_sensitive"}

# Callables whose result, called later, calls their first argument with the arguments they
# bound (``functools.partial(subprocess.run, check=True)``): the call runs that argument.
PARTIALS = frozenset({"functools.partial"})

# Decorators that make a function the other kind, by what a call then gives: True an
# awaitable (its sync body runs in a thread), False the result (its coroutine runs to the
# end in a loop of its own; in the event loop's thread asgiref raises).
CONVERTING_DECORATORS = {
    "asgiref.sync.sync_to_async": True,
    "asgiref.sync.SyncToAsync": True,
    "channels.db.database_sync_to_async": True,
    "asyncer.asyncify": True,  # anyio's ``to_thread.run_sync`` on every call
    "asyncer._main.asyncify": True,
    "asgiref.sync.async_to_sync": False,
    "asgiref.sync.AsyncToSync": False,
}
# Decorators that, called with the keyword given true, make a call of a sync function start
# its body in a worker thread and return a handle at once (textual's ``@work(thread=True)``
# gives a ``Worker``, awaited by its ``wait()``): the call does not block the caller.
THREAD_STARTING_DECORATORS = {
    "textual.work": "thread",
    "textual._work_decorator.work": "thread",
}

# Callables that are already asynchronous: a thread would only return a coroutine.
ALREADY_ASYNC = frozenset(
    {
        "asyncio.sleep",
        "asyncio.open_connection",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.wait_for",
        "asyncio.gather",
        "trio.sleep",
        "trio.open_file",
        "anyio.sleep",
        "anyio.open_file",
        "aiofiles.open",
        "aiofiles.os.makedirs",
        "aiofiles.os.remove",
        "aiofiles.os.rename",
        "aiofiles.os.stat",
        "aiofiles.os.path.exists",
        "aiosqlite.connect",
    }
)

# Functions that do no I/O and finish in microseconds: a thread only adds overhead.
PURE = frozenset(
    {
        "os.path.join",
        "os.path.basename",
        "os.path.dirname",
        "os.path.split",
        "os.path.splitext",
        "os.path.normpath",
        "os.path.normcase",
        "os.path.isabs",
        "os.path.commonprefix",
        "json.dumps",
        "json.loads",
        "builtins.len",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.repr",
        "builtins.sorted",
    }
)
