"""The spans of the bodies of a lock a caller's runs wait their turn at are given once per
question (the locks, the caller, what its run does): the caller asks again for each of its
turns and culprits, and the same spans would come each time."""

import shutil
from collections import Counter
from pathlib import Path

from deblock.config import load_settings
from deblock.project.turn_bodies import TurnBodies
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "turn_bodies"


def test_each_question_yields_its_spans_once(tmp_path, monkeypatch):
    shutil.copytree(PROJECT, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    asked, answered = Counter(), Counter()
    spans = TurnBodies.spans

    def counted(self, locks, where, does):
        found = list(spans(self, locks, where, does))
        question = (frozenset(locks), where[1], does)
        asked[question] += 1
        answered[question] += bool(found)
        return found

    monkeypatch.setattr(TurnBodies, "spans", counted)
    files = analyze_paths(["."], load_settings(["."]), jobs=1).files
    nap = next(f for f in files["program.py"] if f.code == "DBK101")
    assert "`twice`" in nap.declined and "waits its turn" in nap.declined
    assert asked == {
        (frozenset({"program.LOCK"}), "program.twice", "reads the file system twice"): 4
    }
    assert set(answered.values()) == {1}, answered
