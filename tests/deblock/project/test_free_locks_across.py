"""A fix inside ``async with`` on another module's ``asyncio.Lock`` is declined when no
module's holder waits on it (``project.ordered_locks``, ``ModuleSummary.held``): entering it
never suspends. A holder that awaits in its body, in the lock's module or another, or an
``async with`` entering it beside another lock, makes it a suspension point again, and the
fix stands. ``runtime_declined/free_lock_across`` runs such a program."""

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
}


@pytest.mark.parametrize("holder", HOLDERS)
def test_a_fix_inside_another_module_s_lock_stands_only_where_a_holder_waits_on_it(
    tmp_path, holder
):
    module, text, fixed = HOLDERS[holder]
    sources = {"helpers": HELPERS, "program": PROGRAM, "other": "", module: text}
    for name, source in sources.items():
        (tmp_path / f"{name}.py").write_text(source)
    files = analyze_paths([str(tmp_path)], load_settings([str(tmp_path)]), jobs=1).files
    [found] = files[str(tmp_path / "program.py")]
    assert (found.strategy is not None) == fixed, found.declined
    if not fixed:
        assert "a lock no holder ever waits on" in found.declined
