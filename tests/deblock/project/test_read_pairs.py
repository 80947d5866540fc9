"""A fix between the reads of two states the module never writes is declined when other
modules write both (``ModuleSummary.pairs``, ``project.module_globals``): on the loop the two
reads come in one piece. With one of them never written, or both read before the fix, the
fix stands. ``runtime_declined/read_pair_elsewhere`` runs such a program. A parameter's
two attributes (``ledger.sold``, ``ledger.paid``) may be any object's: the fix is declined
when modules write attributes of both names on some object, outside ``__init__`` and
module-level code (``ModuleSummary.attributes_written``; ``runtime_declined/parameter_pair``)."""

import pytest

from deblock.config import load_settings
from deblock.runner import analyze_paths

BOOK = "SOLD = 0\nPAID = 0\n"
PROGRAM = """\
import time

import book


async def audit():
    sold = book.SOLD
    time.sleep(0.001)
    return book.PAID == sold
"""
MOVERS = {  # the other module's text, the program's, whether the sleep keeps its fix
    "both written": (
        "import book\n\n\ndef sell():\n    book.SOLD += 1\n    book.PAID += 1\n",
        PROGRAM,
        False,
    ),
    "one written": ("import book\n\n\ndef sell():\n    book.SOLD += 1\n", PROGRAM, True),
    "neither written": ("import book\n\n\ndef look():\n    return book.SOLD\n", PROGRAM, True),
    "both read before the fix": (
        "import book\n\n\ndef sell():\n    book.SOLD += 1\n    book.PAID += 1\n",
        PROGRAM.replace("    time.sleep", "    paid = book.PAID\n    time.sleep").replace(
            "book.PAID == sold", "paid == sold"
        ),
        True,
    ),
}


@pytest.mark.parametrize("mover", MOVERS)
def test_a_fix_between_reads_of_two_states_is_declined_when_other_modules_write_both(
    tmp_path, mover
):
    text, program, fixed = MOVERS[mover]
    found = _program_s_finding(tmp_path, {"book": BOOK, "mover": text, "program": program})
    assert (found.strategy is not None) == fixed, found.declined
    if not fixed:
        assert "read `book.PAID`, which `mover` writes, and `book.SOLD`" in found.declined


HANDED = """\
import time


async def audit(ledger):
    sold = ledger.sold
    time.sleep(0.001)
    return ledger.paid == sold
"""
WRITERS = {  # the other module's text (with a coroutine: it is analysed), whether the sleep
    # keeps its fix
    "both written": (
        "async def sell(ledger):\n    ledger.sold += 1\n    ledger.paid += 1\n",
        False,
    ),
    "both written on the instance": (
        "class Till:\n    async def sell(self):\n        self.sold += 1\n        self.paid = 0\n",
        False,
    ),
    "one written": ("async def sell(ledger):\n    ledger.sold += 1\n", True),
    "written in __init__ only": (
        "class Ledger:\n    def __init__(self):\n        self.sold = 0\n        self.paid = 0\n"
        "\n    async def look(self):\n        return self.sold\n",
        True,
    ),
    "written on import only": (
        "import book\n\nbook.LEDGER.sold = 0\nbook.LEDGER.paid = 0\n\n\n"
        "async def look():\n    return book.LEDGER.sold\n",
        True,
    ),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_fix_between_reads_of_a_parameter_s_two_attributes_is_declined_when_both_are_written(
    tmp_path, writer
):
    text, fixed = WRITERS[writer]
    found = _program_s_finding(
        tmp_path, {"book": "LEDGER = None\n", "mover": text, "program": HANDED}
    )
    assert (found.strategy is not None) == fixed, found.declined
    if not fixed:
        assert "read `ledger.paid`, which `mover` may write (it writes `.paid`" in found.declined


def _program_s_finding(tmp_path, sources: dict[str, str]):
    """The one finding of ``program.py`` once the modules ``sources`` are analysed."""
    for name, source in sources.items():
        (tmp_path / f"{name}.py").write_text(source)
    files = analyze_paths([str(tmp_path)], load_settings([str(tmp_path)]), jobs=1).files
    [found] = files[str(tmp_path / "program.py")]
    return found
