"""A fix inside ``async with`` on another module's ``asyncio.Lock`` (or between ``await
helpers.LOCK.acquire()`` and ``helpers.LOCK.release()``; or on its semaphore or condition)
is declined when no module's holder waits on it (``project.ordered_locks``,
``ModuleSummary.held``): entering it never suspends. A holder that awaits in its body or in
a section it holds by hand, in the lock's module or another, releases it in another
function, or an ``async with`` entering it beside another lock, makes it a suspension point
again, and the fix stands. ``runtime_declined/free_lock_across`` and ``free_lock_by_hand``
run such programs."""

import pytest

from deblock.config import load_settings
from deblock.runner import analyze_paths

HELPERS = """\
import asyncio

LOCK = asyncio.Lock()
COUNT = 0


def step():
    global COUNT
    COUNT += 1
"""
PROGRAM = """\
import time

import helpers


async def bump():
    async with helpers.LOCK:
        helpers.step()
        time.sleep(0.001)
"""
HOLDERS = {  # module, its text (beside the others), whether the sleep keeps its fix
    "no holder waits": ("other", "", False),
    "imported by name": (
        "program",
        PROGRAM.replace("import helpers\n", "import helpers\nfrom helpers import LOCK\n").replace(
            "helpers.LOCK:", "LOCK:"
        ),
        False,
    ),
    "its module's holder awaits": (
        "helpers",
        HELPERS + "\n\nasync def hold():\n    async with LOCK:\n        await asyncio.sleep(0)\n",
        True,
    ),
    "another module's holder awaits": (
        "other",
        "import asyncio\n\nimport helpers\n\n\nasync def hold():\n"
        "    async with helpers.LOCK:\n        await asyncio.sleep(0)\n",
        True,
    ),
    "entered beside another lock": (
        "other",
        "import asyncio\n\nimport helpers\n\nMINE = asyncio.Lock()\n\n\nasync def hold():\n"
        "    async with MINE, helpers.LOCK:\n        pass\n",
        True,
    ),
    "another module's holder by hand never waits": (
        "other",
        "import helpers\n\n\nasync def hold():\n    await helpers.LOCK.acquire()\n"
        "    helpers.step()\n    helpers.LOCK.release()\n",
        False,
    ),
    "another module's holder by hand awaits": (
        "other",
        "import asyncio\n\nimport helpers\n\n\nasync def hold():\n"
        "    await helpers.LOCK.acquire()\n    await asyncio.sleep(0)\n"
        "    helpers.LOCK.release()\n",
        True,
    ),
    "another module's holder releases it elsewhere": (
        "other",
        "import helpers\n\n\nasync def hold():\n    await helpers.LOCK.acquire()\n\n\n"
        "async def let_go():\n    helpers.LOCK.release()\n",
        True,
    ),
}
ENTRIES = {  # the program's section on the lock, as written
    "async with": PROGRAM,
    "by hand": PROGRAM.replace(
        "    async with helpers.LOCK:\n        helpers.step()\n        time.sleep(0.001)\n",
        "    await helpers.LOCK.acquire()\n    helpers.step()\n    time.sleep(0.001)\n"
        "    helpers.LOCK.release()\n",
    ),
}
KINDS = ("Lock", "Semaphore", "BoundedSemaphore", "Condition")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("holder", HOLDERS)
def test_a_fix_inside_another_module_s_lock_stands_only_where_a_holder_waits_on_it(
    tmp_path, holder, entry, kind
):
    module, text, fixed = HOLDERS[holder]
    helpers = HELPERS.replace("asyncio.Lock()", f"asyncio.{kind}()")
    sources = {"helpers": helpers, "program": ENTRIES[entry], "other": "", module: text}
    if module == "helpers":
        sources["helpers"] = text.replace("asyncio.Lock()", f"asyncio.{kind}()")
    for name, source in sources.items():
        (tmp_path / f"{name}.py").write_text(source)
    files = analyze_paths([str(tmp_path)], load_settings([str(tmp_path)]), jobs=1).files
    [found] = files[str(tmp_path / "program.py")]
    assert (found.strategy is not None) == fixed, found.declined
    if not fixed:
        assert "a lock no holder ever waits on" in found.declined
