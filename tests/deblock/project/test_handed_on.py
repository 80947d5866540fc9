"""What a sync helper changes of its parameters, followed into the functions it hands
them on to (``project.handed_on``)."""

import gc
from pathlib import Path

from deblock.analysis import analyze_source
from deblock.project.handed_on import changed_places
from deblock.project.index import ProjectIndex
from deblock.project.summaries import ModuleSummaries

HANDED_ON = Path(__file__).parent / "fixtures" / "handed_on"


def test_following_a_parameter_handed_on_leaves_no_cycle_behind(monkeypatch):
    """``tallies.tally`` hands its ledger to ``ledgers.bump``, which changes its count; the
    following leaves nothing for the cyclic collector, which a run pauses: what a cycle
    held (the index, every function followed) stayed to the run's end (cold ``-j 1`` on
    the bench corpus: ~+50 MB at its peak)."""
    monkeypatch.chdir(HANDED_ON)
    reports = [analyze_source(Path(p).read_text(), p) for p in ("ledgers.py", "tallies.py")]
    index = ProjectIndex(ModuleSummaries(r.summary for r in reports))
    changed_places(index, "tallies.tally")  # the modules summarised, the names resolved
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        assert changed_places(index, "tallies.tally") == {"#0": ("count",), "ledger": ("count",)}
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
