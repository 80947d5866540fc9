"""A call handed to a coroutine of another module that awaits it (``await run(conn.execute(
q))``, ``run`` imported) returns an awaitable, as an awaited call does: the module pass's
finding is withdrawn by the project pass (``Finding.awaited_by``), cold and from the cache.
Handed to a coroutine that tests what it awaits, or keeps it, or not awaited, it stays."""

from pathlib import Path

from expectations import check_cold_and_warm


def test_calls_awaited_by_another_modules_coroutine_are_no_findings(tmp_path):
    project = Path(__file__).parent / "fixtures" / "awaited_elsewhere"
    check_cold_and_warm(project, "store", "store/queries.py", tmp_path)
