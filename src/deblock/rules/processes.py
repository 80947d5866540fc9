"""DBK4xx: child processes managed synchronously on the event loop."""

from deblock.rules.files import FILE
from deblock.rules.model import Blocking, Returns, Rule

RULES = (
    Rule(
        code="DBK401",
        name="blocking-process-run",
        family="processes",
        message="`{target}` waits for a child process synchronously; run it in a thread",
        what="Finds `subprocess.run`, `call`, `check_call`, `check_output`, `getoutput`, "
        "`getstatusoutput` and `os.system` in a coroutine.",
        why="They wait for the child process to exit while holding the event loop.",
        example="async def version():\n    return subprocess.check_output(['git', '--version'])",
        instead="async def version():\n    return await asyncio.to_thread(subprocess.check_output, "
        "['git', '--version'])",
        strategy="to-thread",
        unsafe_strategy="create-subprocess",
        async_equivalent="ASYNC221",
    ),
    Rule(
        code="DBK402",
        name="blocking-process-create",
        family="processes",
        message="`{target}` starts a process synchronously; use "
        "`asyncio.create_subprocess_exec` or a thread",
        what="Finds `subprocess.Popen`, `os.popen` and `os.spawn*` creation in a coroutine.",
        why="Forking and talking to the child through blocking pipes stalls the event loop.",
        example="async def run():\n    return subprocess.Popen(['ls'])",
        instead="async def run():\n    return await asyncio.create_subprocess_exec('ls')",
        strategy="to-thread",
        async_equivalent="ASYNC220",
    ),
    Rule(
        code="DBK403",
        name="blocking-process-wait",
        family="processes",
        message="`{target}` waits for a process synchronously; run it in a thread",
        what="Finds `os.wait*` and `Popen.wait`/`communicate` in a coroutine.",
        why="Waiting for a process blocks the event loop until the process exits.",
        example="async def reap(proc: subprocess.Popen):\n    proc.wait()",
        instead="async def reap(proc: subprocess.Popen):\n    await asyncio.to_thread(proc.wait)",
        strategy="to-thread",
        async_equivalent="ASYNC222",
    ),
)

_RUN = ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")
_SPAWN = (
    "spawnl",
    "spawnle",
    "spawnlp",
    "spawnlpe",
    "spawnv",
    "spawnve",
    "spawnvp",
    "spawnvpe",
)
_WAIT = ("wait", "wait3", "wait4", "waitid", "waitpid")
_PIPES = ("stdin", "stdout", "stderr")

BLOCKING = (
    *(Blocking(f"subprocess.{name}", "DBK401") for name in _RUN),
    Blocking("os.system", "DBK401"),
    Blocking("subprocess.Popen", "DBK402"),
    Blocking("os.popen", "DBK402"),
    # ``P_WAIT`` waits for the process: flake8-async and ruff report that mode, written by
    # name, as running one (ASYNC221); ``P_NOWAIT`` and the others only start it
    *(
        Blocking(f"os.{name}", "DBK402", first_argument_codes=(("os.P_WAIT", "ASYNC221"),))
        for name in _SPAWN
    ),
    # flake8-async and ruff report these as running a process (ASYNC221), not creating one
    *(
        Blocking(f"os.{name}", "DBK402", async_equivalent="ASYNC221")
        for name in ("posix_spawn", "posix_spawnp")
    ),
    *(Blocking(f"os.{name}", "DBK403") for name in _WAIT),
    Blocking("subprocess.Popen.wait", "DBK403"),
    Blocking("subprocess.Popen.communicate", "DBK403"),
)

RETURNS = (
    Returns("subprocess.Popen", "subprocess.Popen"),
    # the pipes of a process, and what ``os.popen`` returns, are files: reading a pipe
    # waits for the process to write, writing one for it to read
    *(Returns(f"subprocess.Popen.{pipe}", FILE, attribute=True) for pipe in _PIPES),
    Returns("os.popen", FILE),
)
