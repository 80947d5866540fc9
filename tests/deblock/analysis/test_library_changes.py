"""Library functions that change their first argument in place (``heapq.heappush``,
``random.shuffle``, ``bisect.insort``) change an object a parameter may hold: a fix between
two reads of a parameter whole is declined in a module that calls one, itself or in a sync
helper, as it is for ``LOG.append``. A library function that only reads its argument
(``heapq.nsmallest``) changes nothing. ``runtime_declined/changed_by_library`` runs such a
program."""

import pytest

from deblock.analysis import analyze_source

PEEK = """\
import bisect
import heapq
import random
import subprocess
from bisect import insort

LOG = []


async def peek(log):
    before = len(log)
    subprocess.run(["true"])
    return len(log) == before


{changer}
"""
CHANGERS = {
    "heapq.heappush, a coroutine": ("async def push(n):\n    heapq.heappush(LOG, n)\n", True),
    "random.shuffle, a sync helper": ("def mix():\n    random.shuffle(LOG)\n", True),
    "insort, a parameter": ("async def add(log, n):\n    insort(log, n)\n", True),
    "bisect.insort_right": ("def add(n):\n    bisect.insort_right(LOG, n)\n", True),
    "heapq.nsmallest": ("def least():\n    return heapq.nsmallest(2, LOG)\n", False),
}


@pytest.mark.parametrize("changer", CHANGERS)
def test_a_library_call_changing_its_argument_declines_a_fix_between_two_whole_reads(changer):
    code, changes = CHANGERS[changer]
    [found] = analyze_source(PEEK.format(changer=code), "peek.py").findings
    assert found.safe_fix is not changes, found.declined
    if changes:
        assert "`log` may be an object" in found.declined
