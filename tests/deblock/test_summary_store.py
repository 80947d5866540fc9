"""Module summaries: runs that only add append to a log; runs that read fold the log in."""

from __future__ import annotations

import json
from pathlib import Path

from deblock import summary_store
from deblock.cache import write_json
from deblock.summary_store import SummaryStore


def saved(store: SummaryStore, *live: str) -> None:
    store.save(lambda: set(live), write_json)


def stored(directory: Path, **summaries: dict) -> Path:
    file = directory / "x.summaries"
    write_json(file, summaries)
    return file


def test_a_run_that_only_adds_appends_without_rewriting_the_store(tmp_path):
    file = stored(tmp_path, old={"module": "a"})
    before = file.stat()
    adding = SummaryStore(file)
    adding.add("new", {"module": "b"})
    saved(adding, "old", "new")
    assert (file.stat().st_ino, file.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    reader = SummaryStore(file)
    assert (reader.get("old"), reader.get("new")) == ({"module": "a"}, {"module": "b"})


def test_a_run_that_read_the_store_folds_the_log_in_and_drops_dead_summaries(tmp_path):
    file = stored(tmp_path, old={"module": "a"}, dead={"module": "gone"})
    adding = SummaryStore(file)
    adding.add("new", {"module": "b"})
    saved(adding, "old", "new")
    reader = SummaryStore(file)
    assert reader.get("dead") == {"module": "gone"}
    saved(reader, "old", "new")
    assert not reader.log.exists()
    assert json.loads(file.read_text()) == {"old": {"module": "a"}, "new": {"module": "b"}}


def test_a_damaged_log_line_is_skipped(tmp_path):
    file = stored(tmp_path, old={"module": "a"})
    adding = SummaryStore(file)
    adding.add("new", {"module": "b"})
    saved(adding, "old", "new")
    with open(adding.log, "ab") as log:
        log.write(b'["cut", {"modu')  # a writer that stopped half-way
    reader = SummaryStore(file)
    assert (reader.get("new"), reader.get("cut")) == ({"module": "b"}, None)


def test_a_log_larger_than_the_store_is_folded_in(tmp_path, monkeypatch):
    monkeypatch.setattr(summary_store, "LOG_LIMIT", 100)
    file = stored(tmp_path, old={"module": "a"})
    adding = SummaryStore(file)
    adding.add("new", {"module": "b" * 200})
    saved(adding, "old", "new")
    assert not adding.log.exists()
    assert json.loads(file.read_text()) == {"old": {"module": "a"}, "new": {"module": "b" * 200}}


def test_editing_one_file_of_a_cached_project_leaves_the_summaries_file_alone(deblock, project):
    root = project("blocking.py", "clean.py", into="pkg")
    args = ("check", "--format", "json", "--cache-dir", "cache")
    deblock(*args, ".", cwd=root)
    (summaries,) = (root / "cache").rglob("*.summaries")
    before = summaries.stat()
    edited = root / "pkg" / "blocking.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    one = deblock(*args, "pkg/blocking.py", cwd=root)
    assert (summaries.stat().st_ino, summaries.stat().st_mtime_ns) == (
        before.st_ino,
        before.st_mtime_ns,
    )
    whole = deblock(*args, ".", cwd=root)  # reads the log: the project pass judges again
    assert json.loads(one.stdout) == json.loads(whole.stdout)
    assert whole.stdout == deblock("check", "--format", "json", "--no-cache", ".", cwd=root).stdout
