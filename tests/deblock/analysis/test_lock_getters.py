"""Lock getters (``ModuleSummary.getters``): a sync function returning once, an asyncio lock."""

from pathlib import Path

from deblock.analysis import analyze_source

CASE = Path(__file__).parent / "fixtures" / "cases" / "lock_getters.py"


def test_only_a_functions_own_returns_count():
    """A ``return`` in a handler or a ``case`` is a second one; one in a function or class
    defined inside is not the function's."""
    report = analyze_source(CASE.read_text(encoding="utf-8"), str(CASE))
    assert {name.rpartition(".")[2] for name in report.summary.getters} == {"lock_for", "guarded"}
