"""Records of one kind: answered while their stamps hold, the last few saved kept."""

from __future__ import annotations

import os

from deblock.stamped_record import KEPT, StampedRecord


def test_the_records_of_the_last_sets_of_paths_are_kept(tmp_path):
    records = [StampedRecord(tmp_path, "kind", [f"path {n}"]) for n in range(KEPT + 2)]
    for n, record in enumerate(records):
        record.save({"n": n}, {})
        os.utime(record.file, ns=(0, 10**9 * n))  # saved a second apart, not in one tick
    assert [record.read() for record in records] == [None, None] + [
        {"n": n} for n in range(2, KEPT + 2)
    ]


def test_a_record_is_not_kept_when_what_it_was_made_from_just_changed(tmp_path):
    (tmp_path / "tree").mkdir()
    record = StampedRecord(tmp_path / "cache", "kind", ["tree"])
    record.save({"n": 1}, {str(tmp_path / "tree"): [0, 0, record.started, 0]})
    assert record.read() is None
