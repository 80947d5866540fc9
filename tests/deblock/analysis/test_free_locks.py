"""asyncio locks no holder waits on: their ``async with`` does not suspend, so the runs of
statements go on through it, and no fix may add an await inside one."""

from pathlib import Path

from deblock.analysis import analyze_source

CASE = Path(__file__).parent / "fixtures" / "cases" / "free_locks.py"
LINES = CASE.read_text(encoding="utf-8").splitlines()
REPORT = analyze_source("\n".join(LINES), str(CASE))


def test_a_fix_inside_a_free_lock_or_a_section_across_one_is_declined_with_the_reason():
    """``# kept: why``: no safe fix, an unsafe one offered, the reason says why (in an
    ``async with`` or a section held by hand, ``await LOCK.acquire()`` to its ``release()``);
    ``# fixed``: a lock a holder awaits in (in a section held by hand too), one released in
    another function or passed on, a condition made on another lock, anyio's: their ``async
    with`` suspends, and the call inside is fixed."""
    marked = 0
    for number, line in enumerate(LINES, 1):
        found = [f for f in REPORT.findings if f.line == number]
        if "# kept: " in line:
            why = line.partition("# kept: ")[2]
            assert found and all(f.strategy is None and f.unsafe_strategy for f in found), number
            assert all(why in f.declined for f in found), (number, found)
            marked += 1
        elif "# fixed" in line:
            assert found and all(f.strategy is not None for f in found), (number, found)
            marked += 1
    assert marked == sum("# kept: " in line or "# fixed" in line for line in LINES)


def test_a_coroutine_whose_only_async_with_is_on_a_free_lock_never_suspends():
    """Its callers' runs go on through their awaits of it; a nested coroutine that awaits
    in the lock's body is only defined there. ``Store.swap`` enters a parameter's attribute
    too (``other._other``), which may hold an asyncio lock: taken, as a parameter is, for
    one that does not suspend."""
    functions = REPORT.summary.functions
    for name in ("note", "bump", "nested", "Store.add", "Store.swap"):
        assert not functions[f"free_locks.{name}"].suspends, name
    for name in ("waits", "handed", "nested.later"):
        assert functions[f"free_locks.{name}"].suspends, name
