"""A call handed to a coroutine of another module that awaits it (``await run(conn.execute(
q))``, ``run`` imported) returns an awaitable, as an awaited call does: the project pass
analyses its module again knowing it (``ProjectRun.relearned``), cold and from the cache.
Handed to a coroutine that tests what it awaits, or keeps it, or not awaited, it stays."""

from pathlib import Path

from expectations import check_cold_and_warm, checked_cold_and_warm

RUNTIME_PROJECTS = Path(__file__).parents[1] / "fixer" / "fixtures" / "runtime_projects"


def test_calls_awaited_by_another_modules_coroutine_are_no_findings(tmp_path):
    project = Path(__file__).parent / "fixtures" / "awaited_elsewhere"
    check_cold_and_warm(project, "store", "store/queries.py", tmp_path)


def test_a_section_beside_a_call_awaited_elsewhere_gets_its_safe_fix(tmp_path):
    """``runtime_projects/awaited_section``: the call ``query`` hands ``helpers.run`` is no
    call on the file system left on the loop beside ``bump``'s section, which is fixed
    whole into a thread (``test_fix_runtime`` runs it): the module pass declined it."""
    for flags, findings in checked_cold_and_warm(
        RUNTIME_PROJECTS / "awaited_section", ".", tmp_path
    ):
        fixes = {(f["line"], f["code"], f["strategy"], f["declined"]) for f in findings}
        assert fixes == {
            (20, "DBK201", "thread-section", None),
            (21, "DBK202", "thread-section", None),
            (22, "DBK201", "thread-section", None),
            (23, "DBK202", "thread-section", None),
        }, flags
