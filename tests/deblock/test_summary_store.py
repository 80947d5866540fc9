"""Module summaries: kept in shards by digest, so a run reads and writes only the shards of
the summaries it uses."""

from __future__ import annotations

import json

from deblock.json_files import write_text
from deblock.summary_store import SummaryStore


def form(data: dict):
    """A summary's JSON form as the run hands it to the store: a function giving it."""
    return lambda: data


def test_a_summary_is_read_back_from_its_shard(tmp_path):
    store = SummaryStore(tmp_path / "s")
    store.add("ab12", form({"module": "a"}))
    store.add("cd34", form({"module": "c"}))
    store.save(write_text)
    assert json.loads((tmp_path / "s" / "ab.json").read_text()) == {"ab12": {"module": "a"}}
    assert SummaryStore(tmp_path / "s").get("ab12") == {"module": "a"}
    assert SummaryStore(tmp_path / "s").get("ab99") is None
    assert store.get("cd34") == {"module": "c"}  # kept as its function until written


def test_a_shard_read_and_added_to_is_written_whole(tmp_path):
    """Summaries read from a shard (objects) and added to it are written together;
    a shard that lost every summary is an empty object."""
    store = SummaryStore(tmp_path / "s")
    store.add("ab12", form({"module": "a", "functions": {"a.f": [1, "x"]}}))
    store.add("cd34", form({"module": "c"}))
    store.save(write_text)
    store = SummaryStore(tmp_path / "s")
    store.add("ab56", form({"module": "b"}))
    store.save(write_text, {"ab99"})
    shard = json.loads((tmp_path / "s" / "ab.json").read_text())
    assert shard == {
        "ab12": {"module": "a", "functions": {"a.f": [1, "x"]}},
        "ab56": {"module": "b"},
    }
    store.get("cd34")
    store.save(write_text, {"cd34"})
    assert json.loads((tmp_path / "s" / "cd.json").read_text()) == {}


def test_adding_a_summary_rewrites_only_its_shard(tmp_path):
    store = SummaryStore(tmp_path / "s")
    for key in ("ab12", "cd34"):
        store.add(key, form({"module": key}))
    store.save(write_text)
    other = (tmp_path / "s" / "cd.json").stat()
    store = SummaryStore(tmp_path / "s")
    store.add("ab56", form({"module": "ab56"}))
    store.save(write_text)
    assert (tmp_path / "s" / "cd.json").stat().st_mtime_ns == other.st_mtime_ns
    assert SummaryStore(tmp_path / "s").get("ab12") == {"module": "ab12"}  # kept beside it


def test_a_shard_only_added_to_keeps_its_text_as_it_is(tmp_path):
    """A run that drops no summary writes those it added to a shard it did not read after
    the shard's text, unparsed (a file spaced by hand stays so); a summary the text holds
    already is not written twice, and a damaged shard is written anew."""
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "ab.json").write_text('{"ab12": {"module": "a"}}')
    (tmp_path / "s" / "cd.json").write_text('{"cd12": {"module": "cut sh')
    store = SummaryStore(tmp_path / "s")
    store.add("ab34", form({"module": "b"}))
    store.add("ab12", form({"module": "a"}))
    store.add("cd34", form({"module": "c"}))
    store.save(write_text)
    text = (tmp_path / "s" / "ab.json").read_text()
    assert text == '{"ab12": {"module": "a"},"ab34":{"module":"b"}}'
    assert json.loads((tmp_path / "s" / "cd.json").read_text()) == {"cd34": {"module": "c"}}
    assert SummaryStore(tmp_path / "s").get("ab34") == {"module": "b"}


def test_saving_with_dead_digests_rewrites_only_the_shards_that_hold_them(tmp_path):
    """A dead digest's shard is found by its name, read or not; a shard it names that
    does not hold it (spaced by hand, too) is not written, nor is any other."""
    store = SummaryStore(tmp_path / "s")
    for key in ("ab12", "ab34", "cd56", "ef78"):
        store.add(key, form({"module": key}))
    store.save(write_text)
    (tmp_path / "s" / "12.json").write_text('{"1299": {"module": "x"}}')
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "s").iterdir()}
    store = SummaryStore(tmp_path / "s")
    assert store.get("cd56") is not None
    store.save(write_text, {"ab34", "cd99", "1299", "9999"})
    assert json.loads((tmp_path / "s" / "ab.json").read_text()) == {"ab12": {"module": "ab12"}}
    assert json.loads((tmp_path / "s" / "12.json").read_text()) == {}
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "s").iterdir()}
    assert {name for name in after if after[name] != before.get(name)} == {"ab.json", "12.json"}


def test_a_damaged_shard_or_digest_reads_as_missing(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "ab.json").write_text('{"ab12": {"module": "cut sh')
    (tmp_path / "elsewhere.json").write_text('{"../elsewhere": {}}')
    store = SummaryStore(tmp_path / "s")
    assert (store.get("ab12"), store.get("../elsewhere"), store.get("")) == (None, None, None)


def test_editing_one_file_of_a_cached_project_rewrites_one_shard(deblock, project):
    root = project("blocking.py", "clean.py", into="pkg")
    args = ("check", "--format", "json", "--cache-dir", "cache")
    deblock(*args, ".", cwd=root)
    (directory,) = (root / "cache").rglob("*.summaries")
    before = {p.name: p.stat().st_mtime_ns for p in directory.iterdir()}
    edited = root / "pkg" / "blocking.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    one = deblock(*args, "pkg/blocking.py", cwd=root)
    after = {p.name: p.stat().st_mtime_ns for p in directory.iterdir()}
    assert len(set(after.items()) - set(before.items())) == 1
    whole = deblock(*args, ".", cwd=root)
    assert json.loads(one.stdout) == json.loads(whole.stdout)
    assert whole.stdout == deblock("check", "--format", "json", "--no-cache", ".", cwd=root).stdout


def test_a_summary_added_is_put_in_json_form_only_when_its_shard_is_written(tmp_path):
    """A cache-filling run holds no second copy of the summaries it keeps anyway."""
    asked = []
    store = SummaryStore(tmp_path / "s")
    store.add("ab12", lambda: asked.append("ab12") or {"module": "a"})
    assert asked == []
    store.save(write_text)
    assert asked == ["ab12"]
    assert SummaryStore(tmp_path / "s").get("ab12") == {"module": "a"}


def test_a_shard_written_is_not_kept(tmp_path):
    """Saving holds one shard's text at a time: kept after each was written, the bench
    corpus's summaries' text (~35 MB) stayed in a cache-filling run's peak memory. A
    summary asked for afterwards is read back from its shard."""
    import tracemalloc

    store = SummaryStore(tmp_path / "s")
    for shard in range(256):
        store.add(f"{shard:02x}12", form({"module": "m" * 10_000}))
    tracemalloc.start()
    try:
        store.save(write_text, {f"{shard:02x}34" for shard in range(256)})
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 100_000, held
    assert store.get("ab12") == {"module": "m" * 10_000}


def test_a_summary_is_read_out_of_its_shards_text_as_parsing_it_whole_reads_it(tmp_path):
    """A key of the shard's own, not the same text nested in a summary before it; a shard
    spaced by hand, whose keys the text search does not find, is parsed whole."""
    (tmp_path / "s").mkdir()
    nested = '{"module":"a","functions":{"cd34":{"line":1}}}'
    (tmp_path / "s" / "cd.json").write_text(f'{{"cd12":{nested},"cd34":{{"module":"b"}}}}')
    (tmp_path / "s" / "ef.json").write_text('{"ef12": {"module": "e"}}')
    store = SummaryStore(tmp_path / "s")
    found = [store.get(key) for key in ("cd34", "cd12", "ef12", "ef99")]
    assert found == [{"module": "b"}, json.loads(nested), {"module": "e"}, None]
