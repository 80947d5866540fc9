"""Property: on generated programs, fixing never crashes, compiles, and is idempotent.

hypothesmith generates the module; a coroutine with blocking calls is appended so that
every example has something to fix. Bounded to a few dozen examples for CI.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings

from deblock.fixer.engine import FixOptions, fix_source

PROBE = """
import time as _probe_time


async def _probe(path, items):
    _probe_time.sleep(0)
    with open(path) as fh:
        first = fh.readline().strip()
    return first, [_probe_time.sleep(0) for _ in items], (_probe_time.sleep(0) for _ in items)
"""


def _compiles(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "generated.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # from compiling generated code
@settings(
    max_examples=30,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(hypothesmith.from_node())
def test_fix_never_crashes_compiles_and_is_idempotent(generated):
    source = generated.rstrip("\n") + "\n" + PROBE
    assume(_compiles(source))
    once = fix_source(source, "generated.py", FixOptions(unsafe=True))
    assume(once.unparsable is None)  # reported and skipped, not a crash
    assert once.error is None
    assert _compiles(once.source)
    assert "await asyncio.sleep(0)" in once.source
    twice = fix_source(once.source, "generated.py", FixOptions(unsafe=True))
    assert twice.error is None and twice.source == once.source
