"""The scenarios tell a non-blocking companion from a blocking one: the reference app passes
them under blockbuster, the unfixed snapshot fails every one on a blocking call."""

from __future__ import annotations

from pathlib import Path

from regression_runs import scenarios
from scenarios import SCENARIOS


def test_the_reference_app_holds_every_conversation_under_blockbuster(tmp_path: Path):
    assert scenarios("reference", tmp_path / "data") == dict.fromkeys(SCENARIOS, "passed")


def test_the_unfixed_snapshot_blocks_in_every_scenario(snapshot_copy: Path, tmp_path: Path):
    outcomes = scenarios("snapshot", tmp_path / "data", snapshot_parent=snapshot_copy.parent)
    assert set(outcomes) == set(SCENARIOS)
    assert all(outcome.startswith("BlockingError: ") for outcome in outcomes.values()), outcomes
